import { err, ok, type Result } from 'neverthrow';
import { type CaptureError, captureError } from '../../core/errors.js';
import { inquiryFailure } from '../../core/inquiry-failure.js';
import { retryAfterFrom } from '../../core/parse-retry-after.js';
import type { ExchangeStop } from '../../provider-kit/exchange-stop.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import {
  type Transport,
  type TransportResponse,
  transportFailureToCaptureError,
} from '../../provider-kit/transport.js';
import { lookupStripeError } from './map-stripe-result.js';
import { errorBodySchema, paymentIntentSchema, type StripePaymentIntent } from './schemas.js';

/** Everything one call needs; built once by the factory. */
export interface StripeApi {
  readonly transport: Transport;
  readonly secretKey: string;
  readonly apiVersion: string;
}

/** `/v1/payment_intents/{id}` below the transport's base path, with the id escaped. */
export function paymentIntentPath(api: StripeApi, paymentId: string): string {
  return `${api.transport.basePath}/v1/payment_intents/${encodeURIComponent(paymentId)}`;
}

function headers(api: StripeApi, extra: Record<string, string>): Record<string, string> {
  return {
    authorization: `Bearer ${api.secretKey}`,
    'stripe-version': api.apiVersion,
    accept: 'application/json',
    ...extra,
  };
}

/**
 * `POST /v1/payment_intents/{id}/capture` with the form body and `Idempotency-Key`.
 * A transport failure is already the capture's honest error (`not_attempted` before
 * sending, `unknown` after).
 */
export async function postCapture(
  api: StripeApi,
  paymentId: string,
  body: string,
  idempotencyKey: string,
  stop?: ExchangeStop,
): Promise<Result<TransportResponse, CaptureError>> {
  const sent = await api.transport.send({
    method: 'POST',
    path: `${paymentIntentPath(api, paymentId)}/capture`,
    headers: headers(api, {
      'content-type': 'application/x-www-form-urlencoded',
      'idempotency-key': idempotencyKey,
    }),
    body,
    ...stop,
  });
  if (sent.isErr()) {
    return err(
      transportFailureToCaptureError(sent.error, { kind: 'stripe', operation: 'capture' }),
    );
  }
  return ok(sent.value);
}

/** Why reading a PaymentIntent gave no PaymentIntent. */
export type ReadFailure =
  | { readonly kind: 'missing'; readonly httpStatus: number }
  | { readonly kind: 'failed'; readonly error: CaptureError };

/**
 * `GET /v1/payment_intents/{id}`: the PaymentIntent, `missing` on Stripe's
 * `resource_missing` 404, or an inquiry failure (`unknown`: the read says nothing about a
 * capture). `purpose` words the failure: the read before a capture, or the inquiry of
 * `resolve()`.
 */
export async function readPaymentIntent(
  api: StripeApi,
  paymentId: string,
  purpose: 'pre-read' | 'resolve',
  stop?: ExchangeStop,
): Promise<Result<StripePaymentIntent, ReadFailure>> {
  const inquiry = 'GET /v1/payment_intents/{id}';
  const sent = await api.transport.send({
    method: 'GET',
    path: paymentIntentPath(api, paymentId),
    headers: headers(api, {}),
    ...stop,
  });
  if (sent.isErr()) {
    const error = transportFailureToCaptureError(sent.error, {
      kind: 'stripe',
      operation: 'resolve',
    });
    return err({ kind: 'failed', error: purpose === 'pre-read' ? beforeCapture(error) : error });
  }
  const { status } = sent.value;
  const json = readJsonBody(sent.value.body);
  const wait = retryAfterFrom(sent.value.headers);
  if (status === 200) {
    const intent = paymentIntentSchema.safeParse(json);
    if (intent.success && intent.data.id === paymentId) return ok(intent.data);
    const failure = inquiryFailure({
      kind: 'stripe',
      inquiry,
      code: 'provider_error',
      reason: intent.success
        ? `Stripe answered for PaymentIntent ${intent.data.id}, not ${paymentId}`
        : 'the answer is not a readable PaymentIntent',
      httpStatus: status,
    });
    return err({
      kind: 'failed',
      error: purpose === 'pre-read' ? beforeCapture(failure) : failure,
    });
  }
  const body = errorBodySchema.safeParse(json);
  const stripeError = body.success ? body.data.error : undefined;
  if (status === 404 && stripeError?.code === 'resource_missing') {
    return err({ kind: 'missing', httpStatus: status });
  }
  const row = lookupStripeError(stripeError);
  const code = status >= 500 ? 'provider_error' : (row?.code ?? 'provider_error');
  const failure = inquiryFailure({
    kind: 'stripe',
    inquiry,
    code: code === 'payment_not_found' ? 'provider_error' : code,
    reason: `Stripe answered HTTP ${status}${stripeError?.code ? ` ${stripeError.code}` : ''}`,
    ...(status === 401 || status === 403
      ? {
          fix: 'Check stripe({ secretKey }): a current secret key, or a restricted key that may read PaymentIntents',
        }
      : {}),
    httpStatus: status,
    ...wait,
    ...(stripeError?.code ? { providerCode: stripeError.code } : {}),
  });
  return err({ kind: 'failed', error: purpose === 'pre-read' ? beforeCapture(failure) : failure });
}

/**
 * The read before a capture failed: the capture itself was never sent, so the intent is
 * `not_attempted` whatever the read's trouble was.
 */
function beforeCapture(error: CaptureError): CaptureError {
  return captureError({
    code: error.code,
    outcome: 'not_attempted',
    retryable: error.code !== 'authentication_failed' && error.code !== 'access_denied',
    kind: 'stripe',
    message: `The capture was not sent: reading the PaymentIntent first (its currency and captured amount) failed (${error.code}${error.httpStatus !== undefined ? `, HTTP ${error.httpStatus}` : ''}). Nothing was captured; call capture() again.`,
    ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  });
}

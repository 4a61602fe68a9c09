import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError, UNKNOWN_OUTCOME_ADVICE } from '../../core/errors.js';
import type { Money } from '../../core/money.js';
import { retryAfterFrom } from '../../core/parse-retry-after.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import { type ExchangeStop, exchangeStop } from '../../provider-kit/exchange-stop.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import type { TransportFailure, TransportResponse } from '../../provider-kit/transport.js';
import { transportFailureToCaptureError } from '../../provider-kit/transport.js';
import { type AdyenCaptureInput, buildCaptureBody, captureAmount } from './build-capture-body.js';
import { type AdyenHttp, capturesPath } from './http.js';
import { mapAdyenHttpError } from './map-adyen-result.js';
import { captureResponseSchema, errorBodySchema } from './schemas.js';

/** What the capture and the resolve re-send share from the settings. */
export interface AdyenCaptureSettings {
  readonly merchantAccount: string;
  readonly multiplePartialCaptures: boolean;
}

/** One capture exchange, before it is read as a capture or as an inquiry. */
export type AdyenExchange =
  | { readonly kind: 'not_built'; readonly error: CaptureError }
  | { readonly kind: 'no_answer'; readonly failure: TransportFailure }
  | { readonly kind: 'answer'; readonly response: TransportResponse; readonly json: unknown };

/** Builds the body from `input` and POSTs it with `Idempotency-Key: input.idempotencyKey`. */
export async function exchangeCapture(
  http: AdyenHttp,
  settings: AdyenCaptureSettings,
  paymentId: string,
  input: AdyenCaptureInput,
  stop?: ExchangeStop,
): Promise<AdyenExchange> {
  const body = buildCaptureBody(settings.merchantAccount, input);
  if (body.isErr()) return { kind: 'not_built', error: body.error };
  const sent = await http.post(capturesPath(paymentId), body.value, input.idempotencyKey, stop);
  if (sent.isErr()) return { kind: 'no_answer', failure: sent.error };
  return { kind: 'answer', response: sent.value, json: readJsonBody(sent.value.body) };
}

/**
 * Reads a 2xx answer: Adyen's `201` with `status: "received"` and the capture's own
 * `pspReference`. `undefined` when it is not that (then nobody knows what happened).
 */
export function receivedCapture(
  json: unknown,
  paymentId: string,
): { readonly pspReference: string; readonly raw: unknown } | undefined {
  const parsed = captureResponseSchema.safeParse(json);
  if (!parsed.success || parsed.data.status !== 'received') return undefined;
  const echoed = parsed.data.paymentPspReference;
  if (echoed !== undefined && echoed !== paymentId) return undefined;
  return { pspReference: parsed.data.pspReference, raw: json };
}

/** The pending capture a `received` answer proves. */
export function pendingCapture(
  request: { readonly paymentId: string; readonly idempotencyKey: string; readonly final: boolean },
  amount: Money,
  pspReference: string,
  raw: unknown,
  httpStatus: number,
): ProviderCapture {
  return {
    kind: 'adyen',
    status: 'pending',
    paymentId: request.paymentId,
    captureId: pspReference,
    idempotencyKey: request.idempotencyKey,
    amount,
    final: request.final,
    providerMetadata: { pspReference, httpStatus },
    raw,
  };
}

/**
 * Sends one capture. `201 received` is `Ok({ status: 'pending', captureId: pspReference })`:
 * Adyen has the request; the result arrives as a CAPTURE / CAPTURE_FAILED webhook. Every
 * 4xx is `failed` (nothing was captured; 429 retryable); 5xx, timeouts, resets and an
 * unreadable 2xx are `unknown`.
 *
 * @example
 * ```ts
 * const result = await sendAdyenCapture(http, settings, { paymentId: 'K4RFR5Z4FRJ2SZV5', final: true,
 *   idempotencyKey: 'k1', amount: { currency: 'EUR', value: 3500n } });
 * ```
 */
export async function sendAdyenCapture(
  http: AdyenHttp,
  settings: AdyenCaptureSettings,
  request: ProviderCaptureRequest,
): Promise<Result<ProviderCapture, CaptureError>> {
  const amount = captureAmount(request, settings.multiplePartialCaptures);
  if (amount.isErr()) return err(amount.error);
  const exchange = await exchangeCapture(
    http,
    settings,
    request.paymentId,
    {
      idempotencyKey: request.idempotencyKey,
      amount: amount.value,
      ...(request.reference !== undefined ? { reference: request.reference } : {}),
      ...(request.providerOptions !== undefined
        ? { providerOptions: request.providerOptions }
        : {}),
    },
    exchangeStop(request),
  );
  if (exchange.kind === 'not_built') return err(exchange.error);
  if (exchange.kind === 'no_answer') {
    return err(
      transportFailureToCaptureError(exchange.failure, { kind: 'adyen', operation: 'capture' }),
    );
  }
  const { response, json } = exchange;
  if (response.status < 200 || response.status > 299) {
    const body = errorBodySchema.safeParse(json);
    return err({
      ...mapAdyenHttpError(response.status, body.success ? body.data : undefined),
      ...retryAfterFrom(response.headers),
    });
  }
  const received = receivedCapture(json, request.paymentId);
  if (!received) {
    return err(
      captureError({
        code: 'provider_error',
        outcome: 'unknown',
        kind: 'adyen',
        httpStatus: response.status,
        message: `Adyen answered HTTP ${response.status} to the capture, but not with status "received", a pspReference and this payment's pspReference. ${UNKNOWN_OUTCOME_ADVICE}`,
        cause: { httpStatus: response.status },
      }),
    );
  }
  return ok(
    pendingCapture(request, amount.value, received.pspReference, received.raw, response.status),
  );
}

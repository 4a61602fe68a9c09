import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError } from '../../core/errors.js';
import { retryAfterFrom } from '../../core/parse-retry-after.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import { exchangeStop } from '../../provider-kit/exchange-stop.js';
import { noReliableAnswer } from '../../provider-kit/no-reliable-answer.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { buildCaptureBody, stripeCaptureMarker, stripeMarkers } from './build-capture-body.js';
import { postCapture, readPaymentIntent, type StripeApi } from './http.js';
import { mapStripeError } from './map-stripe-result.js';
import {
  errorBodySchema,
  paymentIntentSchema,
  type StripePaymentIntent,
  withoutClientSecret,
} from './schemas.js';

const INQUIRY = 'resolve() (GET /v1/payment_intents/{id})';

function lost(what: string, httpStatus: number): CaptureError {
  return noReliableAnswer({
    kind: 'stripe',
    operation: 'capture',
    inquiry: INQUIRY,
    code: 'provider_error',
    what,
    httpStatus,
  });
}

function chargeId(intent: StripePaymentIntent): string | undefined {
  const charge = intent.latest_charge;
  return typeof charge === 'string' ? charge : (charge?.id ?? undefined);
}

/**
 * One capture: build the form body (refusals before anything is sent), read the
 * PaymentIntent (its currency, what it has received, its markers), send the capture with
 * `Idempotency-Key`, and check the answer. A 200 is `Ok(succeeded)` only when the
 * PaymentIntent it returns is this payment, carries this capture's marker, and — unless
 * Stripe marked the answer `Idempotent-Replayed` — its `amount_received` rose by exactly
 * the amount asked for (`amount_received` is cumulative across captures). Anything else
 * after sending is `unknown`. Never throws.
 *
 * @example
 * ```ts
 * const result = await sendStripeCapture(api, 50, { paymentId: 'pi_…', final: true, idempotencyKey: 'k1' });
 * ```
 */
export async function sendStripeCapture(
  api: StripeApi,
  maxCaptures: number,
  request: ProviderCaptureRequest,
): Promise<Result<ProviderCapture, CaptureError>> {
  const body = buildCaptureBody(request);
  if (body.isErr()) return err(body.error);
  const before = await readPaymentIntent(api, request.paymentId, 'pre-read', exchangeStop(request));
  if (before.isErr()) {
    if (before.error.kind === 'failed') return err(before.error.error);
    return err(
      captureError({
        code: 'payment_not_found',
        outcome: 'failed',
        kind: 'stripe',
        httpStatus: before.error.httpStatus,
        providerCode: 'resource_missing',
        message: `Stripe has no PaymentIntent ${request.paymentId} in this account: check paymentId and that stripe({ secretKey }) belongs to the same account and live/test mode. Nothing was captured.`,
      }),
    );
  }
  const intent = before.value;
  const currency = intent.currency.toUpperCase();
  if (request.amount && request.amount.currency !== currency) {
    return err(
      captureError({
        code: 'currency_mismatch',
        outcome: 'not_attempted',
        kind: 'stripe',
        message: `amount.currency is ${request.amount.currency} but PaymentIntent ${request.paymentId} is in ${currency}; Stripe's amount_to_capture has no currency of its own. Nothing was sent: pass the amount in ${currency}.`,
      }),
    );
  }
  const marker = stripeCaptureMarker(request.idempotencyKey);
  const markers = stripeMarkers(intent.metadata);
  if (!markers.has(marker) && markers.size >= maxCaptures) {
    return err(
      captureError({
        code: 'capture_limit_exceeded',
        outcome: 'not_attempted',
        kind: 'stripe',
        message: `PaymentIntent ${request.paymentId} already has ${markers.size} captures, the limit set by stripe({ maxCaptures }) (Stripe allows 50). Nothing was sent.`,
      }),
    );
  }
  const sent = await postCapture(
    api,
    request.paymentId,
    body.value,
    request.idempotencyKey,
    exchangeStop(request),
  );
  if (sent.isErr()) return err(sent.error);
  const response = sent.value;
  const replayed = response.headers['idempotent-replayed'] === 'true';
  const json = readJsonBody(response.body);
  if (response.status !== 200) {
    const errorBody = errorBodySchema.safeParse(json);
    const init = mapStripeError(
      response.status,
      errorBody.success ? errorBody.data.error : undefined,
    );
    const replayNote =
      replayed && response.status >= 500
        ? ' This is Stripe replaying the first answer it saved for this Idempotency-Key: sending the same key again gets the same answer, so resolve() (which reads the PaymentIntent) is the way to learn the outcome.'
        : '';
    return err(
      captureError({
        ...init,
        message: `${init.message}${replayNote}`,
        ...retryAfterFrom(response.headers),
      }),
    );
  }
  const parsed = paymentIntentSchema.safeParse(json);
  if (!parsed.success) {
    return err(lost('Stripe answered HTTP 200 with a body that is not a PaymentIntent', 200));
  }
  const after = parsed.data;
  if (after.id !== request.paymentId) {
    return err(
      lost(`Stripe answered for PaymentIntent ${after.id}, not ${request.paymentId}`, 200),
    );
  }
  const mine = stripeMarkers(after.metadata).get(marker);
  if (!mine || mine.idempotencyKey !== request.idempotencyKey) {
    return err(lost('The PaymentIntent Stripe returned does not carry this capture’s marker', 200));
  }
  let amount = mine.amount;
  if (!replayed) {
    const increase = BigInt(after.amount_received ?? 0) - BigInt(intent.amount_received ?? 0);
    const expected = request.amount?.value ?? BigInt(intent.amount_capturable ?? -1);
    if (increase !== expected) {
      return err(
        lost(
          `amount_received rose by ${increase} minor units, not the ${expected} this capture asked for (another capture may have run at the same time)`,
          200,
        ),
      );
    }
    amount = increase;
  }
  const latestCharge = chargeId(after);
  return ok({
    kind: 'stripe',
    status: 'succeeded',
    paymentId: after.id,
    captureId: marker,
    idempotencyKey: request.idempotencyKey,
    ...(amount !== undefined ? { amount: { currency, value: amount } } : {}),
    final: request.final,
    providerMetadata: {
      paymentIntentStatus: after.status,
      ...(latestCharge ? { latestCharge } : {}),
      ...(after.amount_received != null ? { amountReceived: after.amount_received } : {}),
      replayed,
    },
    raw: withoutClientSecret(json),
  });
}

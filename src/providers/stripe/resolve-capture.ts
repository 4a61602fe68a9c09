import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError } from '../../core/errors.js';
import type { ProviderResolveRequest } from '../../core/spec.js';
import { exchangeStop } from '../../provider-kit/exchange-stop.js';
import { stripeCaptureMarker, stripeMarkers } from './build-capture-body.js';
import { readPaymentIntent, type StripeApi } from './http.js';
import { withoutClientSecret } from './schemas.js';

/**
 * `resolve()`: reads the PaymentIntent (`GET /v1/payment_intents/{id}`) and answers about
 * the capture sent with `idempotencyKey`, never by sending it again (Stripe would replay
 * the key's first answer, a 500 included).
 *
 * What it can prove: the capture marker ({@link stripeCaptureMarker}) is written by Stripe
 * in the same call that captures, so a marker on the PaymentIntent proves the capture
 * happened (`Ok(succeeded)`, with the amount the marker records), and no marker on a
 * PaymentIntent Stripe returned proves no capture under this key completed
 * (`capture_not_found`, `failed`, retryable). What it cannot prove: anything when the read
 * fails (401, 429, 5xx, timeout → `unknown`); a request still running at Stripe when the
 * read ran (the client's in-flight grace covers that window); and the marker is only as
 * good as the metadata — a person who deletes `ck_…` keys from the PaymentIntent makes a
 * capture look absent (documented in the README). A PaymentIntent that does not exist has
 * no capture: `capture_not_found`.
 *
 * @example
 * ```ts
 * const answer = await resolveStripeCapture(api, { paymentId: 'pi_…', idempotencyKey: 'k1' });
 * ```
 */
export async function resolveStripeCapture(
  api: StripeApi,
  request: ProviderResolveRequest,
): Promise<Result<ProviderCapture, CaptureError>> {
  const read = await readPaymentIntent(api, request.paymentId, 'resolve', exchangeStop(request));
  if (read.isErr()) {
    if (read.error.kind === 'failed') return err(read.error.error);
    return err(notFound(`Stripe has no PaymentIntent ${request.paymentId}`, read.error.httpStatus));
  }
  const intent = read.value;
  const marker = stripeCaptureMarker(request.idempotencyKey);
  const mine = stripeMarkers(intent.metadata).get(marker);
  if (!mine) {
    return err(
      notFound(
        `PaymentIntent ${request.paymentId} (status ${intent.status}) carries no marker ${marker} for idempotencyKey ${request.idempotencyKey}`,
        200,
      ),
    );
  }
  const currency = intent.currency.toUpperCase();
  if (request.amount && mine.amount !== undefined && request.amount.value !== mine.amount) {
    return err(
      captureError({
        code: 'outcome_unknown',
        outcome: 'unknown',
        kind: 'stripe',
        httpStatus: 200,
        message: `PaymentIntent ${request.paymentId} records a capture of ${mine.amount} under idempotencyKey ${request.idempotencyKey}, not the ${request.amount.value} asked for: check the payment in the Dashboard before capturing again.`,
      }),
    );
  }
  const charge = intent.latest_charge;
  const latestCharge = typeof charge === 'string' ? charge : (charge?.id ?? undefined);
  return ok({
    kind: 'stripe',
    status: 'succeeded',
    paymentId: intent.id,
    captureId: marker,
    idempotencyKey: request.idempotencyKey,
    ...(mine.amount !== undefined ? { amount: { currency, value: mine.amount } } : {}),
    final: mine.final,
    providerMetadata: {
      paymentIntentStatus: intent.status,
      ...(latestCharge ? { latestCharge } : {}),
      ...(intent.amount_received != null ? { amountReceived: intent.amount_received } : {}),
    },
    raw: withoutClientSecret(intent),
  });
}

function notFound(what: string, httpStatus: number): CaptureError {
  return captureError({
    code: 'capture_not_found',
    outcome: 'failed',
    retryable: true,
    kind: 'stripe',
    httpStatus,
    message: `${what}: nothing was captured under this key (Stripe writes the marker in the capture call itself). Sending the capture again with the SAME idempotencyKey is safe; if Stripe saved a 500 for that key it replays it, and then a NEW key is the way forward, since this answer ended the intent.`,
  });
}

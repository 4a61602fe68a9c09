import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError } from '../../core/errors.js';
import { inquiryFailure } from '../../core/inquiry-failure.js';
import { retryAfterFrom } from '../../core/parse-retry-after.js';
import type { ProviderResolveRequest } from '../../core/spec.js';
import { exchangeStop } from '../../provider-kit/exchange-stop.js';
import { transportFailureToCaptureError } from '../../provider-kit/transport.js';
import type { AdyenHttp } from './http.js';
import { mapAdyenHttpError } from './map-adyen-result.js';
import { errorBodySchema } from './schemas.js';
import {
  type AdyenCaptureSettings,
  exchangeCapture,
  pendingCapture,
  receivedCapture,
} from './send-capture.js';

const INQUIRY = 'the same-key re-send of POST /payments/{paymentPspReference}/captures';

/**
 * `resolve()` for Adyen. The Checkout API has no capture-status query, so there are two
 * cases, and neither can ever prove `succeeded` or `failed` (only a webhook can):
 *
 * - the capture's `pspReference` is known (`captureId`, from the 201 or an earlier
 *   resolve): Adyen has received it; nothing more can be asked. `Err(outcome_unknown,
 *   unknown)`, which the client answers from the journal (`pending` until the CAPTURE
 *   webhook settles it; `failed` / `succeeded` once it did).
 * - it is not known (the 201 was lost): the IDENTICAL request is sent again with the SAME
 *   `Idempotency-Key`. Adyen answers a key it has seen with the original response, so a
 *   `201 received` proves the capture was received — by the first attempt or, if that never
 *   arrived, by this one — and is `Ok(pending)` with its pspReference. It is never
 *   `capture_not_found`: the re-send cannot tell "had none" from "has one now". Any other
 *   answer (4xx, 5xx, no answer) is `unknown`: a refusal of the re-send may be caused by the
 *   first attempt's own success.
 *
 * A key the journal holds as `failed` is never re-sent (that could capture now what the
 * journal says did not move). The re-send needs the amount (and the reference the capture was sent with, when the
 * caller gave one): the journal has both; a caller without a journal passes them.
 *
 * @example
 * ```ts
 * const answer = await resolveAdyenCapture(http, settings, { paymentId: 'K4RFR5Z4FRJ2SZV5',
 *   idempotencyKey: 'k1', amount: { currency: 'EUR', value: 3500n } });
 * ```
 */
export async function resolveAdyenCapture(
  http: AdyenHttp,
  settings: AdyenCaptureSettings,
  request: ProviderResolveRequest,
): Promise<Result<ProviderCapture, CaptureError>> {
  if (request.captureId !== undefined) {
    return err(
      captureError({
        code: 'outcome_unknown',
        outcome: 'unknown',
        retryable: true,
        kind: 'adyen',
        message: `Adyen received this capture (pspReference ${request.captureId}); the Checkout API has no capture-status query, so only the CAPTURE / CAPTURE_FAILED webhook can say whether it succeeded. Make sure the webhook reaches client.webhookHandler('<name>'), then call resolve() again.`,
      }),
    );
  }
  if (request.intentState === 'failed') {
    // The journal holds Adyen's refusal of this key (a 4xx, or a failed webhook): re-sending
    // could capture now what the journal says did not move. Nothing is sent.
    return err(
      captureError({
        code: 'outcome_unknown',
        outcome: 'unknown',
        retryable: false,
        kind: 'adyen',
        message:
          'This capture already failed and the Checkout API has no capture-status query; the request was not sent again (that could capture it now). A new attempt needs a new idempotencyKey.',
      }),
    );
  }
  if (!request.amount) {
    return err(
      inquiryFailure({
        kind: 'adyen',
        inquiry: INQUIRY,
        code: 'invalid_request',
        reason:
          'the capture cannot be re-sent identically without its amount (the journal has no record of this key)',
        fix: 'Pass the amount (and the reference) the capture was sent with to resolve()',
      }),
    );
  }
  const exchange = await exchangeCapture(
    http,
    settings,
    request.paymentId,
    {
      idempotencyKey: request.idempotencyKey,
      amount: request.amount,
      ...(request.reference !== undefined ? { reference: request.reference } : {}),
    },
    exchangeStop(request),
  );
  if (exchange.kind === 'not_built') {
    return err(
      inquiryFailure({
        kind: 'adyen',
        inquiry: INQUIRY,
        code: 'invalid_request',
        reason: `the re-send could not be built (${exchange.error.message.replace(/\.$/, '')})`,
      }),
    );
  }
  if (exchange.kind === 'no_answer') {
    const failure = transportFailureToCaptureError(exchange.failure, {
      kind: 'adyen',
      operation: 'resolve',
    });
    return err(failure);
  }
  const { response, json } = exchange;
  if (response.status >= 200 && response.status <= 299) {
    const received = receivedCapture(json, request.paymentId);
    if (received) {
      return ok(
        pendingCapture(
          { paymentId: request.paymentId, idempotencyKey: request.idempotencyKey, final: true },
          request.amount,
          received.pspReference,
          received.raw,
          response.status,
        ),
      );
    }
    return err(
      inquiryFailure({
        kind: 'adyen',
        inquiry: INQUIRY,
        code: 'provider_error',
        reason: `Adyen answered HTTP ${response.status} without status "received" and a pspReference`,
        httpStatus: response.status,
      }),
    );
  }
  const body = errorBodySchema.safeParse(json);
  const mapped = mapAdyenHttpError(response.status, body.success ? body.data : undefined);
  return err(
    inquiryFailure({
      kind: 'adyen',
      inquiry: INQUIRY,
      code: mapped.code,
      reason: `Adyen refused the re-send with HTTP ${response.status}${mapped.providerCode ? ` (${mapped.providerCode})` : ''}, which says nothing certain about the first attempt: its own success could cause a refusal`,
      httpStatus: response.status,
      ...(mapped.providerCode !== undefined ? { providerCode: mapped.providerCode } : {}),
      ...retryAfterFrom(response.headers),
    }),
  );
}

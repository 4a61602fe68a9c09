import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import type { ProviderCapture } from '../../core/capture.js';
import type { CaptureError } from '../../core/errors.js';
import type { Mutable } from '../../core/mutable.js';
import { retryAfterFrom } from '../../core/parse-retry-after.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import { exchangeStop } from '../../provider-kit/exchange-stop.js';
import { noReliableAnswer } from '../../provider-kit/no-reliable-answer.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { buildCaptureBody } from './build-capture-body.js';
import { type CheckoutHttp, checkoutSendFailureToCaptureError, paymentPath } from './http.js';
import { mapCheckoutHttpError } from './map-checkout-result.js';
import { acceptedActionSchema, errorBodySchema } from './schemas.js';

/**
 * Sends one capture. A 2xx (Checkout.com answers `202 Capture accepted`) is
 * `Ok({ status: 'pending', captureId: action_id })`: the result arrives later as a
 * `payment_captured` / `payment_capture_declined` webhook, or through `resolve()`.
 * Every 4xx is `failed` (429 retryable); 5xx, timeouts and resets are `unknown`.
 *
 * @example
 * ```ts
 * const result = await sendCheckoutCapture(http, { paymentId: 'pay_…', final: true, idempotencyKey: 'k1' });
 * ```
 */
export async function sendCheckoutCapture(
  http: CheckoutHttp,
  request: ProviderCaptureRequest,
): Promise<Result<ProviderCapture, CaptureError>> {
  const body = buildCaptureBody(request);
  if (body.isErr()) return err(body.error);
  const sent = await http.send({
    method: 'POST',
    path: `${paymentPath(request.paymentId)}/captures`,
    body: body.value,
    idempotencyKey: request.idempotencyKey,
    stop: exchangeStop(request),
  });
  if (sent.isErr()) return err(checkoutSendFailureToCaptureError(sent.error, 'capture'));
  const response = sent.value;
  const json = readJsonBody(response.body);
  if (response.status < 200 || response.status > 299) {
    const errorBody = errorBodySchema.safeParse(json);
    const error = mapCheckoutHttpError(
      response.status,
      errorBody.success ? errorBody.data : undefined,
    );
    const withRetry = { ...error, ...retryAfterFrom(response.headers) };
    // With OAuth the 401 came after one retry with a freshly fetched token.
    return err(
      response.status === 401 && http.credentialSetting === 'checkout({ oauth })'
        ? {
            ...withRetry,
            message: `Checkout.com answered HTTP 401 to a freshly fetched access token: nothing was captured. Check that checkout({ oauth }) is an access key of this environment whose scopes allow payments (gateway), and that checkout({ baseUrl }) and checkout({ oauth: { tokenUrl } }) point at the same environment.`,
          }
        : withRetry,
    );
  }
  const accepted = readAcceptedAction(json);
  if (!accepted?.action_id) {
    return err(
      noReliableAnswer({
        kind: 'checkout',
        operation: 'capture',
        inquiry: 'GET /payments/{id}/actions',
        code: 'provider_error',
        what: `Checkout.com accepted the capture (HTTP ${response.status}) but the body has no action_id`,
        httpStatus: response.status,
        cause: { httpStatus: response.status, body: json },
      }),
    );
  }
  const { action_id: actionId, reference } = accepted;
  // Built field by field, in the order the fields always had, instead of conditional
  // spreads: each was a temporary object per capture (bench/FINDINGS.md, session 5).
  const capture: Mutable<ProviderCapture> = {
    kind: 'checkout',
    status: 'pending',
    paymentId: request.paymentId,
    captureId: actionId,
    idempotencyKey: request.idempotencyKey,
    // The cast admits the fields set below; test/checkout/wire.test.ts and the conformance
    // suite check the whole answer, so a required field forgotten here fails there.
  } as Mutable<ProviderCapture>;
  if (request.amount) capture.amount = request.amount;
  capture.final = request.final;
  const providerMetadata: Record<string, unknown> = { actionId };
  if (reference) providerMetadata.reference = reference;
  providerMetadata.httpStatus = response.status;
  capture.providerMetadata = providerMetadata;
  capture.raw = json;
  return ok(capture);
}

type AcceptedAction = z.infer<typeof acceptedActionSchema>;

/**
 * The 202 body, checked by hand for its usual shape (`action_id`, `reference` strings);
 * anything else goes through the zod schema. Per capture, zod cost more than the check.
 */
function readAcceptedAction(json: unknown): AcceptedAction | undefined {
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const { action_id: actionId, reference } = json as Record<string, unknown>;
    if (
      typeof actionId === 'string' &&
      (reference === undefined || typeof reference === 'string')
    ) {
      return { action_id: actionId, reference };
    }
  }
  const parsed = acceptedActionSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

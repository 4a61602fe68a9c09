import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError } from '../../core/errors.js';
import type { ProviderResolveRequest } from '../../core/spec.js';
import {
  type CheckoutHttp,
  checkoutSendFailureToCaptureError,
  parseJsonBody,
  paymentPath,
} from './checkout-http.js';
import { mapCheckoutDecline, mapCheckoutHttpError } from './map-checkout-result.js';
import {
  type CheckoutPaymentAction,
  type CheckoutPaymentDetails,
  errorBodySchema,
  paymentActionsSchema,
  paymentDetailsSchema,
} from './schemas.js';

function failed(
  code: 'capture_not_found' | 'authorization_expired' | 'authorization_cancelled',
  message: string,
  status: string | undefined,
): CaptureError {
  return captureError({
    code,
    outcome: 'failed',
    retryable: code === 'capture_not_found',
    kind: 'checkout',
    message,
    ...(status ? { providerStatus: status } : {}),
  });
}

/** Reads `GET /payments/{id}`; `undefined` when it got no usable answer (best effort). */
async function readPayment(
  http: CheckoutHttp,
  request: ProviderResolveRequest,
): Promise<{ details: CheckoutPaymentDetails; raw: unknown } | undefined> {
  const sent = await http.send({
    method: 'GET',
    path: paymentPath(request.paymentId),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  if (sent.isErr() || sent.value.status !== 200) return undefined;
  const raw = parseJsonBody(sent.value.body);
  const parsed = paymentDetailsSchema.safeParse(raw);
  return parsed.success ? { details: parsed.data, raw } : undefined;
}

function findCapture(
  actions: readonly CheckoutPaymentAction[],
  request: ProviderResolveRequest,
): CheckoutPaymentAction | undefined {
  const captures = actions.filter((action) => action.type === 'Capture');
  if (request.captureId !== undefined) return captures.find((a) => a.id === request.captureId);
  // Without a caller reference the adapter sent the idempotency key as the reference.
  const reference = request.reference ?? request.idempotencyKey;
  return captures.find((a) => a.reference === reference);
}

/**
 * Finds what became of one capture: reads `GET /payments/{id}/actions` (and, alongside,
 * `GET /payments/{id}` for the currency, status and balances) and picks the `Capture`
 * action by `captureId` (the `action_id`), else by `reference` (the caller's, or the
 * idempotency key the adapter sent in its place).
 *
 * - `approved: true` → `Ok(succeeded)`; `approved: false` → `Err(failed)` from the
 *   response code; not yet decided, or accepted (known `captureId`) but not yet listed →
 *   `Ok(pending)`.
 * - No such capture → `Err(capture_not_found)`: safe to capture again with the SAME key
 *   (Checkout.com replays a 2xx for that key for 24 h). If the payment itself is
 *   `Expired` or `Voided`, `authorization_expired` / `authorization_cancelled` instead.
 *
 * @example
 * ```ts
 * const result = await resolveCheckoutCapture(http, { paymentId: 'pay_…', idempotencyKey: 'k1' });
 * ```
 */
export async function resolveCheckoutCapture(
  http: CheckoutHttp,
  request: ProviderResolveRequest,
): Promise<Result<ProviderCapture, CaptureError>> {
  const [sent, payment] = await Promise.all([
    http.send({
      method: 'GET',
      path: `${paymentPath(request.paymentId)}/actions`,
      ...(request.signal ? { signal: request.signal } : {}),
    }),
    readPayment(http, request),
  ]);
  if (sent.isErr()) return err(checkoutSendFailureToCaptureError(sent.error, 'resolve'));
  const response = sent.value;
  const json = parseJsonBody(response.body);
  if (response.status === 403) {
    return err(
      captureError({
        code: 'access_denied',
        outcome: 'failed',
        kind: 'checkout',
        httpStatus: 403,
        message:
          'Checkout.com refused to list the payment actions (HTTP 403): give checkout({ secretKey }) the payments read permission (gateway scope).',
      }),
    );
  }
  if (response.status !== 200) {
    const body = errorBodySchema.safeParse(json);
    return err(
      mapCheckoutHttpError(response.status, body.success ? body.data : undefined, 'resolve'),
    );
  }
  const actions = paymentActionsSchema.safeParse(json);
  if (!actions.success) {
    return err(
      captureError({
        code: 'provider_error',
        outcome: 'unknown',
        kind: 'checkout',
        httpStatus: 200,
        message:
          'GET /payments/{id}/actions answered 200 with a body that is not a list of actions. The inquiry got no reliable answer; call resolve() again.',
        cause: { body: json },
      }),
    );
  }
  const details = payment?.details;
  const status = details?.status ?? undefined;
  const action = findCapture(actions.data, request);
  if (!action) {
    if (request.captureId !== undefined) {
      return ok(pendingCapture(request, request.captureId, status));
    }
    if (status === 'Expired') {
      return err(
        failed(
          'authorization_expired',
          'No capture was found for this request and the authorization has expired (Checkout.com voids authorizations not captured within 7 days): the payment cannot be captured any more.',
          status,
        ),
      );
    }
    if (status === 'Voided') {
      return err(
        failed(
          'authorization_cancelled',
          'No capture was found for this request and the payment was voided: it cannot be captured any more.',
          status,
        ),
      );
    }
    return err(
      failed(
        'capture_not_found',
        `Checkout.com lists no capture with reference ${JSON.stringify(request.reference ?? request.idempotencyKey)} on this payment: it is safe to send the capture again with the SAME idempotency key (pass the same reference too, if the capture had one).`,
        status,
      ),
    );
  }
  if (action.approved === false) {
    return err(
      mapCheckoutDecline(action.response_code ?? undefined, action.response_summary ?? undefined),
    );
  }
  if (action.approved !== true) return ok(pendingCapture(request, action.id, status));
  const currency = details?.currency;
  const amount =
    typeof action.amount === 'number' && Number.isSafeInteger(action.amount) && currency
      ? { currency, value: BigInt(action.amount) }
      : undefined;
  const remaining = details?.balances?.available_to_capture;
  return ok({
    kind: 'checkout',
    status: 'succeeded',
    paymentId: request.paymentId,
    captureId: action.id,
    idempotencyKey: request.idempotencyKey,
    ...(amount ? { amount } : {}),
    // Capture actions do not say Final / NonFinal; nothing left to capture means final.
    final: typeof remaining === 'number' ? remaining === 0 : true,
    ...(action.processed_on ? { capturedAt: action.processed_on } : {}),
    providerMetadata: {
      actionId: action.id,
      ...(action.response_code ? { responseCode: action.response_code } : {}),
      ...(action.response_summary ? { responseSummary: action.response_summary } : {}),
      ...(action.reference ? { reference: action.reference } : {}),
      ...(status ? { paymentStatus: status } : {}),
      ...(details?.balances ? { balances: details.balances } : {}),
    },
    raw: {
      action: (json as unknown[]).find((a) => (a as { id?: unknown })?.id === action.id),
      payment: payment?.raw,
    },
  });
}

function pendingCapture(
  request: ProviderResolveRequest,
  actionId: string,
  paymentStatus: string | undefined,
): ProviderCapture {
  return {
    kind: 'checkout',
    status: 'pending',
    paymentId: request.paymentId,
    captureId: actionId,
    idempotencyKey: request.idempotencyKey,
    final: true,
    providerMetadata: { actionId, ...(paymentStatus ? { paymentStatus } : {}) },
    raw: { actionId, paymentStatus },
  };
}

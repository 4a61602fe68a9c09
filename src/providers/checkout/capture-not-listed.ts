import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError } from '../../core/errors.js';
import { inquiryFailure } from '../../core/inquiry-failure.js';
import type { ProviderResolveRequest } from '../../core/spec.js';
import { unknownOutcomeMessage } from '../../provider-kit/no-reliable-answer.js';
import type { PaymentRead } from './read-payment.js';

const KIND = 'checkout';

/**
 * Payment statuses under which an unlisted capture is authoritatively absent: nothing is
 * being processed. Any other status (`Capture Pending`, `Pending`, one this adapter does not
 * know) may still turn into a listed capture, so "not listed" proves nothing there.
 */
const SETTLED_STATUSES: ReadonlySet<string> = new Set([
  'Authorized',
  'Card Verified',
  'Partially Captured',
  'Captured',
  'Partially Refunded',
  'Refunded',
  'Declined',
  'Canceled',
  'Expired',
  'Voided',
]);

function failed(
  code: 'capture_not_found' | 'authorization_expired' | 'authorization_cancelled',
  message: string,
  status: string | undefined,
): CaptureError {
  return captureError({
    code,
    outcome: 'failed',
    retryable: code === 'capture_not_found',
    kind: KIND,
    message,
    ...(status ? { providerStatus: status } : {}),
  });
}

/** No listed capture is this one: absent only if the payment says nothing is in progress. */
export function captureNotListed(
  request: ProviderResolveRequest,
  payment: PaymentRead,
  status: string | undefined,
): Result<ProviderCapture, CaptureError> {
  // Accepted by a 202 (the action id came from it), just not listed yet.
  if (request.captureId !== undefined) {
    return ok(pendingCapture(request, request.captureId, status));
  }
  if (!payment.ok || status === undefined) {
    return err(
      inquiryFailure({
        kind: KIND,
        inquiry: 'GET /payments/{id}',
        code: 'provider_error',
        reason: `no capture is listed for this key, but ${payment.ok ? 'the payment has no status' : payment.why}, so a capture still being processed cannot be ruled out`,
      }),
    );
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
  if (!SETTLED_STATUSES.has(status)) {
    return err(
      captureError({
        code: status === 'Capture Pending' ? 'capture_in_progress' : 'outcome_unknown',
        outcome: 'unknown',
        retryable: true,
        kind: KIND,
        providerStatus: status,
        message: unknownOutcomeMessage(
          `No capture is listed for this key yet, but the payment is ${JSON.stringify(status)}: a capture is being processed and may be this one`,
        ),
      }),
    );
  }
  const quoted = JSON.stringify(request.reference ?? request.idempotencyKey);
  return err(
    failed(
      'capture_not_found',
      `Checkout.com lists no capture with idempotency key ${JSON.stringify(request.idempotencyKey)} (in metadata) or reference ${quoted} on this payment, and nothing is being processed (status ${status}): nothing was captured under this key. It is safe to send the capture again with the SAME idempotency key (and the same reference, if it had one).`,
      status,
    ),
  );
}

/** A capture accepted (202) but not decided yet: `pending`, never a guess. */
export function pendingCapture(
  request: ProviderResolveRequest,
  actionId: string,
  paymentStatus: string | undefined,
): ProviderCapture {
  return {
    kind: KIND,
    status: 'pending',
    paymentId: request.paymentId,
    captureId: actionId,
    idempotencyKey: request.idempotencyKey,
    final: true,
    providerMetadata: { actionId, ...(paymentStatus ? { paymentStatus } : {}) },
    raw: { actionId, paymentStatus },
  };
}

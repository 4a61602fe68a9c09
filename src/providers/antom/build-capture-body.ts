import type { Result } from 'neverthrow';
import type { CaptureError } from '../../core/errors.js';
import type { Money } from '../../core/money.js';
import { serializeRequestBody } from '../../core/serialize-request-body.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import { toAntomAmount } from './amount.js';

/** What {@link buildCaptureBody} adds to the neutral request, all checked by the caller. */
interface AntomBodyParts {
  /** The amount to capture: the caller's, or what `inquiryPayment` says is left. */
  readonly amount: Money;
  readonly captureType?: string;
  /** Whether `providerOptions.antom.transit` was given (and validated). */
  readonly hasTransit: boolean;
  /** Whether the contract allows several captures (then `isLastCapture` is sent). */
  readonly multipleCaptures: boolean;
}

/**
 * The exact bytes of Antom's `capture` body. Serialized before anything is sent: transit
 * is the caller's own object, and one that cannot be JSON must be refused here
 * (`invalid_request` / `not_attempted`), not throw mid-call and read as unknown.
 *
 * @example
 * ```ts
 * buildCaptureBody(request, { amount: { currency: 'USD', value: 5000n }, hasTransit: false,
 *   multipleCaptures: false });
 * // Ok('{"paymentId":"…","captureRequestId":"…","captureAmount":{"currency":"USD","value":"5000"}}')
 * ```
 */
export function buildCaptureBody(
  request: ProviderCaptureRequest,
  parts: AntomBodyParts,
): Result<string, CaptureError> {
  const body = {
    paymentId: request.paymentId,
    captureRequestId: request.idempotencyKey,
    captureAmount: toAntomAmount(parts.amount),
    ...(parts.captureType ? { captureType: parts.captureType } : {}),
    // ASSUMED: the SDK's isLastCapture, as a string like every Antom scalar.
    ...(parts.multipleCaptures ? { isLastCapture: String(request.final) } : {}),
    // Sent exactly as the caller wrote it (validated before), so its bytes are the caller's.
    ...(parts.hasTransit
      ? { transit: (request.providerOptions as { transit: unknown }).transit }
      : {}),
  };
  return serializeRequestBody('antom', body, request.providerOptions);
}

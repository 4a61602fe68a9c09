import { err, type Result } from 'neverthrow';
import { type CaptureError, captureError } from '../../core/errors.js';
import { serializeRequestBody } from '../../core/serialize-request-body.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import { parseProviderOptions } from '../../provider-kit/parse-provider-options.js';
import { checkoutAmountProblem } from './exponents.js';
import { checkoutOptionsSchema } from './schemas.js';

function invalid(message: string): CaptureError {
  return captureError({
    code: 'invalid_request',
    outcome: 'not_attempted',
    kind: 'checkout',
    message,
  });
}

/**
 * The `metadata` key under which the adapter sends the idempotency key with every capture.
 * Checkout.com lists each action's `metadata` in `GET /payments/{id}/actions`, so
 * `resolve()` finds exactly the capture sent with a key, even when several captures share
 * a reference. Caller metadata may not use this key.
 *
 * @example
 * ```ts
 * // In a payment_captured webhook or the actions list:
 * const key = action.metadata?.[CHECKOUT_IDEMPOTENCY_METADATA_KEY]; // 'order-5023-capture-1'
 * ```
 */
export const CHECKOUT_IDEMPOTENCY_METADATA_KEY = 'capture_kit_idempotency_key';

/**
 * Builds the exact JSON bytes of `POST /payments/{id}/captures` from a neutral request, or
 * refuses it before anything is sent (`invalid_request` / `not_attempted`).
 *
 * Field order follows Checkout.com's examples: `amount` (omitted = full remaining),
 * `capture_type` (only `NonFinal` is sent; `Final` is the API default), `reference`,
 * `metadata` (the caller's, then {@link CHECKOUT_IDEMPOTENCY_METADATA_KEY}), then
 * `providerOptions.checkout` fields. Without a caller `reference` the idempotency key is
 * also sent as `reference`. The body is serialized here, before anything is sent: options
 * that cannot be JSON are refused by name.
 *
 * @example
 * ```ts
 * buildCaptureBody({ paymentId, final: true, idempotencyKey: 'k1', amount: { currency: 'EUR', value: 3500n },
 *   reference: 'ORD-5023-4E89' });
 * // Ok('{"amount":3500,"reference":"ORD-5023-4E89","metadata":{"capture_kit_idempotency_key":"k1"}}')
 * ```
 */
export function buildCaptureBody(request: ProviderCaptureRequest): Result<string, CaptureError> {
  const parsedOptions = parseProviderOptions(
    'checkout',
    checkoutOptionsSchema,
    request.providerOptions,
  );
  if (parsedOptions.isErr()) return err(parsedOptions.error);
  const options = parsedOptions.value;
  if (request.amount) {
    const problem = checkoutAmountProblem(request.amount);
    if (problem) return err(invalid(problem));
  }
  if (request.metadata && Object.hasOwn(request.metadata, CHECKOUT_IDEMPOTENCY_METADATA_KEY)) {
    return err(
      invalid(
        `metadata.${CHECKOUT_IDEMPOTENCY_METADATA_KEY} is reserved: the adapter sends the idempotency key there so resolve() can find this exact capture. Rename that metadata key.`,
      ),
    );
  }
  // Built in place rather than from conditional spreads (this runs on every capture); the
  // key order is the one documented above, and options last override as a spread would.
  const body: Record<string, unknown> = {};
  // At most 9 digits (checked above), so the conversion to a JSON number is exact.
  if (request.amount) body.amount = Number(request.amount.value);
  if (!request.final) body.capture_type = 'NonFinal';
  body.reference = request.reference ?? request.idempotencyKey;
  const metadata: Record<string, unknown> = { ...request.metadata };
  metadata[CHECKOUT_IDEMPOTENCY_METADATA_KEY] = request.idempotencyKey;
  body.metadata = metadata;
  Object.assign(body, options);
  return serializeRequestBody('checkout', body, request.providerOptions);
}

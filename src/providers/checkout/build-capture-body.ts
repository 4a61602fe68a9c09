import { err, ok, type Result } from 'neverthrow';
import { type CaptureError, captureError } from '../../core/errors.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import { checkoutAmountProblem } from './exponents.js';
import { CHECKOUT_OPTION_KEYS, checkoutOptionsSchema } from './schemas.js';

function invalid(message: string): CaptureError {
  return captureError({
    code: 'invalid_request',
    outcome: 'not_attempted',
    kind: 'checkout',
    message,
  });
}

/**
 * Builds the exact JSON bytes of `POST /payments/{id}/captures` from a neutral request, or
 * refuses it before anything is sent (`invalid_request` / `not_attempted`).
 *
 * Field order follows Checkout.com's examples: `amount` (omitted = full remaining),
 * `capture_type` (only `NonFinal` is sent; `Final` is the API default), `reference`,
 * `metadata`, then `providerOptions.checkout` fields. Without a caller `reference` the
 * idempotency key is sent as `reference`, so `resolve()` can find the capture in the
 * payment's actions after a timeout.
 *
 * @example
 * ```ts
 * buildCaptureBody({ paymentId, final: true, idempotencyKey: 'k1', amount: { currency: 'EUR', value: 3500n },
 *   reference: 'ORD-5023-4E89' });
 * // Ok('{"amount":3500,"reference":"ORD-5023-4E89"}')
 * ```
 */
export function buildCaptureBody(request: ProviderCaptureRequest): Result<string, CaptureError> {
  let options = {};
  if (request.providerOptions !== undefined) {
    const parsed = checkoutOptionsSchema.safeParse(request.providerOptions);
    if (!parsed.success) {
      // Only top-level unknown keys get the list of accepted fields; a nested one (inside an
      // amount allocation) is reported with its path like any other problem.
      const unknownKeys = parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys' && issue.path.length === 0 ? issue.keys : [],
      );
      const field = (path: readonly PropertyKey[]) =>
        ['providerOptions.checkout', ...path.map(String)].join('.');
      return err(
        invalid(
          unknownKeys.length > 0
            ? `providerOptions.checkout has unknown field(s) ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}: Checkout.com captures accept ${CHECKOUT_OPTION_KEYS.join(', ')}.`
            : `Invalid providerOptions.checkout: ${parsed.error.issues
                .slice(0, 5)
                .map((issue) =>
                  issue.code === 'unrecognized_keys'
                    ? `${field(issue.path)} has unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
                    : `${field(issue.path)} ${issue.message}`,
                )
                .join('; ')}.`,
        ),
      );
    }
    options = parsed.data;
  }
  if (request.amount) {
    const problem = checkoutAmountProblem(request.amount);
    if (problem) return err(invalid(problem));
  }
  const body = {
    // At most 9 digits (checked above), so the conversion to a JSON number is exact.
    ...(request.amount ? { amount: Number(request.amount.value) } : {}),
    ...(request.final ? {} : { capture_type: 'NonFinal' }),
    reference: request.reference ?? request.idempotencyKey,
    ...(request.metadata ? { metadata: request.metadata } : {}),
    ...options,
  };
  return ok(JSON.stringify(body));
}

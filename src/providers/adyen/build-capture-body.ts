import { err, ok, type Result } from 'neverthrow';
import { type CaptureError, captureError } from '../../core/errors.js';
import type { Money } from '../../core/money.js';
import { serializeRequestBody } from '../../core/serialize-request-body.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import { parseProviderOptions } from '../../provider-kit/parse-provider-options.js';
import { adyenOptionsSchema } from './schemas.js';

/** Adyen's `reference` is at most 80 characters. */
const MAX_REFERENCE = 80;

function invalid(message: string): CaptureError {
  return captureError({
    code: 'invalid_request',
    outcome: 'not_attempted',
    kind: 'adyen',
    message,
  });
}

/** What the capture body is built from: the same for `capture()` and the same-key re-send of `resolve()`. */
export interface AdyenCaptureInput {
  readonly idempotencyKey: string;
  readonly amount: Money;
  readonly reference?: string;
  readonly providerOptions?: unknown;
}

/**
 * The amount to send: the request's, or — with the amount omitted — `authorizedAmount` when
 * the account allows one capture per payment (then "the rest" is the authorized amount).
 * Anything else is refused before sending: Adyen has no "capture the rest" form.
 */
export function captureAmount(
  request: ProviderCaptureRequest,
  multiplePartialCaptures: boolean,
): Result<Money, CaptureError> {
  if (request.amount) return ok(request.amount);
  if (request.authorizedAmount && !multiplePartialCaptures) return ok(request.authorizedAmount);
  return err(
    invalid(
      multiplePartialCaptures
        ? 'amount is required for Adyen: with multiple partial captures the rest of the payment is not known to this library (the Checkout API cannot look it up). Pass amount.'
        : 'amount is required for Adyen: the capture request has no "capture the rest" form and the Checkout API cannot look the authorized amount up. Pass amount, or authorizedAmount to capture all of it.',
    ),
  );
}

/**
 * Builds the exact JSON bytes of `POST /v71/payments/{paymentPspReference}/captures`:
 * `merchantAccount`, `amount { value, currency }` (minor units), `reference` (the caller's,
 * else the idempotency key), then `providerOptions.adyen` fields. Serialized before anything
 * is sent; the same input gives the same bytes, which is what the same-key re-send of
 * `resolve()` relies on.
 *
 * @example
 * ```ts
 * buildCaptureBody('ShopEU', { idempotencyKey: 'k1', amount: { currency: 'EUR', value: 3500n }, reference: 'ORD-5023' });
 * // Ok('{"merchantAccount":"ShopEU","amount":{"value":3500,"currency":"EUR"},"reference":"ORD-5023"}')
 * ```
 */
export function buildCaptureBody(
  merchantAccount: string,
  input: AdyenCaptureInput,
): Result<string, CaptureError> {
  const options = parseProviderOptions('adyen', adyenOptionsSchema, input.providerOptions);
  if (options.isErr()) return err(options.error);
  const { amount } = input;
  if (amount.value <= 0n || amount.value > BigInt(Number.MAX_SAFE_INTEGER)) {
    return err(
      invalid(
        `amount.value ${amount.value} cannot be sent to Adyen: it must be a positive whole number of minor units that JSON carries exactly.`,
      ),
    );
  }
  const reference = input.reference ?? input.idempotencyKey;
  if (reference.length > MAX_REFERENCE) {
    return err(
      invalid(
        `reference is ${reference.length} characters; Adyen accepts at most ${MAX_REFERENCE}: shorten reference (or the idempotencyKey, which is sent as reference when none is given).`,
      ),
    );
  }
  const body = {
    merchantAccount,
    // Checked above: a safe integer, so the JSON number is exact.
    amount: { value: Number(amount.value), currency: amount.currency },
    reference,
    ...options.value,
  };
  return serializeRequestBody('adyen', body, input.providerOptions);
}

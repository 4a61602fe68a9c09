import { createHash } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import { type CaptureError, captureError } from '../../core/errors.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import { parseProviderOptions } from '../../provider-kit/parse-provider-options.js';
import { stripeOptionsSchema } from './schemas.js';

/**
 * The PaymentIntent metadata key that marks the capture sent with `idempotencyKey`:
 * `ck_` and the first 32 hex digits of its SHA-256 (Stripe metadata keys hold at most 40
 * characters, an idempotency key up to 64). Stripe writes a capture's `metadata[...]` in
 * the same call that captures, so the marker is on the PaymentIntent exactly when that
 * capture happened: `resolve()` reads it, and a webhook's PaymentIntent carries it. Stripe
 * has no id per capture (multicapture shares one charge), so this key is also the
 * capture's `captureId`.
 *
 * @example
 * ```ts
 * stripeCaptureMarker('order-5023-capture-1'); // 'ck_…' (35 characters)
 * ```
 */
export function stripeCaptureMarker(idempotencyKey: string): string {
  return `ck_${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32)}`;
}

/**
 * What one marker records: the amount asked for (absent = the rest), the flag, the key.
 *
 * @example
 * ```ts
 * const marker: StripeMarker = { amount: 3000n, final: false, idempotencyKey: 'order-5023-capture-1' };
 * ```
 */
export interface StripeMarker {
  readonly amount?: bigint;
  readonly final: boolean;
  readonly idempotencyKey: string;
}

const MARKER_NAME = /^ck_[0-9a-f]{32}$/;

/**
 * The marker's value: `<amount or empty>|<final|more>|<idempotency key>` (≤ 500 characters).
 *
 * @example
 * ```ts
 * formatStripeMarker({ amount: 3000n, final: false, idempotencyKey: 'k1' }); // '3000|more|k1'
 * ```
 */
export function formatStripeMarker(marker: StripeMarker): string {
  return `${marker.amount?.toString() ?? ''}|${marker.final ? 'final' : 'more'}|${marker.idempotencyKey}`;
}

/**
 * Reads a marker value back; `undefined` when it is not one the adapter wrote.
 *
 * @example
 * ```ts
 * parseStripeMarker('3000|more|k1'); // { amount: 3000n, final: false, idempotencyKey: 'k1' }
 * ```
 */
export function parseStripeMarker(value: string): StripeMarker | undefined {
  const match = /^(\d{0,18})\|(final|more)\|(.+)$/s.exec(value);
  if (!match) return undefined;
  const [, amount, flag, idempotencyKey] = match;
  if (idempotencyKey === undefined) return undefined;
  return {
    ...(amount ? { amount: BigInt(amount) } : {}),
    final: flag === 'final',
    idempotencyKey,
  };
}

/**
 * Every capture-kit marker on a PaymentIntent's metadata, by marker key; a value whose key
 * does not hash to its name is left out (someone else's metadata).
 *
 * @example
 * ```ts
 * const markers = stripeMarkers(paymentIntent.metadata); // Map { 'ck_…' => { amount: 3000n, … } }
 * ```
 */
export function stripeMarkers(
  metadata: Readonly<Record<string, string>> | null | undefined,
): ReadonlyMap<string, StripeMarker> {
  const markers = new Map<string, StripeMarker>();
  for (const [name, value] of Object.entries(metadata ?? {})) {
    if (!MARKER_NAME.test(name)) continue;
    const marker = parseStripeMarker(value);
    if (marker && stripeCaptureMarker(marker.idempotencyKey) === name) markers.set(name, marker);
  }
  return markers;
}

function invalid(message: string): CaptureError {
  return captureError({
    code: 'invalid_request',
    outcome: 'not_attempted',
    kind: 'stripe',
    message,
  });
}

/**
 * The exact form-encoded body of `POST /v1/payment_intents/{id}/capture`, or a refusal
 * before anything is sent (`invalid_request`, `not_attempted`). Fields: `amount_to_capture`
 * (omitted = Stripe captures all of `amount_capturable`), `final_capture=false` only for
 * `final: false` (true is Stripe's default), the caller's `metadata[...]`, the capture
 * marker ({@link stripeCaptureMarker}), then `providerOptions.stripe`. `reference` has no
 * capture field and is not sent.
 *
 * @example
 * ```ts
 * buildCaptureBody({ paymentId: 'pi_1', idempotencyKey: 'k1', final: false,
 *   amount: { currency: 'EUR', value: 3000n } });
 * // Ok('amount_to_capture=3000&final_capture=false&metadata%5Bck_…%5D=3000%7Cmore%7Ck1')
 * ```
 */
export function buildCaptureBody(
  request: Pick<
    ProviderCaptureRequest,
    'paymentId' | 'idempotencyKey' | 'final' | 'amount' | 'metadata' | 'providerOptions'
  >,
): Result<string, CaptureError> {
  const options = parseProviderOptions('stripe', stripeOptionsSchema, request.providerOptions);
  if (options.isErr()) return err(options.error);
  const form = new URLSearchParams();
  if (request.amount) {
    const value = request.amount.value;
    if (value <= 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      return err(invalid('amount.value must be a positive whole number of minor units.'));
    }
    form.append('amount_to_capture', value.toString());
  }
  if (!request.final) form.append('final_capture', 'false');
  const marker = stripeCaptureMarker(request.idempotencyKey);
  for (const [key, value] of Object.entries(request.metadata ?? {})) {
    if (MARKER_NAME.test(key)) {
      return err(
        invalid(
          `metadata.${key} looks like a capture-kit marker (ck_ and 32 hex digits), which the adapter writes itself: rename that metadata key.`,
        ),
      );
    }
    if (key.length > 40 || /[[\]]/.test(key)) {
      return err(
        invalid(
          `metadata key ${JSON.stringify(key.slice(0, 50))} is not a Stripe metadata key: at most 40 characters, no square brackets.`,
        ),
      );
    }
    const text = String(value);
    if (text.length > 500) {
      return err(invalid(`metadata.${key} is longer than Stripe's 500 characters.`));
    }
    form.append(`metadata[${key}]`, text);
  }
  form.append(
    `metadata[${marker}]`,
    formatStripeMarker({
      ...(request.amount ? { amount: request.amount.value } : {}),
      final: request.final,
      idempotencyKey: request.idempotencyKey,
    }),
  );
  if (options.value.statementDescriptorSuffix !== undefined) {
    form.append('statement_descriptor_suffix', options.value.statementDescriptorSuffix);
  }
  if (options.value.applicationFeeAmount !== undefined) {
    form.append('application_fee_amount', String(options.value.applicationFeeAmount));
  }
  return ok(form.toString());
}

import type { captureRequestSchema } from './capture-request.js';

type ValidRequest = ReturnType<typeof captureRequestSchema.parse>;

/** The fields the fast path reads; any other key sends the request to the schema. */
const FAST_KEYS = new Set([
  'provider',
  'paymentId',
  'amount',
  'final',
  'idempotencyKey',
  'reference',
  'signal',
  'dangerouslyIgnoreUnresolved',
]);

const PRINTABLE_ASCII = /^[\x21-\x7E]+$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function optionalString(value: unknown, max: number): boolean {
  return (
    value === undefined || (typeof value === 'string' && value.length >= 1 && value.length <= max)
  );
}

function validAmount(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isPlainObject(value)) return false;
  let keys = 0;
  for (const key in value) {
    if (key !== 'currency' && key !== 'value') return false;
    keys += 1;
  }
  if (keys !== 2 || typeof value.currency !== 'string') return false;
  const amount = value.value;
  // zod 4's z.number() refuses NaN and ±Infinity.
  return (
    typeof amount === 'bigint' ||
    typeof amount === 'string' ||
    (typeof amount === 'number' && Number.isFinite(amount))
  );
}

/**
 * The common capture request checked by hand, the same rules as `captureRequestSchema`
 * for the fields it knows: a copy of the request when every field is plainly valid, or
 * `undefined` — then the schema decides, and words any error. zod costs a few µs per
 * capture on the hot path (bench/FINDINGS.md, "Session 4");
 * test/core/fast-capture-request.property.test.ts checks this against the schema.
 *
 * @example
 * ```ts
 * const request = fastCaptureRequest(input) ?? captureRequestSchema.parse(input);
 * ```
 */
export function fastCaptureRequest(input: unknown): ValidRequest | undefined {
  if (!isPlainObject(input)) return undefined;
  for (const key in input) if (!FAST_KEYS.has(key)) return undefined;
  const { provider, paymentId, amount, final, idempotencyKey, reference, signal } = input;
  const ignoreUnresolved = input.dangerouslyIgnoreUnresolved;
  if (typeof provider !== 'string' || provider.length === 0) return undefined;
  if (typeof paymentId !== 'string' || paymentId.length === 0 || paymentId.length > 64) {
    return undefined;
  }
  if (!validAmount(amount)) return undefined;
  if (final !== undefined && typeof final !== 'boolean') return undefined;
  if (idempotencyKey !== undefined) {
    if (!optionalString(idempotencyKey, 64)) return undefined;
    if (!PRINTABLE_ASCII.test(idempotencyKey as string)) return undefined;
  }
  if (!optionalString(reference, 256)) return undefined;
  if (signal !== undefined && !(signal instanceof AbortSignal)) return undefined;
  if (ignoreUnresolved !== undefined && typeof ignoreUnresolved !== 'boolean') return undefined;
  const out: Record<string, unknown> = { provider, paymentId };
  if (amount !== undefined) {
    const money = amount as { currency: string; value: unknown };
    out.amount = { currency: money.currency, value: money.value };
  }
  if (final !== undefined) out.final = final;
  if (idempotencyKey !== undefined) out.idempotencyKey = idempotencyKey;
  if (reference !== undefined) out.reference = reference;
  if (signal !== undefined) out.signal = signal;
  if (ignoreUnresolved !== undefined) out.dangerouslyIgnoreUnresolved = ignoreUnresolved;
  return out as ValidRequest;
}

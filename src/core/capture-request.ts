import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CapabilityContext } from './capabilities.js';
import type { MoneyInput } from './money.js';
import type { CaptureMetadata } from './spec.js';

/**
 * What `client.capture()` takes.
 *
 * @example
 * ```ts
 * const request: CaptureRequest = {
 *   provider: 'cko',
 *   paymentId: 'pay_kladqdb6hm5ebggtq45rtzjati',
 *   amount: { currency: 'EUR', value: 3500n },
 *   final: false,
 *   context: { cardBrand: 'visa' }, // Checkout.com allows more captures for Visa, MC, Amex, Discover
 *   idempotencyKey: 'order-5023-capture-1',
 *   reference: 'ORD-5023',
 * };
 * ```
 */
export interface CaptureRequest {
  /** The key under which the adapter was registered in `createCaptureClient({ providers })`. */
  readonly provider: string;
  /** The provider's id of the authorized payment. At most 64 characters. */
  readonly paymentId: string;
  /** Minor units. Omit to capture the full remaining amount. */
  readonly amount?: MoneyInput;
  /** `true` (default): this capture closes the authorization. `false`: more captures follow. */
  readonly final?: boolean;
  /** At most 64 printable ASCII characters. Generated (`ck_…`) when absent; always returned. */
  readonly idempotencyKey?: string;
  /** Your own reference for the capture (order number). At most 256 characters. */
  readonly reference?: string;
  /** Flat key/value pairs; values are strings, finite numbers or booleans. */
  readonly metadata?: CaptureMetadata;
  /** The authorized amount, when you know it: lets preflight spot partial and over-captures. */
  readonly authorizedAmount?: MoneyInput;
  /** Facts about the payment (card brand, issuer country) that change what is allowed. */
  readonly context?: CapabilityContext;
  /** Provider-specific inputs, keyed by adapter kind: `{ antom: { transit } }`. */
  readonly providerOptions?: Readonly<Record<string, unknown>>;
  /** Aborts the call. An abort after sending gives `outcome: 'unknown'`. */
  readonly signal?: AbortSignal;
  /**
   * Send even though another capture on this payment is still unresolved (`sending` or
   * `unknown` under another key). Without it such a capture is refused with
   * `unresolved_capture`, because a second key could capture twice. Pass `true` only when
   * you know the other capture cannot have moved money (e.g. you voided it by hand).
   */
  readonly dangerouslyIgnoreUnresolved?: boolean;
}

/**
 * What `client.resolve()` takes: the same `provider`, `paymentId` and `idempotencyKey`
 * the capture was sent with.
 *
 * @example
 * ```ts
 * await client.resolve({ provider: 'antom', paymentId, idempotencyKey: 'order-5023-capture-1' });
 * ```
 */
export interface ResolveRequest {
  readonly provider: string;
  readonly paymentId: string;
  readonly idempotencyKey: string;
  /** The provider's capture id from an earlier pending result (Checkout.com `action_id`). */
  readonly captureId?: string;
  /** The reference the capture was sent with (lets Checkout.com match by reference). */
  readonly reference?: string;
  /**
   * The amount the capture was sent with. A match by something weaker than the key (a
   * reference shared by several captures) must also match it. The journal supplies it for
   * captures it recorded.
   */
  readonly amount?: MoneyInput;
  readonly signal?: AbortSignal;
  /**
   * Accepted and ignored, so the very object passed to `capture()` can be passed to
   * `resolve()`: `final`, `metadata`, `authorizedAmount`, `context`, `providerOptions`,
   * `dangerouslyIgnoreUnresolved`.
   */
  readonly final?: boolean;
  readonly metadata?: CaptureMetadata;
  readonly authorizedAmount?: MoneyInput;
  readonly context?: CapabilityContext;
  readonly providerOptions?: Readonly<Record<string, unknown>>;
  readonly dangerouslyIgnoreUnresolved?: boolean;
}

const printableAscii = /^[\x21-\x7E]+$/;

const moneyInputSchema = z.strictObject({
  currency: z.string(),
  value: z.union([z.bigint(), z.number(), z.string()], {
    error: 'must be a bigint, a safe integer or a string of digits (minor units)',
  }),
});

const contextSchema = z.strictObject({
  paymentMethod: z.string().min(1).optional(),
  cardBrand: z.string().min(1).optional(),
  issuerCountry: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be a two-letter ISO 3166-1 country code')
    .optional(),
  currency: z.string().optional(),
});

const idempotencyKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters (Antom and Alipay+ limit captureRequestId to 64)')
  .regex(printableAscii, 'must be printable ASCII without spaces');

/**
 * Strict schema for {@link CaptureRequest}: unknown fields are rejected by name.
 *
 * @example
 * ```ts
 * const input = { provider: 'cko', paymentId: 'pay_1', transit: {} };
 * captureRequestSchema.safeParse(input).success;
 * // false: unrecognized key "transit" (it belongs in providerOptions.antom)
 * ```
 */
export const captureRequestSchema = z.strictObject({
  provider: z.string().min(1, 'must name a provider registered with createCaptureClient'),
  paymentId: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  amount: moneyInputSchema.optional(),
  final: z.boolean().optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
  reference: z.string().min(1).max(256, 'must be at most 256 characters').optional(),
  metadata: z
    .record(
      z.string().min(1).max(100),
      z.union(
        [z.string().max(1024), z.number().refine(Number.isFinite, 'must be finite'), z.boolean()],
        {
          error:
            'must be a string of at most 1024 characters, a finite number or a boolean (no nested objects or arrays)',
        },
      ),
      { error: 'must be a flat object of string, number or boolean values' },
    )
    .optional(),
  authorizedAmount: moneyInputSchema.optional(),
  context: contextSchema.optional(),
  providerOptions: z.record(z.string(), z.unknown()).optional(),
  signal: z.instanceof(AbortSignal).optional(),
  dangerouslyIgnoreUnresolved: z.boolean().optional(),
});

/**
 * Strict schema for {@link ResolveRequest}.
 *
 * @example
 * ```ts
 * const parsed = resolveRequestSchema.safeParse({ provider: 'antom', paymentId: 'pay_1' });
 * parsed.success; // false: idempotencyKey is required
 * ```
 */
export const resolveRequestSchema = z.strictObject({
  provider: z.string().min(1),
  paymentId: z.string().min(1).max(64),
  idempotencyKey: idempotencyKeySchema,
  captureId: z.string().min(1).max(128).optional(),
  reference: z.string().min(1).max(256).optional(),
  amount: moneyInputSchema.optional(),
  signal: z.instanceof(AbortSignal).optional(),
  // Capture-only fields, accepted (so a CaptureRequest can be passed as is) and ignored.
  final: z.unknown().optional(),
  metadata: z.unknown().optional(),
  authorizedAmount: z.unknown().optional(),
  context: z.unknown().optional(),
  providerOptions: z.unknown().optional(),
  dangerouslyIgnoreUnresolved: z.unknown().optional(),
});

/** Turns zod issues into one sentence naming each field at fault. */
export function describeIssues(error: z.ZodError, root = 'request'): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(String).join('.') : root;
      if (issue.code === 'unrecognized_keys') {
        return `${path === root ? root : path} has unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}: remove them (provider-specific inputs go in providerOptions.<kind>)`;
      }
      return `${path} ${issue.message}`;
    })
    .join('; ');
}

/**
 * A fresh idempotency key: `ck_` + 32 hex characters (35 in all, within every provider's limit).
 *
 * @example
 * ```ts
 * const idempotencyKey = generateIdempotencyKey(); // e.g. 'ck_6595d7b383074be88db2c50b733ef2e5'
 * await saveCaptureKey(orderId, idempotencyKey); // store it first: a retry must reuse it
 * await client.capture({ provider: 'cko', paymentId, idempotencyKey });
 * ```
 */
export function generateIdempotencyKey(): string {
  return `ck_${randomUUID().replaceAll('-', '')}`;
}

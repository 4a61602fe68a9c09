import type { Money } from './money.js';

/**
 * A capture the provider accepted. `status: 'succeeded'` means the money moved;
 * `'pending'` means the provider accepted the request and will report the result later
 * (a webhook, or `resolve()`).
 *
 * @example
 * ```ts
 * const result = await client.capture({ provider: 'antom', paymentId, amount });
 * result.map((capture) => console.log(capture.status, capture.captureId));
 * ```
 */
export interface Capture {
  /** The client's name for the provider (the key in `providers`). */
  readonly provider: string;
  /** The adapter kind: `'antom'`, `'alipayV2'`, `'checkout'`, … */
  readonly kind: string;
  readonly status: 'succeeded' | 'pending';
  readonly paymentId: string;
  /** The provider's id for this capture (Antom `captureId`, Checkout.com `action_id`). */
  readonly captureId?: string;
  /** The key the capture was sent with; keep it to resolve or retry safely. */
  readonly idempotencyKey: string;
  /** What the provider says it captured (or accepted for capture). */
  readonly amount?: Money;
  /** Whether this capture closes the authorization. */
  readonly final: boolean;
  /** ISO-8601 time the provider reports for the capture. */
  readonly capturedAt?: string;
  /** Provider-specific facts, e.g. `acquirerReferenceNo`. */
  readonly providerMetadata: Readonly<Record<string, unknown>>;
  /** The parsed provider response, for audit. Never contains secrets. */
  readonly raw: unknown;
}

/**
 * A {@link Capture} as an adapter returns it; the client adds `provider`.
 *
 * @example
 * ```ts
 * const capture: ProviderCapture = {
 *   kind: 'memory', status: 'succeeded', paymentId: 'pay_1', idempotencyKey: 'order-5023-1',
 *   final: true, providerMetadata: {}, raw: {},
 * };
 * const answer = ok(capture); // what an adapter's doCapture() resolves to
 * ```
 */
export type ProviderCapture = Omit<Capture, 'provider'>;

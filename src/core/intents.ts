import type { CapabilityContext } from './capabilities.js';
import type { CaptureErrorCode } from './errors.js';
import type { Money } from './money.js';

export { applyIntentEvent } from './apply-intent-event.js';
export { decideBegin } from './decide-begin.js';

/**
 * Where one capture intent stands (DESIGN §8):
 * - `sending`: recorded before the first byte left; no answer yet. Found later, once its
 *   deadline passed, it means the process died mid-flight and counts as `unknown`.
 * - `pending`: the provider acknowledged it; the result comes later (webhook, `resolve()`).
 * - `unknown`: money may have moved; only an authoritative answer about this capture ends it.
 * - `succeeded` / `failed`: final.
 *
 * @example
 * ```ts
 * const open: readonly IntentState[] = ['sending', 'unknown', 'pending'];
 * const intents = await client.intents({ state: 'unknown' });
 * ```
 */
export type IntentState = 'sending' | 'pending' | 'unknown' | 'succeeded' | 'failed';

/**
 * One capture as the journal remembers it: one provider, one idempotency key, one payment,
 * one amount. Plain JSON-friendly data (amounts are `Money` with `bigint` values) so a
 * durable journal can store it as rows.
 *
 * @example
 * ```ts
 * const [open] = await client.intents({ paymentId: 'pay_123', state: 'unknown' });
 * if (open) await client.resolve({ provider: open.provider, paymentId: open.paymentId,
 *   idempotencyKey: open.idempotencyKey });
 * ```
 */
export interface CaptureIntent {
  /** The client's name for the provider (the key in `providers`). */
  readonly provider: string;
  /** The adapter kind (`'checkout'`, `'antom'`, …). */
  readonly kind: string;
  readonly idempotencyKey: string;
  readonly paymentId: string;
  /** The amount asked for; absent = the full remaining amount. */
  readonly amount?: Money;
  readonly final: boolean;
  readonly reference?: string;
  /** Request data needed to send the same capture again (reconcile): never secrets. */
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
  /** `providerOptions[kind]` as sent, JSON-serializable (the adapter already serialized it). */
  readonly providerOptions?: unknown;
  /** The request's `authorizedAmount`, so a re-send (reconcile) is the same request. */
  readonly authorizedAmount?: Money;
  /** The request's `context` as given, so a re-send (reconcile) is the same request. */
  readonly context?: CapabilityContext;
  readonly state: IntentState;
  /** The provider's id for the capture, once known. */
  readonly captureId?: string;
  /** What the provider reports it captured (or accepted). */
  readonly capturedAmount?: Money;
  readonly capturedAt?: string;
  /** Provider facts from the answer that settled the intent (JSON). */
  readonly providerMetadata?: Readonly<Record<string, unknown>>;
  /** The last answer's normalized code, when it was an error. */
  readonly code?: CaptureErrorCode;
  readonly providerCode?: string;
  readonly providerStatus?: string;
  readonly httpStatus?: number;
  /** The last answer's message (never a secret). */
  readonly message?: string;
  /** How many times the capture was dispatched under this key. */
  readonly attempts: number;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly updatedAt: number;
  /**
   * While an attempt may still be in flight in a live process: the time after which it
   * certainly is not (dispatch time + the adapter's timeout + a grace period).
   */
  readonly inFlightUntil?: number;
}

/**
 * What a capture request must match to reuse an idempotency key: same payment, same amount
 * (or both "full"), same `final`.
 *
 * @example
 * ```ts
 * const fingerprint: IntentFingerprint = { paymentId: 'pay_1', final: true,
 *   amount: { currency: 'EUR', value: 3500n } };
 * ```
 */
export interface IntentFingerprint {
  readonly paymentId: string;
  readonly amount?: Money;
  readonly final: boolean;
}

/**
 * A new intent, as the pipeline asks the journal to begin it.
 *
 * @example
 * ```ts
 * const draft: IntentDraft = { provider: 'cko', kind: 'checkout', idempotencyKey: 'k1',
 *   paymentId: 'pay_1', final: true, inFlightMs: 16_000 };
 * ```
 */
export interface IntentDraft extends IntentFingerprint {
  readonly provider: string;
  readonly kind: string;
  readonly idempotencyKey: string;
  readonly reference?: string;
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
  readonly providerOptions?: unknown;
  readonly authorizedAmount?: Money;
  readonly context?: CapabilityContext;
  /** How long a dispatched attempt may stay in flight (the adapter's timeout + grace). */
  readonly inFlightMs: number;
}

/**
 * Options of one `begin`.
 *
 * @example
 * ```ts
 * const options: BeginOptions = { now: Date.now(), ignoreUnresolved: false };
 * ```
 */
export interface BeginOptions {
  readonly now: number;
  /** The caller's `dangerouslyIgnoreUnresolved`: send although another key is unresolved. */
  readonly ignoreUnresolved: boolean;
}

/**
 * What {@link decideBegin} decided, and what the journal wrote:
 * - `send`: dispatch now; `intent` is the record as written (`sending`, or `unknown` with one
 *   more attempt when the same key is sent again after an unknown outcome).
 * - `replay`: the key already has an answer (`succeeded`, `failed`, `pending`): return it,
 *   send nothing.
 * - `conflict`: the key was used for another payment, amount or `final`.
 * - `in_flight`: an attempt under this key may still be in flight: send nothing now.
 * - `unresolved`: another key on this payment is `sending` or `unknown` (`intent` is that one).
 *
 * @example
 * ```ts
 * const decision = decideBegin(undefined, [], draft, { now: Date.now(), ignoreUnresolved: false });
 * decision.action; // 'send'
 * ```
 */
export type BeginDecision =
  | { readonly action: 'send'; readonly intent: CaptureIntent }
  | { readonly action: 'replay'; readonly intent: CaptureIntent }
  | { readonly action: 'conflict'; readonly intent: CaptureIntent }
  | { readonly action: 'in_flight'; readonly intent: CaptureIntent }
  | { readonly action: 'unresolved'; readonly intent: CaptureIntent };

/**
 * An answer about a capture that the journal applies with {@link applyIntentEvent}.
 *
 * - `source: 'capture'`: the answer to a capture request (first attempt or a same-key retry).
 * - `source: 'inquiry'`: what the provider said when asked (`resolve()` / `reconcile()`).
 * - `source: 'webhook'`: a verified webhook about this capture.
 *
 * `verdict` is what that answer says about the CAPTURE: `succeeded`, `pending`, `failed`
 * (declined), `absent` (the provider authoritatively has no capture under this key — only
 * inquiries say this), `unknown` (no reliable answer) or `not_sent` (this attempt never
 * left the process). A `failed` with `transient: true` (rate limited) says nothing was
 * processed.
 *
 * @example
 * ```ts
 * const event: IntentEvent = { source: 'inquiry', verdict: 'absent', at: Date.now() };
 * const next = applyIntentEvent(intent, event); // undefined: nothing under this key
 * ```
 */
export interface IntentEvent {
  readonly source: 'capture' | 'inquiry' | 'webhook';
  /**
   * With a capture answer that is not the provider's word (`unknown`): until when the
   * provider may still be processing the request (the answer's time + a grace period).
   */
  readonly inFlightUntil?: number;
  readonly verdict: 'succeeded' | 'pending' | 'failed' | 'absent' | 'unknown' | 'not_sent';
  readonly at: number;
  readonly transient?: boolean;
  readonly captureId?: string;
  readonly capturedAmount?: Money;
  readonly capturedAt?: string;
  readonly providerMetadata?: Readonly<Record<string, unknown>>;
  readonly code?: CaptureErrorCode;
  readonly providerCode?: string;
  readonly providerStatus?: string;
  readonly httpStatus?: number;
  readonly message?: string;
}

/** States in which the intent blocks new keys on the same payment. */
export function isUnresolved(intent: CaptureIntent): boolean {
  return intent.state === 'sending' || intent.state === 'unknown';
}

/** States `reconcile()` looks at. */
export function isOpen(intent: CaptureIntent): boolean {
  return intent.state === 'sending' || intent.state === 'unknown' || intent.state === 'pending';
}

/** True while an attempt under this intent may still be travelling in a live process. */
export function isInFlight(intent: CaptureIntent, now: number): boolean {
  return (
    (intent.state === 'sending' || intent.state === 'unknown') &&
    intent.inFlightUntil !== undefined &&
    intent.inFlightUntil > now
  );
}

/** Whether `draft` may reuse the key of `intent` (same payment, amount and `final`). */
export function sameFingerprint(intent: IntentFingerprint, draft: IntentFingerprint): boolean {
  if (intent.paymentId !== draft.paymentId || intent.final !== draft.final) return false;
  if (!intent.amount || !draft.amount) return intent.amount === draft.amount;
  return (
    intent.amount.currency === draft.amount.currency && intent.amount.value === draft.amount.value
  );
}

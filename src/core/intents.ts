import type { CapabilityContext } from './capabilities.js';
import type { CaptureErrorCode } from './errors.js';
import type { Money } from './money.js';

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

/**
 * The begin rule of DESIGN §2 as a pure function, so every journal applies the same one
 * inside its own atomic step. `existing` is the record under the draft's key (if any);
 * `samePayment` are the other intents on the draft's payment at the same provider.
 *
 * @example
 * ```ts
 * const decision = decideBegin(existing, othersOnPayment, draft, { now: Date.now(), ignoreUnresolved: false });
 * if (decision.action === 'send') await journal.write(decision.intent);
 * ```
 */
export function decideBegin(
  existing: CaptureIntent | undefined,
  samePayment: readonly CaptureIntent[],
  draft: IntentDraft,
  options: BeginOptions,
): BeginDecision {
  const { now } = options;
  if (existing) {
    if (!sameFingerprint(existing, draft)) return { action: 'conflict', intent: existing };
    if (existing.state === 'succeeded' || existing.state === 'failed') {
      return { action: 'replay', intent: existing };
    }
    if (existing.state === 'pending') return { action: 'replay', intent: existing };
    // The first attempt is still awaiting its answer. (After an unknown answer the window
    // only means "the provider may still be working": a same-key retry is safe to send,
    // the provider de-duplicates it, and the intent stays unknown whatever it hears.)
    if (existing.state === 'sending' && isInFlight(existing, now)) {
      return { action: 'in_flight', intent: existing };
    }
    // `unknown`, or `sending` whose process died: send again under the SAME key. The intent
    // stays unknown until an authoritative answer (§0), whatever this attempt hears.
    return {
      action: 'send',
      intent: {
        ...existing,
        state: 'unknown',
        attempts: existing.attempts + 1,
        updatedAt: now,
        inFlightUntil: now + draft.inFlightMs,
      },
    };
  }
  if (!options.ignoreUnresolved) {
    const blocking = samePayment.find(
      (other) =>
        other.idempotencyKey !== draft.idempotencyKey &&
        other.provider === draft.provider &&
        isUnresolved(other),
    );
    if (blocking) return { action: 'unresolved', intent: blocking };
  }
  return {
    action: 'send',
    intent: {
      provider: draft.provider,
      kind: draft.kind,
      idempotencyKey: draft.idempotencyKey,
      paymentId: draft.paymentId,
      ...(draft.amount ? { amount: draft.amount } : {}),
      final: draft.final,
      ...(draft.reference !== undefined ? { reference: draft.reference } : {}),
      ...(draft.metadata !== undefined ? { metadata: draft.metadata } : {}),
      ...(draft.providerOptions !== undefined ? { providerOptions: draft.providerOptions } : {}),
      ...(draft.authorizedAmount ? { authorizedAmount: draft.authorizedAmount } : {}),
      ...(draft.context !== undefined ? { context: draft.context } : {}),
      state: 'sending',
      attempts: 1,
      createdAt: now,
      updatedAt: now,
      inFlightUntil: now + draft.inFlightMs,
    },
  };
}

/**
 * The one place DESIGN §0 lives: the next state of `intent` after `event`, or `undefined`
 * when the intent ends with nothing under its key (nothing was sent, a transient refusal
 * before anything was processed, or an inquiry that authoritatively found no capture) —
 * the journal then forgets it, so the same key may be sent again.
 *
 * Rules:
 * - `succeeded` and `failed` are final: no event moves them.
 * - Once `unknown` (or `sending` past its deadline), only an authoritative answer about
 *   this capture ends it: a capture or inquiry that finds it succeeded or pending, an
 *   inquiry or webhook that finds it failed, an inquiry that finds it absent. A same-key
 *   retry that is declined, refused or never sent leaves it `unknown` — the first
 *   attempt's own success could explain the decline.
 * - `pending` (acknowledged by the provider) ends only by succeeded / failed.
 * - While an attempt is in flight, an inquiry's "absent" proves nothing yet.
 *
 * @example
 * ```ts
 * const next = applyIntentEvent(intent, { source: 'capture', verdict: 'failed', at: Date.now(),
 *   code: 'amount_exceeds_authorized' });
 * // intent.state === 'unknown' → next.state === 'unknown': a same-key decline proves nothing
 * ```
 */
export function applyIntentEvent(
  intent: CaptureIntent,
  event: IntentEvent,
): CaptureIntent | undefined {
  const { state } = intent;
  if (state === 'succeeded' || state === 'failed') return intent;
  const v = event.verdict;

  if (v === 'succeeded' || v === 'pending') {
    // Any answer that shows the capture exists is authoritative about it.
    const next: IntentState = v === 'pending' && state === 'pending' ? 'pending' : v;
    return settled(intent, event, next);
  }

  if (state === 'pending') {
    // Acknowledged by the provider: only its result (a decline by inquiry or webhook) ends it.
    if (v === 'failed' && event.source !== 'capture') return settled(intent, event, 'failed');
    return noted(intent, event, 'pending');
  }

  if (state === 'sending' && event.source === 'capture') {
    if (v === 'failed') {
      // An authoritative decline of the first attempt; a transient refusal means nothing
      // was processed, so the key is free again.
      return event.transient ? undefined : settled(intent, event, 'failed');
    }
    if (v === 'not_sent') return undefined;
    return noted(intent, event, 'unknown');
  }

  // From here the intent is `unknown`, or `sending` hearing from an inquiry or webhook.
  if (v === 'failed' && event.source !== 'capture') return settled(intent, event, 'failed');
  if (v === 'absent' && event.source === 'inquiry') {
    if (isInFlight(intent, event.at)) return noted(intent, event, state);
    return undefined;
  }
  // A same-key retry that was declined, never sent or unanswered; an inconclusive inquiry.
  // A `sending` intent no longer in flight means its process died: it is `unknown` now.
  const stale = state === 'sending' && !isInFlight(intent, event.at);
  return noted(intent, event, stale ? 'unknown' : state);
}

/** The intent moved to `state` because of `event`: keep what the answer said. */
function settled(intent: CaptureIntent, event: IntentEvent, state: IntentState): CaptureIntent {
  // The answer replaces what earlier, inconclusive answers said.
  const {
    inFlightUntil: _inFlight,
    code: _code,
    providerCode: _providerCode,
    providerStatus: _providerStatus,
    httpStatus: _httpStatus,
    message: _message,
    ...rest
  } = intent;
  return {
    ...rest,
    state,
    updatedAt: event.at,
    ...(event.captureId !== undefined ? { captureId: event.captureId } : {}),
    ...(event.capturedAmount ? { capturedAmount: event.capturedAmount } : {}),
    ...(event.capturedAt !== undefined ? { capturedAt: event.capturedAt } : {}),
    ...(event.providerMetadata ? { providerMetadata: event.providerMetadata } : {}),
    ...errorFields(event),
  };
}

/** The state stays (or becomes `unknown`); remember the last answer for operators. */
function noted(intent: CaptureIntent, event: IntentEvent, state: IntentState): CaptureIntent {
  // A capture attempt that ended without an answer may still be processed by the provider
  // for a grace period: its answer sets the window to that (the event says until when),
  // replacing the dispatch-time one. Any other event leaves the window as it is. Until it
  // ends, "the provider has no such capture" proves nothing.
  const { inFlightUntil: _inFlight, ...rest } = intent;
  const until = event.source === 'capture' ? event.inFlightUntil : intent.inFlightUntil;
  const window = until === undefined ? {} : { inFlightUntil: until };
  return {
    ...rest,
    ...window,
    state,
    updatedAt: event.at,
    ...(event.captureId !== undefined ? { captureId: event.captureId } : {}),
    ...errorFields(event),
  };
}

function errorFields(event: IntentEvent): Partial<CaptureIntent> {
  return {
    ...(event.code !== undefined ? { code: event.code } : {}),
    ...(event.providerCode !== undefined ? { providerCode: event.providerCode } : {}),
    ...(event.providerStatus !== undefined ? { providerStatus: event.providerStatus } : {}),
    ...(event.httpStatus !== undefined ? { httpStatus: event.httpStatus } : {}),
    ...(event.message !== undefined ? { message: event.message } : {}),
  };
}

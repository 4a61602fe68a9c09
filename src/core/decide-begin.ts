import {
  type BeginDecision,
  type BeginOptions,
  type CaptureIntent,
  type IntentDraft,
  isInFlight,
  isUnresolved,
  sameFingerprint,
} from './intents.js';
import type { Mutable } from './mutable.js';

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
  // Built field by field: a conditional spread per optional field costs a temporary object
  // each, on every capture.
  const intent: Mutable<CaptureIntent> = {
    provider: draft.provider,
    kind: draft.kind,
    idempotencyKey: draft.idempotencyKey,
    paymentId: draft.paymentId,
    final: draft.final,
    state: 'sending',
    attempts: 1,
    createdAt: now,
    updatedAt: now,
    inFlightUntil: now + draft.inFlightMs,
  };
  if (draft.amount) intent.amount = draft.amount;
  if (draft.reference !== undefined) intent.reference = draft.reference;
  if (draft.metadata !== undefined) intent.metadata = draft.metadata;
  if (draft.providerOptions !== undefined) intent.providerOptions = draft.providerOptions;
  if (draft.authorizedAmount) intent.authorizedAmount = draft.authorizedAmount;
  if (draft.context !== undefined) intent.context = draft.context;
  return { action: 'send', intent };
}

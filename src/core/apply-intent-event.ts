import { type CaptureIntent, type IntentEvent, type IntentState, isInFlight } from './intents.js';
import type { Mutable } from './mutable.js';

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

/**
 * What happens to each field of the intent when an answer settles it: `keep` copies it,
 * `answer` drops it (the answer replaces what earlier, inconclusive answers said). A
 * `Record` over every key, so a field added to {@link CaptureIntent} does not compile until
 * it is placed here — it can never be dropped silently.
 */
export const INTENT_FIELDS_ON_SETTLE = {
  provider: 'keep',
  kind: 'keep',
  idempotencyKey: 'keep',
  paymentId: 'keep',
  amount: 'keep',
  final: 'keep',
  reference: 'keep',
  metadata: 'keep',
  providerOptions: 'keep',
  authorizedAmount: 'keep',
  context: 'keep',
  state: 'keep',
  captureId: 'keep',
  capturedAmount: 'keep',
  capturedAt: 'keep',
  providerMetadata: 'keep',
  attempts: 'keep',
  createdAt: 'keep',
  updatedAt: 'keep',
  code: 'answer',
  providerCode: 'answer',
  providerStatus: 'answer',
  httpStatus: 'answer',
  message: 'answer',
  inFlightUntil: 'answer',
} as const satisfies Record<keyof CaptureIntent, 'keep' | 'answer'>;

/**
 * The intent without its last answer's fields (`answer` above). Field by field, because
 * this runs twice per capture and an object rest (`{ code, ...rest }`) is a runtime call
 * in V8 several times slower than a literal (bench/FINDINGS.md, "Session 4");
 * test/core/apply-intent-event-fields.test.ts checks it against the table.
 */
function withoutAnswer(intent: CaptureIntent): Mutable<CaptureIntent> {
  const out: Mutable<CaptureIntent> = {
    provider: intent.provider,
    kind: intent.kind,
    idempotencyKey: intent.idempotencyKey,
    paymentId: intent.paymentId,
    final: intent.final,
    state: intent.state,
    attempts: intent.attempts,
    createdAt: intent.createdAt,
    updatedAt: intent.updatedAt,
  };
  if (intent.amount !== undefined) out.amount = intent.amount;
  if (intent.reference !== undefined) out.reference = intent.reference;
  if (intent.metadata !== undefined) out.metadata = intent.metadata;
  if (intent.providerOptions !== undefined) out.providerOptions = intent.providerOptions;
  if (intent.authorizedAmount !== undefined) out.authorizedAmount = intent.authorizedAmount;
  if (intent.context !== undefined) out.context = intent.context;
  if (intent.captureId !== undefined) out.captureId = intent.captureId;
  if (intent.capturedAmount !== undefined) out.capturedAmount = intent.capturedAmount;
  if (intent.capturedAt !== undefined) out.capturedAt = intent.capturedAt;
  if (intent.providerMetadata !== undefined) out.providerMetadata = intent.providerMetadata;
  return out;
}

/** The intent moved to `state` because of `event`: keep what the answer said. */
function settled(intent: CaptureIntent, event: IntentEvent, state: IntentState): CaptureIntent {
  const next = withoutAnswer(intent);
  next.state = state;
  next.updatedAt = event.at;
  if (event.captureId !== undefined) next.captureId = event.captureId;
  if (event.capturedAmount) next.capturedAmount = event.capturedAmount;
  if (event.capturedAt !== undefined) next.capturedAt = event.capturedAt;
  if (event.providerMetadata) next.providerMetadata = event.providerMetadata;
  return withErrorFields(next, event);
}

/** The state stays (or becomes `unknown`); remember the last answer for operators. */
function noted(intent: CaptureIntent, event: IntentEvent, state: IntentState): CaptureIntent {
  const next = withoutAnswer(intent);
  // The last answer's error fields are replaced by this event's (as before: only those the
  // event carries). A capture attempt that ended without an answer may still be processed
  // by the provider for a grace period: its answer sets the window to that (the event says
  // until when), replacing the dispatch-time one. Any other event leaves the window as it
  // is. Until it ends, "the provider has no such capture" proves nothing.
  withErrorFields(next, intent);
  const until = event.source === 'capture' ? event.inFlightUntil : intent.inFlightUntil;
  if (until !== undefined) next.inFlightUntil = until;
  next.state = state;
  next.updatedAt = event.at;
  if (event.captureId !== undefined) next.captureId = event.captureId;
  return withErrorFields(next, event);
}

/** The answer fields `from` carries (an event, or the intent's own last answer) onto `next`. */
function withErrorFields(
  next: Mutable<CaptureIntent>,
  from: Pick<IntentEvent, 'code' | 'providerCode' | 'providerStatus' | 'httpStatus' | 'message'>,
): CaptureIntent {
  if (from.code !== undefined) next.code = from.code;
  if (from.providerCode !== undefined) next.providerCode = from.providerCode;
  if (from.providerStatus !== undefined) next.providerStatus = from.providerStatus;
  if (from.httpStatus !== undefined) next.httpStatus = from.httpStatus;
  if (from.message !== undefined) next.message = from.message;
  return next;
}

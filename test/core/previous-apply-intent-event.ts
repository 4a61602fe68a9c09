// The applyIntentEvent of commit 9670681 (before session 4), kept verbatim as the oracle for
// apply-intent-event-previous-review.test.ts.
import {
  type CaptureIntent,
  type IntentEvent,
  type IntentState,
  isInFlight,
} from '../../src/core/intents.js';

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
export function previousApplyIntentEvent(
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

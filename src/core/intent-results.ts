import { err, ok, type Result } from 'neverthrow';
import type { Capture } from './capture.js';
import { type CaptureError, captureError, UNKNOWN_OUTCOME_ADVICE } from './errors.js';
import type { CaptureIntent, IntentEvent } from './intents.js';
import type { Money } from './money.js';
import type { Mutable } from './mutable.js';

/** `12.50 EUR`-free rendering for messages: minor units and currency. */
export function describeMoney(money: Money | undefined): string {
  return money ? `${money.value} ${money.currency} (minor units)` : 'the full remaining amount';
}

/** The answer to a capture attempt, as the journal hears it. */
export function captureEvent(
  result: Result<Capture, CaptureError>,
  at: number,
  graceMs: number,
): IntentEvent {
  if (result.isOk()) return successEvent('capture', result.value, at);
  const error = result.error;
  // A provider that says the key is already in use (a 409, CAPTURE_IN_PROCESS) holds a
  // request under it that may have moved money: that is no decline.
  const inUse = error.code === 'idempotency_conflict' || error.code === 'capture_in_progress';
  const verdict =
    error.outcome === 'not_attempted'
      ? 'not_sent'
      : error.outcome === 'failed' && !inUse
        ? 'failed'
        : 'unknown';
  return {
    source: 'capture',
    verdict,
    at,
    transient: error.retryable,
    ...(verdict === 'unknown' ? { inFlightUntil: at + graceMs } : {}),
    ...errorFacts(error),
  };
}

/** The answer to an inquiry, as the journal hears it: only the provider's word is authoritative. */
export function inquiryEvent(result: Result<Capture, CaptureError>, at: number): IntentEvent {
  if (result.isOk()) return successEvent('inquiry', result.value, at);
  const error = result.error;
  const verdict =
    error.code === 'capture_not_found' && error.outcome === 'failed'
      ? 'absent'
      : error.outcome === 'failed'
        ? 'failed'
        : 'unknown';
  return { source: 'inquiry', verdict, at, ...errorFacts(error) };
}

function successEvent(source: IntentEvent['source'], capture: Capture, at: number): IntentEvent {
  // Assigned field by field (once per capture): a conditional spread allocates each time.
  const event: Mutable<IntentEvent> = {
    source,
    verdict: capture.status,
    at,
    providerMetadata: capture.providerMetadata,
  };
  if (capture.captureId !== undefined) event.captureId = capture.captureId;
  if (capture.amount) event.capturedAmount = capture.amount;
  if (capture.capturedAt !== undefined) event.capturedAt = capture.capturedAt;
  return event;
}

function errorFacts(error: CaptureError): Partial<IntentEvent> {
  return {
    code: error.code,
    message: error.message,
    ...(error.providerCode !== undefined ? { providerCode: error.providerCode } : {}),
    ...(error.providerStatus !== undefined ? { providerStatus: error.providerStatus } : {}),
    ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
  };
}

/** The `Capture` a settled (`succeeded` / `pending`) intent stands for, answered from the journal. */
export function captureFromIntent(intent: CaptureIntent): Capture {
  return {
    provider: intent.provider,
    kind: intent.kind,
    status: intent.state === 'succeeded' ? 'succeeded' : 'pending',
    paymentId: intent.paymentId,
    ...(intent.captureId !== undefined ? { captureId: intent.captureId } : {}),
    idempotencyKey: intent.idempotencyKey,
    ...(intent.capturedAmount
      ? { amount: intent.capturedAmount }
      : intent.amount
        ? { amount: intent.amount }
        : {}),
    final: intent.final,
    ...(intent.capturedAt !== undefined ? { capturedAt: intent.capturedAt } : {}),
    providerMetadata: { ...(intent.providerMetadata ?? {}), fromJournal: true },
    raw: null,
  };
}

/** The error a `failed` intent stands for, answered from the journal. */
export function failureFromIntent(intent: CaptureIntent): CaptureError {
  return captureError({
    code: intent.code ?? 'provider_error',
    outcome: 'failed',
    retryable: false,
    provider: intent.provider,
    kind: intent.kind,
    paymentId: intent.paymentId,
    idempotencyKey: intent.idempotencyKey,
    ...(intent.providerCode !== undefined ? { providerCode: intent.providerCode } : {}),
    ...(intent.providerStatus !== undefined ? { providerStatus: intent.providerStatus } : {}),
    ...(intent.httpStatus !== undefined ? { httpStatus: intent.httpStatus } : {}),
    message: `${intent.message ?? 'The provider declined this capture.'} (Answered from the journal: idempotencyKey ${intent.idempotencyKey} already failed, so nothing was sent. A new attempt needs a NEW idempotencyKey.)`,
  });
}

/**
 * The answer to a same-key attempt on an intent that stays `unknown`: whatever this
 * attempt heard (a decline, a refused connection), an earlier attempt may have captured.
 */
export function stillUnknown(intent: CaptureIntent, heard: CaptureError): CaptureError {
  if (heard.outcome === 'unknown') return heard;
  const what =
    heard.outcome === 'not_attempted'
      ? `this retry was not sent (${heard.code})`
      : `this retry was declined (${heard.providerCode ?? heard.code}), which the earlier attempt's own success could explain`;
  return captureError({
    ...heard,
    code: 'outcome_unknown',
    outcome: 'unknown',
    retryable: true,
    message: `The outcome of capture ${intent.idempotencyKey} is still unknown: an earlier attempt under this key got no reliable answer, and ${what}. ${UNKNOWN_OUTCOME_ADVICE}`,
    cause: { lastAnswer: { code: heard.code, outcome: heard.outcome, message: heard.message } },
  });
}

/**
 * What the caller hears after an answer was applied: the INTENT's state (DESIGN §0), told
 * with the answer's details when they agree. `next` is the intent after the answer
 * (`undefined`: forgotten, nothing under the key); `answer` is what this exchange said.
 */
export function outcomeOf(
  next: CaptureIntent | undefined,
  answer: Result<Capture, CaptureError>,
): Result<Capture, CaptureError> {
  if (!next) return answer;
  // A switch, not ts-pattern's match(): this runs on every capture, and the matcher with its
  // five closures was a few hundred bytes of garbage each time (bench/FINDINGS.md, session 5).
  // Exhaustive all the same: a new state does not compile until it is placed.
  const state = next.state;
  switch (state) {
    case 'succeeded':
    case 'pending':
      // Settled meanwhile (a webhook, a concurrent inquiry) though this exchange failed.
      return answer.isOk() ? answer : ok(captureFromIntent(next));
    case 'failed':
      // A success contradicting a recorded failure is passed on: money moved, say so.
      return answer.isOk() || answer.error.outcome === 'failed'
        ? answer
        : err(failureFromIntent(next));
    case 'unknown':
    case 'sending':
      return answer.isErr() ? err(stillUnknown(next, answer.error)) : answer;
    default: {
      const unplaced: never = state;
      throw new Error(
        `outcomeOf: the journal answered an intent in state ${JSON.stringify(unplaced)}, which is none of sending, unknown, pending, succeeded, failed: check the journal's storage (a custom journal, or rows changed by hand).`,
      );
    }
  }
}

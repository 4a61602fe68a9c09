import { err, ok, type Result } from 'neverthrow';
import type { Capture } from './capture.js';
import { dispatchRequest } from './dispatch-request.js';
import { type CaptureError, captureError, UNKNOWN_OUTCOME_ADVICE } from './errors.js';
import { captureEvent, outcomeOf, stillUnknown } from './intent-results.js';
import type { CaptureIntent } from './intents.js';
import { journalNow } from './journal-now.js';
import type { Money } from './money.js';
import type { Mutable } from './mutable.js';
import { ownCopy } from './own-copy.js';
import { describe } from './peek.js';
import { adapterDeadlineMs, DEADLINE_SLACK_MS, type PipelineContext } from './pipeline-context.js';
import type { PreparedCapture } from './prepare-capture.js';

/**
 * Calls the adapter. A throw after dispatch means money may have moved. `begunAt` is the
 * `performance.now()` time the intent was begun: the in-flight window runs from there.
 * One async function for the whole call (it was two: each layer is a promise, a frame and
 * microtask turns per capture; bench/FINDINGS.md, session 5).
 */
export async function dispatchCapture(
  prepared: PreparedCapture,
  begunAt: number,
): Promise<Result<Capture, CaptureError>> {
  // The journal counts the attempt in flight for the adapter's deadline (+ grace); an adapter
  // that makes several exchanges must not outlive it, or another process's reconcile could
  // take a capture still on its way for an absent one. A little past the adapter's own
  // deadline, so its transport reports its own timeout first.
  const { request, done } = dispatchRequest(
    prepared.wire,
    begunAt + adapterDeadlineMs(prepared.adapter) + DEADLINE_SLACK_MS,
  );
  const { adapter } = prepared;
  try {
    const answer = await adapter.doCapture(request);
    if (answer.isErr()) return err(captureError({ ...answer.error, ...identity(prepared) }));
    // `{ ...answer.value, provider, idempotencyKey }` without the spread (ownCopy says why).
    const capture = ownCopy(answer.value) as Mutable<Capture>;
    capture.provider = prepared.provider;
    capture.idempotencyKey = prepared.key;
    return ok(capture);
  } catch (error) {
    return err(
      captureError({
        ...identity(prepared),
        code: 'provider_error',
        outcome: 'unknown',
        message: `The ${adapter.kind} adapter threw unexpectedly (${describe(error)}). ${UNKNOWN_OUTCOME_ADVICE}`,
        cause: error,
      }),
    );
  } finally {
    done();
  }
}

/** Whose capture an error is about (built only when there is an error). */
function identity(prepared: PreparedCapture) {
  return {
    provider: prepared.provider,
    kind: prepared.adapter.kind,
    paymentId: prepared.wire.paymentId,
    idempotencyKey: prepared.key,
  };
}

/** A success for another payment or another amount is not the capture we asked for. */
export function checkIntegrity(
  answer: Result<Capture, CaptureError>,
  prepared: PreparedCapture,
): Result<Capture, CaptureError> {
  if (answer.isErr()) return answer;
  const problem = integrityProblem(answer.value, prepared.wire.paymentId, prepared.wire.amount);
  if (!problem) return answer;
  return err(
    captureError({
      provider: prepared.provider,
      kind: prepared.adapter.kind,
      paymentId: prepared.wire.paymentId,
      idempotencyKey: prepared.key,
      code: 'provider_error',
      outcome: 'unknown',
      retryable: false,
      message: `${problem} Money may have moved in a different amount than asked: reconcile with resolve() before doing anything else.`,
      cause: { captureId: answer.value.captureId, raw: answer.value.raw },
    }),
  );
}

/** Checks the provider's answer against what was sent. */
export function integrityProblem(
  capture: Capture,
  paymentId: string,
  amount: Money | undefined,
): string | undefined {
  if (capture.paymentId !== paymentId) {
    return `The provider answered for paymentId ${capture.paymentId}, but ${paymentId} was sent.`;
  }
  if (amount && capture.amount) {
    if (capture.amount.currency !== amount.currency || capture.amount.value !== amount.value) {
      return `The provider reports ${capture.amount.value} ${capture.amount.currency}, but ${amount.value} ${amount.currency} was requested.`;
    }
  }
  return undefined;
}

/**
 * Applies the answer to the intent; the intent's state decides what the caller hears.
 * Answers in the same turn when the journal does (journal-now.ts); otherwise the promise.
 */
export function settleCapture(
  ctx: PipelineContext,
  prepared: PreparedCapture,
  intent: CaptureIntent,
  answer: Result<Capture, CaptureError>,
): Result<Capture, CaptureError> | Promise<Result<Capture, CaptureError>> {
  const now = journalNow(ctx.journal);
  if (now === undefined) return settleAwaited(ctx, prepared, intent, answer);
  let next: CaptureIntent | undefined;
  try {
    const event = captureEvent(answer, ctx.now(), ctx.inFlightGraceMs);
    next = now.apply(prepared.provider, prepared.key, event);
  } catch {
    return unrecorded(intent, answer);
  }
  return outcomeOf(next, answer);
}

async function settleAwaited(
  ctx: PipelineContext,
  prepared: PreparedCapture,
  intent: CaptureIntent,
  answer: Result<Capture, CaptureError>,
): Promise<Result<Capture, CaptureError>> {
  let next: CaptureIntent | undefined;
  try {
    const event = captureEvent(answer, ctx.now(), ctx.inFlightGraceMs);
    next = await ctx.journal.apply(prepared.provider, prepared.key, event);
  } catch {
    return unrecorded(intent, answer);
  }
  return outcomeOf(next, answer);
}

/**
 * The answer is known but could not be recorded. The intent stays as begun (sending or
 * unknown), which blocks other keys on this payment until resolve(): safe, and honest.
 */
function unrecorded(
  intent: CaptureIntent,
  answer: Result<Capture, CaptureError>,
): Result<Capture, CaptureError> {
  return intent.state === 'unknown' && answer.isErr()
    ? err(stillUnknown(intent, answer.error))
    : answer;
}

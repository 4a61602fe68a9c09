import { err, ok, type Result } from 'neverthrow';
import { match } from 'ts-pattern';
import type { Capture } from './capture.js';
import { type CaptureError, UNKNOWN_OUTCOME_ADVICE } from './errors.js';
import { captureFromIntent, describeMoney, failureFromIntent } from './intent-results.js';
import type { BeginDecision, BeginOptions, IntentDraft } from './intents.js';
import { journalNow } from './journal-now.js';
import type { Mutable } from './mutable.js';
import { describe } from './peek.js';
import {
  adapterDeadlineMs,
  DEADLINE_SLACK_MS,
  type Fail,
  type FailWith,
  type PipelineContext,
} from './pipeline-context.js';
import type { PreparedCapture } from './prepare-capture.js';

/**
 * Records the intent before the first byte leaves (DESIGN §8). Answers in the same turn
 * when the journal does (the memory journal, journal-now.ts); otherwise the promise to
 * await.
 */
export function beginIntent(
  ctx: PipelineContext,
  prepared: PreparedCapture,
  fail: FailWith,
): Result<BeginDecision, CaptureError> | Promise<Result<BeginDecision, CaptureError>> {
  const draft = draftOf(ctx, prepared);
  const now = journalNow(ctx.journal);
  if (now === undefined) return beginAwaited(ctx, prepared, draft, fail);
  try {
    return ok(now.begin(draft, beginOptions(ctx, prepared)));
  } catch (error) {
    return fail(journalUnavailable(ctx, prepared, error));
  }
}

async function beginAwaited(
  ctx: PipelineContext,
  prepared: PreparedCapture,
  draft: IntentDraft,
  fail: FailWith,
): Promise<Result<BeginDecision, CaptureError>> {
  try {
    return ok(await ctx.journal.begin(draft, beginOptions(ctx, prepared)));
  } catch (error) {
    return fail(journalUnavailable(ctx, prepared, error));
  }
}

/** Read inside the journal's `try`: a clock that throws is the journal failing, not the call. */
function beginOptions(ctx: PipelineContext, prepared: PreparedCapture): BeginOptions {
  return { now: ctx.now(), ignoreUnresolved: prepared.ignoreUnresolved };
}

/** What the journal records before sending: the wire request's fingerprint and window. */
function draftOf(ctx: PipelineContext, prepared: PreparedCapture): IntentDraft {
  const { adapter, wire } = prepared;
  const draft: Mutable<IntentDraft> = {
    provider: prepared.provider,
    kind: adapter.kind,
    idempotencyKey: prepared.key,
    paymentId: wire.paymentId,
    final: wire.final,
    inFlightMs: adapterDeadlineMs(adapter) + DEADLINE_SLACK_MS + ctx.inFlightGraceMs,
  };
  if (wire.amount) draft.amount = wire.amount;
  if (wire.reference !== undefined) draft.reference = wire.reference;
  if (wire.metadata !== undefined) draft.metadata = wire.metadata;
  if (prepared.providerOptions !== undefined) draft.providerOptions = prepared.providerOptions;
  if (wire.authorizedAmount) draft.authorizedAmount = wire.authorizedAmount;
  if (prepared.requestContext !== undefined) draft.context = prepared.requestContext;
  return draft;
}

function journalUnavailable(ctx: PipelineContext, prepared: PreparedCapture, error: unknown): Fail {
  return {
    provider: prepared.provider,
    kind: prepared.adapter.kind,
    paymentId: prepared.wire.paymentId,
    code: 'journal_unavailable',
    outcome: 'not_attempted',
    retryable: true,
    message: `The ${ctx.journal.name} journal could not record the capture (${describe(error)}), so nothing was sent. Fix the journal (its database connection or limits) and call again with the same idempotencyKey.`,
    cause: error,
  };
}

/** The answer when the journal says not to send: replay, conflict, in flight, unresolved. */
export function answerWithoutSending(
  decision: Exclude<BeginDecision, { action: 'send' }>,
  prepared: PreparedCapture,
  fail: FailWith,
): Result<Capture, CaptureError> {
  const intent = decision.intent;
  const base = {
    provider: prepared.provider,
    kind: prepared.adapter.kind,
    paymentId: prepared.wire.paymentId,
  };
  return match(decision.action)
    .returnType<Result<Capture, CaptureError>>()
    .with('replay', () =>
      intent.state === 'failed' ? err(failureFromIntent(intent)) : ok(captureFromIntent(intent)),
    )
    .with('conflict', () =>
      fail({
        ...base,
        code: 'idempotency_conflict',
        outcome: 'not_attempted',
        message: `idempotencyKey ${intent.idempotencyKey} was already used for payment ${intent.paymentId}, ${describeMoney(intent.amount)}, final ${intent.final}; this request asks for payment ${prepared.wire.paymentId}, ${describeMoney(prepared.wire.amount)}, final ${prepared.wire.final}. Nothing was sent: use a NEW idempotencyKey for a different capture.`,
      }),
    )
    .with('in_flight', () =>
      fail({
        ...base,
        code: 'capture_in_progress',
        outcome: 'unknown',
        retryable: true,
        message: `A capture with idempotencyKey ${intent.idempotencyKey} is still in flight, so nothing was sent again. Wait for it to answer, then call resolve() with the same key. ${UNKNOWN_OUTCOME_ADVICE}`,
      }),
    )
    .with('unresolved', () =>
      fail({
        ...base,
        code: 'unresolved_capture',
        outcome: 'not_attempted',
        retryable: false,
        unresolvedIdempotencyKey: intent.idempotencyKey,
        message: `Payment ${intent.paymentId} has a capture whose outcome is not known yet (idempotencyKey ${intent.idempotencyKey}, ${describeMoney(intent.amount)}, state ${intent.state}), so nothing was sent: a second key could capture twice. Call resolve({ provider: '${prepared.provider}', paymentId: '${intent.paymentId}', idempotencyKey: '${intent.idempotencyKey}' }) (or client.reconcile()) first, or retry with that same key. Only if you know it cannot have captured, pass dangerouslyIgnoreUnresolved: true.`,
      }),
    )
    .exhaustive();
}

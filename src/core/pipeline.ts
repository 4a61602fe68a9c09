import { err, ok, type Result, safeTry } from 'neverthrow';
import { type CapabilityContext, preflight } from './capabilities.js';
import type { Capture } from './capture.js';
import {
  type CaptureRequest,
  captureRequestSchema,
  describeIssues,
  generateIdempotencyKey,
} from './capture-request.js';
import type { CaptureDiagnostic } from './client.js';
import {
  type CaptureError,
  type CaptureErrorInit,
  captureError,
  UNKNOWN_OUTCOME_ADVICE,
} from './errors.js';
import {
  captureEvent,
  captureFromIntent,
  describeMoney,
  failureFromIntent,
  outcomeOf,
  stillUnknown,
} from './intent-results.js';
import type { BeginDecision, CaptureIntent, IntentDraft } from './intents.js';
import type { CaptureJournal } from './journal.js';
import { type Money, toMoney } from './money.js';
import type { CaptureProviderV1, ProviderCaptureRequest } from './spec.js';

/** What every pipeline step may use: the registry, the journal, the clock, diagnostics. */
export interface PipelineContext {
  readonly providers: ReadonlyMap<string, CaptureProviderV1>;
  readonly journal: CaptureJournal;
  readonly now: () => number;
  readonly publish: (message: CaptureDiagnostic) => void;
  /** How long after an attempt ended without an answer the provider may still process it. */
  readonly inFlightGraceMs: number;
}

/** How far past an adapter's deadline the client stops the call itself. */
const DEADLINE_SLACK_MS = 250;
/** Adapters that do not declare `timeoutMs` are assumed to give up within this. */
const DEFAULT_ADAPTER_TIMEOUT_MS = 30_000;

/** A capture request after validation: money as `bigint`, the key fixed, the adapter found. */
interface PreparedCapture {
  readonly provider: string;
  readonly adapter: CaptureProviderV1;
  readonly key: string;
  readonly wire: ProviderCaptureRequest;
  readonly context: CapabilityContext;
  readonly ignoreUnresolved: boolean;
  readonly providerOptions?: unknown;
  /** The request's `context` as given (the journal keeps it for a re-send). */
  readonly requestContext?: CapabilityContext;
}

type Fail = Omit<CaptureErrorInit, 'idempotencyKey'>;

/**
 * `client.capture()`: the steps of DESIGN §2 in order. Never rejects; the returned outcome
 * is the intent's state, not the last exchange's.
 */
export async function runCapture(
  ctx: PipelineContext,
  input: CaptureRequest,
): Promise<Result<Capture, CaptureError>> {
  const started = performance.now();
  const rawKey = peek(input, 'idempotencyKey');
  const key = typeof rawKey === 'string' && rawKey.length > 0 ? rawKey : generateIdempotencyKey();
  const fail = (init: Fail) => err(captureError({ ...init, idempotencyKey: key }));

  const result = await safeTry(async function* () {
    const request = yield* validateCapture(input, fail);
    const adapter = yield* findAdapter(ctx, request.provider, fail);
    const prepared = yield* prepareCapture(request, adapter, key, fail);
    yield* preflightCapture(prepared, fail);
    const decision = yield* await beginIntent(ctx, prepared, fail);
    if (decision.action !== 'send') return answerWithoutSending(decision, prepared, fail);
    const answer = checkIntegrity(await dispatchCapture(prepared), prepared);
    // An answer that is not the provider's word: it may still be working on the request.
    return settleCapture(ctx, prepared, decision.intent, answer);
  });
  ctx.publish(diagnostic('capture', input, key, result, started));
  return result;
}

function validateCapture(input: CaptureRequest, fail: (init: Fail) => Result<never, CaptureError>) {
  try {
    const parsed = captureRequestSchema.safeParse(input);
    if (parsed.success) return ok(parsed.data);
    return fail({
      code: 'invalid_request',
      outcome: 'not_attempted',
      message: `Invalid capture request: ${describeIssues(parsed.error)}.`,
    });
  } catch (error) {
    // A request whose getters throw still ends as an Err, never a rejection.
    return fail({
      code: 'invalid_request',
      outcome: 'not_attempted',
      message: `Invalid capture request: it could not be read (${describe(error)}); pass a plain object.`,
      cause: error,
    });
  }
}

/** Looks up a registered adapter by the caller's name for it. */
export function findAdapter(
  ctx: PipelineContext,
  name: string,
  fail: (init: Fail) => Result<never, CaptureError>,
): Result<CaptureProviderV1, CaptureError> {
  const adapter = ctx.providers.get(name);
  if (adapter) return ok(adapter);
  return fail({
    code: 'unknown_provider',
    outcome: 'not_attempted',
    message: `provider ${JSON.stringify(name)} is not registered; registered: ${[...ctx.providers.keys()].join(', ')}.`,
  });
}

type ValidRequest = ReturnType<typeof captureRequestSchema.parse>;

function prepareCapture(
  request: ValidRequest,
  adapter: CaptureProviderV1,
  key: string,
  fail: (init: Fail) => Result<never, CaptureError>,
): Result<PreparedCapture, CaptureError> {
  const base = { provider: request.provider, kind: adapter.kind, paymentId: request.paymentId };
  const money: { amount?: Money; authorizedAmount?: Money } = {};
  for (const field of ['amount', 'authorizedAmount'] as const) {
    const value = request[field];
    if (!value) continue;
    const converted = toMoney(value, adapter.currencyExponents);
    if (converted.isErr()) {
      return fail({
        ...base,
        code: 'invalid_request',
        outcome: 'not_attempted',
        message: `${field}.${converted.error}.`,
      });
    }
    if (converted.value.value === 0n) {
      return fail({
        ...base,
        code: 'invalid_request',
        outcome: 'not_attempted',
        message: `${field}.value must be greater than 0.`,
      });
    }
    money[field] = converted.value;
  }
  const final = request.final ?? true;
  if (!final && !money.amount) {
    return fail({
      ...base,
      code: 'invalid_request',
      outcome: 'not_attempted',
      message:
        'amount is required when final is false: a non-final capture must say how much it takes.',
    });
  }
  const context = {
    ...(request.context ?? {}),
    ...(request.context?.currency === undefined && money.amount
      ? { currency: money.amount.currency }
      : {}),
  } as CapabilityContext;
  const options = request.providerOptions;
  // Own keys only: a kind such as 'constructor' must not pick up Object.prototype.
  const providerOptions =
    options && Object.hasOwn(options, adapter.kind) ? options[adapter.kind] : undefined;
  const wire: ProviderCaptureRequest = {
    paymentId: request.paymentId,
    final,
    idempotencyKey: key,
    ...money,
    ...(request.reference !== undefined ? { reference: request.reference } : {}),
    ...(request.metadata !== undefined ? { metadata: request.metadata } : {}),
    ...(request.context !== undefined ? { context } : {}),
    ...(providerOptions !== undefined ? { providerOptions } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  };
  return ok({
    provider: request.provider,
    adapter,
    key,
    wire,
    context,
    ignoreUnresolved: request.dangerouslyIgnoreUnresolved === true,
    ...(providerOptions !== undefined ? { providerOptions } : {}),
    ...(request.context !== undefined
      ? { requestContext: request.context as CapabilityContext }
      : {}),
  });
}

function preflightCapture(
  prepared: PreparedCapture,
  fail: (init: Fail) => Result<never, CaptureError>,
): Result<void, CaptureError> {
  const { adapter, wire } = prepared;
  const base = { provider: prepared.provider, kind: adapter.kind, paymentId: wire.paymentId };
  try {
    const caps = adapter.capabilities(prepared.context);
    const verdict = preflight(
      {
        final: wire.final,
        ...(wire.amount ? { amount: wire.amount } : {}),
        ...(wire.authorizedAmount ? { authorizedAmount: wire.authorizedAmount } : {}),
      },
      caps,
    );
    return verdict.isErr() ? fail({ ...verdict.error, ...base }) : ok(undefined);
  } catch (error) {
    return fail({
      ...base,
      code: 'provider_error',
      outcome: 'not_attempted',
      message: `The ${adapter.kind} adapter's capabilities() threw (${describe(error)}); nothing was sent.`,
      cause: error,
    });
  }
}

/** Records the intent before the first byte leaves (DESIGN §8). */
async function beginIntent(
  ctx: PipelineContext,
  prepared: PreparedCapture,
  fail: (init: Fail) => Result<never, CaptureError>,
): Promise<Result<BeginDecision, CaptureError>> {
  const { adapter, wire } = prepared;
  const draft: IntentDraft = {
    provider: prepared.provider,
    kind: adapter.kind,
    idempotencyKey: prepared.key,
    paymentId: wire.paymentId,
    ...(wire.amount ? { amount: wire.amount } : {}),
    final: wire.final,
    ...(wire.reference !== undefined ? { reference: wire.reference } : {}),
    ...(wire.metadata !== undefined ? { metadata: wire.metadata } : {}),
    ...(prepared.providerOptions !== undefined
      ? { providerOptions: prepared.providerOptions }
      : {}),
    ...(wire.authorizedAmount ? { authorizedAmount: wire.authorizedAmount } : {}),
    ...(prepared.requestContext !== undefined ? { context: prepared.requestContext } : {}),
    inFlightMs: adapterDeadlineMs(adapter) + DEADLINE_SLACK_MS + ctx.inFlightGraceMs,
  };
  try {
    return ok(
      await ctx.journal.begin(draft, {
        now: ctx.now(),
        ignoreUnresolved: prepared.ignoreUnresolved,
      }),
    );
  } catch (error) {
    return fail(journalUnavailable(ctx, prepared, error));
  }
}

/** The whole `doCapture` call's deadline: the adapter's timeout (all its exchanges together). */
export function adapterDeadlineMs(adapter: CaptureProviderV1): number {
  return adapter.timeoutMs ?? DEFAULT_ADAPTER_TIMEOUT_MS;
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
function answerWithoutSending(
  decision: Exclude<BeginDecision, { action: 'send' }>,
  prepared: PreparedCapture,
  fail: (init: Fail) => Result<never, CaptureError>,
): Result<Capture, CaptureError> {
  const intent = decision.intent;
  const base = {
    provider: prepared.provider,
    kind: prepared.adapter.kind,
    paymentId: prepared.wire.paymentId,
  };
  switch (decision.action) {
    case 'replay':
      return intent.state === 'failed'
        ? err(failureFromIntent(intent))
        : ok(captureFromIntent(intent));
    case 'conflict':
      return fail({
        ...base,
        code: 'idempotency_conflict',
        outcome: 'not_attempted',
        message: `idempotencyKey ${intent.idempotencyKey} was already used for payment ${intent.paymentId}, ${describeMoney(intent.amount)}, final ${intent.final}; this request asks for payment ${prepared.wire.paymentId}, ${describeMoney(prepared.wire.amount)}, final ${prepared.wire.final}. Nothing was sent: use a NEW idempotencyKey for a different capture.`,
      });
    case 'in_flight':
      return fail({
        ...base,
        code: 'capture_in_progress',
        outcome: 'unknown',
        retryable: true,
        message: `A capture with idempotencyKey ${intent.idempotencyKey} is still in flight, so nothing was sent again. Wait for it to answer, then call resolve() with the same key. ${UNKNOWN_OUTCOME_ADVICE}`,
      });
    case 'unresolved':
      return fail({
        ...base,
        code: 'unresolved_capture',
        outcome: 'not_attempted',
        retryable: false,
        unresolvedIdempotencyKey: intent.idempotencyKey,
        message: `Payment ${intent.paymentId} has a capture whose outcome is not known yet (idempotencyKey ${intent.idempotencyKey}, ${describeMoney(intent.amount)}, state ${intent.state}), so nothing was sent: a second key could capture twice. Call resolve({ provider: '${prepared.provider}', paymentId: '${intent.paymentId}', idempotencyKey: '${intent.idempotencyKey}' }) (or client.reconcile()) first, or retry with that same key. Only if you know it cannot have captured, pass dangerouslyIgnoreUnresolved: true.`,
      });
  }
}

/** Calls the adapter. A throw after dispatch means money may have moved. */
async function dispatchCapture(prepared: PreparedCapture): Promise<Result<Capture, CaptureError>> {
  const { adapter } = prepared;
  // The journal counts the attempt in flight for the adapter's deadline (+ grace); an adapter
  // that makes several exchanges must not outlive it, or another process's reconcile could
  // take a capture still on its way for an absent one. One timer, cleared when done.
  const deadline = new AbortController();
  // A little past the adapter's own deadline, so its transport reports its own timeout
  // first; this one only stops an adapter that outlives it.
  const timer = setTimeout(
    () => deadline.abort(new Error('capture-kit: the capture outlived the adapter deadline')),
    adapterDeadlineMs(adapter) + DEADLINE_SLACK_MS,
  );
  const callerSignal = prepared.wire.signal;
  const onCallerAbort = () => deadline.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await callAdapter(prepared, { ...prepared.wire, signal: deadline.signal });
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

async function callAdapter(
  prepared: PreparedCapture,
  wire: ProviderCaptureRequest,
): Promise<Result<Capture, CaptureError>> {
  const { adapter } = prepared;
  const base = {
    provider: prepared.provider,
    kind: adapter.kind,
    paymentId: wire.paymentId,
    idempotencyKey: prepared.key,
  };
  try {
    const answer = await adapter.doCapture(wire);
    if (answer.isErr()) return err(captureError({ ...answer.error, ...base }));
    return ok({ ...answer.value, provider: prepared.provider, idempotencyKey: prepared.key });
  } catch (error) {
    return err(
      captureError({
        ...base,
        code: 'provider_error',
        outcome: 'unknown',
        message: `The ${adapter.kind} adapter threw unexpectedly (${describe(error)}). ${UNKNOWN_OUTCOME_ADVICE}`,
        cause: error,
      }),
    );
  }
}

/** A success for another payment or another amount is not the capture we asked for. */
function checkIntegrity(
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

/** Applies the answer to the intent; the intent's state decides what the caller hears. */
async function settleCapture(
  ctx: PipelineContext,
  prepared: PreparedCapture,
  intent: CaptureIntent,
  answer: Result<Capture, CaptureError>,
): Promise<Result<Capture, CaptureError>> {
  let next: CaptureIntent | undefined;
  try {
    next = await ctx.journal.apply(
      prepared.provider,
      prepared.key,
      captureEvent(answer, ctx.now(), ctx.inFlightGraceMs),
    );
  } catch {
    // The answer is known but could not be recorded. The intent stays as begun (sending or
    // unknown), which blocks other keys on this payment until resolve(): safe, and honest.
    return intent.state === 'unknown' && answer.isErr()
      ? err(stillUnknown(intent, answer.error))
      : answer;
  }
  return outcomeOf(next, answer);
}

/** One message for the diagnostics channel; no secret, body or metadata. */
export function diagnostic(
  operation: CaptureDiagnostic['operation'],
  input: unknown,
  key: string,
  result: Result<Capture, CaptureError>,
  started: number,
): CaptureDiagnostic {
  const provider = peek(input, 'provider');
  const paymentId = peek(input, 'paymentId');
  const kind = result.isOk() ? result.value.kind : result.error.kind;
  return {
    operation,
    provider: typeof provider === 'string' ? provider : '',
    ...(kind ? { kind } : {}),
    ...(typeof paymentId === 'string' ? { paymentId } : {}),
    idempotencyKey: key,
    result: result.isOk() ? result.value.status : result.error.outcome,
    ...(result.isErr()
      ? {
          code: result.error.code,
          ...(result.error.providerCode ? { providerCode: result.error.providerCode } : {}),
        }
      : {}),
    durationMs: performance.now() - started,
  };
}

/** Reads one property of an untrusted value without letting a throwing getter escape. */
export function peek(value: unknown, key: string): unknown {
  try {
    return value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)[key]
      : undefined;
  } catch {
    return undefined;
  }
}

/** A printable description of anything thrown. */
export function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    // e.g. an object without a prototype, or a throwing toString().
    return 'an unprintable value';
  }
}

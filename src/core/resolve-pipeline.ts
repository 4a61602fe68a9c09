import { err, ok, type Result, safeTry } from 'neverthrow';
import type { Capture } from './capture.js';
import { diagnostic, diagnosticsObserved } from './capture-diagnostic.js';
import { describeIssues, type ResolveRequest, resolveRequestSchema } from './capture-request.js';
import { integrityProblem } from './dispatch-capture.js';
import { type CaptureError, type CaptureErrorInit, captureError } from './errors.js';
import { captureFromIntent, describeMoney, inquiryEvent, outcomeOf } from './intent-results.js';
import { type CaptureIntent, isInFlight } from './intents.js';
import { type Money, toMoney } from './money.js';
import { describe, peek } from './peek.js';
import { findAdapter, type PipelineContext } from './pipeline-context.js';
import type { CaptureProviderV1, ProviderResolveRequest } from './spec.js';

type Fail = Omit<CaptureErrorInit, 'idempotencyKey'>;

/** What one inquiry needs, from the caller's request and the journal's record. */
export interface InquiryTarget {
  readonly provider: string;
  readonly adapter: CaptureProviderV1;
  readonly request: ProviderResolveRequest;
  readonly intent: CaptureIntent | undefined;
}

/**
 * `client.resolve()`: asks the provider about one capture and answers about the CAPTURE
 * (DESIGN §3): a failed inquiry is `unknown`, never `failed`; only the provider's word
 * ends an intent.
 */
export async function runResolve(
  ctx: PipelineContext,
  input: ResolveRequest,
): Promise<Result<Capture, CaptureError>> {
  const started = performance.now();
  const rawKey = peek(input, 'idempotencyKey');
  const key = typeof rawKey === 'string' ? rawKey : '';
  const fail = (init: Fail) => err(captureError({ ...init, idempotencyKey: key }));

  const result = await safeTry(async function* () {
    const request = yield* validateResolve(input, fail);
    const adapter = yield* findAdapter(ctx, request.provider, fail);
    const amount = yield* resolveAmount(request.amount, adapter, fail);
    let intent: CaptureIntent | undefined;
    try {
      intent = await ctx.journal.get(request.provider, key);
    } catch (error) {
      return fail({
        provider: request.provider,
        kind: adapter.kind,
        paymentId: request.paymentId,
        code: 'journal_unavailable',
        outcome: 'unknown',
        message: `The ${ctx.journal.name} journal could not be read (${describe(error)}); nothing was asked. Call resolve() again once it is back.`,
        cause: error,
      });
    }
    if (intent && intent.paymentId !== request.paymentId) {
      return fail({
        provider: request.provider,
        kind: adapter.kind,
        paymentId: request.paymentId,
        code: 'idempotency_conflict',
        outcome: 'not_attempted',
        message: `idempotencyKey ${key} belongs to a capture of payment ${intent.paymentId}, not ${request.paymentId}; nothing was asked. Pass the paymentId the capture was sent with.`,
      });
    }
    // A success is answered from the journal: the provider already gave its word. A
    // failure is asked again: the provider may name the reason more precisely (a webhook,
    // or a decline whose cause it reports), and asking cannot move money.
    if (intent?.state === 'succeeded') return ok(captureFromIntent(intent));
    const wire: ProviderResolveRequest = {
      paymentId: request.paymentId,
      idempotencyKey: key,
      ...pick('captureId', request.captureId ?? intent?.captureId),
      ...pick('reference', request.reference ?? intent?.reference),
      ...pick('amount', amount ?? intent?.amount),
      ...pick('intentState', intent?.state),
      ...(request.signal ? { signal: request.signal } : {}),
    };
    return await inquire(ctx, { provider: request.provider, adapter, request: wire, intent });
  });
  if (diagnosticsObserved()) ctx.publish(diagnostic('resolve', input, key, result, started));
  return result;
}

function pick<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function validateResolve(input: ResolveRequest, fail: (init: Fail) => Result<never, CaptureError>) {
  try {
    const parsed = resolveRequestSchema.safeParse(input);
    if (parsed.success) return ok(parsed.data);
    return fail({
      code: 'invalid_request',
      outcome: 'not_attempted',
      message: `Invalid resolve request: ${describeIssues(parsed.error)}.`,
    });
  } catch (error) {
    return fail({
      code: 'invalid_request',
      outcome: 'not_attempted',
      message: `Invalid resolve request: it could not be read (${describe(error)}); pass a plain object.`,
      cause: error,
    });
  }
}

function resolveAmount(
  input: Parameters<typeof toMoney>[0] | undefined,
  adapter: CaptureProviderV1,
  fail: (init: Fail) => Result<never, CaptureError>,
): Result<Money | undefined, CaptureError> {
  if (!input) return ok(undefined);
  const money = toMoney(input, adapter.currencyExponents);
  if (money.isErr()) {
    return fail({
      code: 'invalid_request',
      outcome: 'not_attempted',
      message: `amount.${money.error}.`,
    });
  }
  return ok(money.value);
}

/**
 * One inquiry, applied to the intent (when the journal has one). Shared by `resolve()` and
 * `reconcile()`. Never rejects.
 */
export async function inquire(
  ctx: PipelineContext,
  target: InquiryTarget,
): Promise<Result<Capture, CaptureError>> {
  const { adapter, request, intent } = target;
  const base = {
    provider: target.provider,
    kind: adapter.kind,
    paymentId: request.paymentId,
    idempotencyKey: request.idempotencyKey,
  };
  let answer: Result<Capture, CaptureError>;
  try {
    const raw = await adapter.doResolve(request);
    answer = raw.isErr()
      ? err(asCaptureAnswer(captureError({ ...raw.error, ...base })))
      : ok({ ...raw.value, provider: target.provider, idempotencyKey: request.idempotencyKey });
  } catch (error) {
    answer = err(
      captureError({
        ...base,
        code: 'provider_error',
        outcome: 'unknown',
        message: `The ${adapter.kind} adapter threw during resolve (${describe(error)}); the capture's state is still unknown. Call resolve() again.`,
        cause: error,
      }),
    );
  }
  if (answer.isOk()) {
    const problem = integrityProblem(
      answer.value,
      request.paymentId,
      intent?.amount ?? request.amount,
    );
    if (problem) {
      answer = err(
        captureError({
          ...base,
          code: 'provider_error',
          outcome: 'unknown',
          retryable: false,
          message: `${problem} The inquiry does not match the capture asked about; check it by hand before doing anything else.`,
          cause: { captureId: answer.value.captureId },
        }),
      );
    }
  }
  if (!intent) return answer;
  let next: CaptureIntent | undefined;
  try {
    next = await ctx.journal.apply(
      target.provider,
      request.idempotencyKey,
      inquiryEvent(answer, ctx.now()),
    );
  } catch {
    // Not recorded: the intent stays open, so a later resolve or reconcile asks again.
    return answer.isErr() && answer.error.code === 'capture_not_found'
      ? err(
          captureError({
            ...answer.error,
            outcome: 'unknown',
            retryable: true,
            message: `${answer.error.message} (The journal could not record this answer, so the capture is still treated as unknown; call resolve() again.)`,
          }),
        )
      : answer;
  }
  if (
    next &&
    (next.state === 'sending' || next.state === 'unknown') &&
    answer.isErr() &&
    answer.error.code === 'capture_not_found'
  ) {
    // "Absent" while an attempt may still be travelling proves nothing yet.
    return err(
      captureError({
        ...base,
        code: 'capture_in_progress',
        outcome: 'unknown',
        retryable: true,
        message: `No capture under idempotencyKey ${request.idempotencyKey} is visible yet, but the capture (${describeMoney(intent.amount)}) may still be in flight. Call resolve() again after ${new Date(isInFlight(next, ctx.now()) ? (next.inFlightUntil ?? 0) : ctx.now()).toISOString()}.`,
      }),
    );
  }
  return outcomeOf(next, answer);
}

/**
 * An inquiry error describes the capture: a refused connection, or an HTTP refusal of the
 * inquiry itself (401, 403, 408, 429, 5xx), is `unknown` — only the provider's word that
 * this capture failed or does not exist is `failed`. Adapters say so themselves; this is
 * the client's safety net for one that does not.
 */
function asCaptureAnswer(error: CaptureError): CaptureError {
  if (error.outcome === 'unknown') return error;
  if (error.outcome === 'failed' && !refusedInquiry(error.httpStatus)) return error;
  return captureError({
    ...error,
    outcome: 'unknown',
    retryable: true,
    message: `${error.message} The inquiry got no answer about the capture, so its outcome is still unknown: call resolve() again${error.retryAfterMs !== undefined ? ` after ${error.retryAfterMs} ms` : ''}; never capture again with a new key.`,
  });
}

function refusedInquiry(status: number | undefined): boolean {
  return (
    status !== undefined &&
    (status === 401 || status === 403 || status === 408 || status === 429 || status >= 500)
  );
}

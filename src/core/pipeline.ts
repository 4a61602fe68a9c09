import { err, type Result } from 'neverthrow';
import { answerWithoutSending, beginIntent } from './begin-intent.js';
import type { Capture } from './capture.js';
import { diagnostic, diagnosticsObserved } from './capture-diagnostic.js';
import { type CaptureRequest, generateIdempotencyKey } from './capture-request.js';
import { checkIntegrity, dispatchCapture, settleCapture } from './dispatch-capture.js';
import { type CaptureError, captureError } from './errors.js';
import { peek } from './peek.js';
import { type Fail, findAdapter, type PipelineContext } from './pipeline-context.js';
import { preflightCapture, prepareCapture, validateCapture } from './prepare-capture.js';

export type { PipelineContext } from './pipeline-context.js';

/**
 * `client.capture()`: the steps of DESIGN §2 in order, each a function that ends the
 * pipeline with an `Err`. Never rejects; the returned outcome is the intent's state, not
 * the last exchange's.
 */
export function runCapture(
  ctx: PipelineContext,
  input: CaptureRequest,
): Promise<Result<Capture, CaptureError>> {
  const started = performance.now();
  const rawKey = peek(input, 'idempotencyKey');
  const key = typeof rawKey === 'string' && rawKey.length > 0 ? rawKey : generateIdempotencyKey();
  const fail = (init: Fail) => err(captureError({ ...init, idempotencyKey: key }));

  const result = captureSteps(ctx, input, key, fail);
  // Built only when someone listens, as the capture starts: most processes never subscribe,
  // and their captures then pass the steps' promise on with no async layer of their own.
  if (!diagnosticsObserved()) return result;
  return result.then((settled) => {
    ctx.publish(diagnostic('capture', input, key, settled, started));
    return settled;
  });
}

/**
 * The steps, each ending the pipeline with its `Err`. Written as early returns rather than
 * a `safeTry` generator (DESIGN §7's usual form, kept in the resolve pipeline): this runs
 * once per capture, and the generator and one iterator per `yield*` were about 8 % of the
 * library's own CPU per capture (bench/FINDINGS.md, "Session 4").
 */
async function captureSteps(
  ctx: PipelineContext,
  input: CaptureRequest,
  key: string,
  fail: (init: Fail) => Result<never, CaptureError>,
): Promise<Result<Capture, CaptureError>> {
  const request = validateCapture(input, fail);
  if (request.isErr()) return err(request.error);
  const adapter = findAdapter(ctx, request.value.provider, fail);
  if (adapter.isErr()) return err(adapter.error);
  const prepared = prepareCapture(request.value, adapter.value, key, fail);
  if (prepared.isErr()) return err(prepared.error);
  const allowed = preflightCapture(prepared.value, fail);
  if (allowed.isErr()) return err(allowed.error);
  // The journal's in-flight window starts at begin: so must the dispatch deadline, or a slow
  // journal write would let the adapter outlive the window by that long.
  const begun = performance.now();
  // The memory journal answers begin and settle in the same turn: no promise to wait for.
  const beginning = beginIntent(ctx, prepared.value, fail);
  const decision = beginning instanceof Promise ? await beginning : beginning;
  if (decision.isErr()) return err(decision.error);
  if (decision.value.action !== 'send') {
    return answerWithoutSending(decision.value, prepared.value, fail);
  }
  const answer = checkIntegrity(await dispatchCapture(prepared.value, begun), prepared.value);
  // An answer that is not the provider's word: it may still be working on the request.
  const settling = settleCapture(ctx, prepared.value, decision.value.intent, answer);
  return settling instanceof Promise ? await settling : settling;
}

import { err, type Result, safeTry } from 'neverthrow';
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
 * pipeline with an `Err` (composed with `safeTry`). Never rejects; the returned outcome is
 * the intent's state, not the last exchange's.
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
  // Built only when someone listens: most processes never subscribe.
  if (diagnosticsObserved()) ctx.publish(diagnostic('capture', input, key, result, started));
  return result;
}

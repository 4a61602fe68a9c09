import type { Result } from 'neverthrow';
import type { Capture } from './capture.js';
import type { CaptureRequest } from './capture-request.js';
import type { CaptureClient } from './client.js';
import type { CaptureError } from './errors.js';

/**
 * One call {@link resolveUntilFinal} made, in order.
 *
 * @example
 * ```ts
 * const recaptured = trace.steps.some((step) => step.action === 'capture');
 * ```
 */
export interface ResolveStep {
  /** `resolve`: an inquiry; `capture`: the capture sent again with the SAME key after `capture_not_found`. */
  readonly action: 'resolve' | 'capture';
  readonly result: Result<Capture, CaptureError>;
}

/**
 * What {@link resolveUntilFinal} found out.
 *
 * @example
 * ```ts
 * const trace = await resolveUntilFinal(client, request);
 * if (!trace.final) console.log(`still open after ${trace.steps.length} calls`);
 * ```
 */
export interface ResolveTrace {
  /**
   * The last answer: `Ok(succeeded)`, a definitive `Err` (`failed` other than
   * `capture_not_found`, or `not_attempted`), or, when `final` is false, the last answer
   * before the attempts ran out.
   */
  readonly result: Result<Capture, CaptureError>;
  /** True when `result` is definitive; false when `maxAttempts` ran out first. */
  readonly final: boolean;
  /** Every call made, in order; `steps[0]` is the first inquiry. */
  readonly steps: readonly ResolveStep[];
}

/**
 * Settings for {@link resolveUntilFinal}.
 *
 * @example
 * ```ts
 * const options: ResolveUntilFinalOptions = { settle: () => sim.settle(), maxAttempts: 5, captureId: 'act_123' };
 * ```
 */
export interface ResolveUntilFinalOptions {
  /**
   * Called before asking again after a `pending` or `unknown` answer: a backoff sleep in
   * production (Antom suggests polling every 2 s), a simulator's `settle()` in tests.
   * Without it, inquiries follow each other immediately.
   */
  readonly settle?: () => Promise<void>;
  /** Most inquiries to make. Default 8. */
  readonly maxAttempts?: number;
  /** The provider's capture id, when an earlier answer carried one (Checkout.com `action_id`). */
  readonly captureId?: string;
}

const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * Drives a capture whose outcome is `unknown` or `pending` to a definitive answer without
 * ever capturing twice, the way the conformance suite (and a careful caller) does:
 * `Ok(succeeded)` → done; `Ok(pending)` → `settle()` and ask again;
 * `Err(capture_not_found)` → send the SAME capture again with the SAME key;
 * `Err(unknown)` → ask again; any other error → done.
 * Bounded by `maxAttempts` inquiries, so a provider that never settles cannot hang the caller.
 *
 * @example
 * ```ts
 * const request = { provider: 'antom', paymentId, amount, idempotencyKey: 'order-5023-capture-1' };
 * const first = await client.capture(request);
 * if (first.isErr() && first.error.outcome === 'unknown') {
 *   const trace = await resolveUntilFinal(client, request, { settle: () => sleep(2_000) });
 *   trace.result.match((capture) => capture.status, (error) => error.code);
 * }
 * ```
 */
export async function resolveUntilFinal(
  client: CaptureClient,
  request: CaptureRequest & { readonly idempotencyKey: string },
  options: ResolveUntilFinalOptions = {},
): Promise<ResolveTrace> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const steps: ResolveStep[] = [];
  let captureId = options.captureId;
  let last: Result<Capture, CaptureError> | undefined;

  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const answer = await client.resolve({
      provider: request.provider,
      paymentId: request.paymentId,
      idempotencyKey: request.idempotencyKey,
      ...(captureId !== undefined ? { captureId } : {}),
      ...(request.reference !== undefined ? { reference: request.reference } : {}),
    });
    steps.push({ action: 'resolve', result: answer });
    last = answer;
    if (answer.isOk()) {
      captureId = answer.value.captureId ?? captureId;
      if (answer.value.status === 'succeeded') return { result: answer, final: true, steps };
      await options.settle?.();
      continue;
    }
    const error = answer.error;
    if (error.outcome === 'unknown') {
      await options.settle?.();
      continue;
    }
    if (error.code !== 'capture_not_found') return { result: answer, final: true, steps };
    // The provider has no such capture, so sending it again with the same key cannot double-charge.
    const again = await client.capture(request);
    steps.push({ action: 'capture', result: again });
    if (again.isOk()) captureId = again.value.captureId ?? captureId;
    else if (again.error.outcome !== 'unknown') return { result: again, final: true, steps };
  }
  // maxAttempts >= 1, so at least one inquiry ran.
  return { result: last as Result<Capture, CaptureError>, final: false, steps };
}

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
   * The last answer: `Ok(succeeded)`, an authoritative `Err(failed)` (the provider declined
   * this capture), or, when `final` is false, the last answer before the attempts ran out
   * (`Ok(pending)`, `Err(unknown)`, or `Err(not_attempted)` for a request that could not
   * even be asked about).
   */
  readonly result: Result<Capture, CaptureError>;
  /**
   * True only when `result` settles the capture: `succeeded`, or `failed` by the provider's
   * word. False when the attempts ran out, the provider still says `pending`, or the
   * request was invalid — the capture's outcome is then still open.
   */
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
   * Called instead of the built-in wait before asking again after a `pending` or `unknown`
   * answer: a simulator's `settle()` in tests, your own scheduler in production.
   */
  readonly settle?: () => Promise<void>;
  /**
   * The built-in wait before inquiry `n + 1` (n ≥ 1), when `settle` is not given. Default:
   * 1 s, doubling each time, at most 30 s — and never shorter than the provider's
   * `Retry-After` (`error.retryAfterMs`). Antom suggests polling about every 2 s.
   */
  readonly delayMs?: (attempt: number) => number;
  /** Most inquiries to make. Default 8. */
  readonly maxAttempts?: number;
  /** The provider's capture id, when an earlier answer carried one (Checkout.com `action_id`). */
  readonly captureId?: string;
}

const DEFAULT_MAX_ATTEMPTS = 8;

const defaultDelayMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** (attempt - 1));

/**
 * Drives a capture whose outcome is `unknown` or `pending` to a definitive answer without
 * ever capturing twice, the way the conformance suite (and a careful caller) does:
 * `Ok(succeeded)` → done; `Ok(pending)` or `Err(unknown)` → wait and ask again;
 * `Err(capture_not_found)` → send the SAME capture again with the SAME key (the provider
 * proved it has none); `Err(failed)` → done, the provider declined it. Any other answer —
 * a rate limit, a refused connection, an invalid request — settles nothing: it waits and
 * asks again, and ends with `final: false` when the attempts run out.
 * Bounded by `maxAttempts` inquiries, so a provider that never settles cannot hang the caller.
 *
 * @example
 * ```ts
 * const request = { provider: 'antom', paymentId, amount, idempotencyKey: 'order-5023-capture-1' };
 * const first = await client.capture(request);
 * if (first.isErr() && first.error.outcome === 'unknown') {
 *   const trace = await resolveUntilFinal(client, request); // waits 1 s, 2 s, 4 s … between inquiries
 *   if (!trace.final) console.log('still open: keep the order in "capture unknown"');
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
  const wait = async (attempt: number, answer: Result<Capture, CaptureError>) => {
    if (options.settle) return options.settle();
    const floor = answer.isErr() ? (answer.error.retryAfterMs ?? 0) : 0;
    const ms = Math.max(floor, (options.delayMs ?? defaultDelayMs)(attempt));
    await new Promise((resolve) => setTimeout(resolve, ms));
  };

  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    if (attempt > 1 && last) await wait(attempt - 1, last);
    const answer = await client.resolve({
      ...request,
      ...(captureId !== undefined ? { captureId } : {}),
    });
    steps.push({ action: 'resolve', result: answer });
    last = answer;
    if (answer.isOk()) {
      captureId = answer.value.captureId ?? captureId;
      if (answer.value.status === 'succeeded') return { result: answer, final: true, steps };
      continue;
    }
    const error = answer.error;
    // An invalid request cannot become valid by asking again.
    if (error.outcome === 'not_attempted' && error.code === 'invalid_request') break;
    if (error.outcome !== 'failed') continue;
    if (error.code !== 'capture_not_found') return { result: answer, final: true, steps };
    // The provider has no such capture, so sending it again with the same key cannot double-charge.
    const again = await client.capture(request);
    steps.push({ action: 'capture', result: again });
    last = again;
    if (again.isOk()) {
      captureId = again.value.captureId ?? captureId;
      if (again.value.status === 'succeeded') return { result: again, final: true, steps };
    } else if (again.error.outcome === 'failed' && !again.error.retryable) {
      return { result: again, final: true, steps };
    }
  }
  // maxAttempts >= 1, so at least one inquiry ran.
  return { result: last as Result<Capture, CaptureError>, final: false, steps };
}

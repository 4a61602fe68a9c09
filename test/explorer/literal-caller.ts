import type { Result } from 'neverthrow';
import type { CapabilityContext } from '../../src/core/capabilities.js';
import type { Capture } from '../../src/core/capture.js';
import type { CaptureRequest } from '../../src/core/capture-request.js';
import type { CaptureClient } from '../../src/core/client.js';
import type { CaptureError } from '../../src/core/errors.js';
import { resolveUntilFinal } from '../../src/core/resolve-until-final.js';
import type { CaptureEvent } from '../../src/core/webhook-types.js';
import type { PlannedSlot } from './explorer-commands.js';

/**
 * A caller that follows the README's outcome table to the letter, about each capture it
 * means to make (a "slot"), and never anything cleverer:
 *
 * | answer            | what the caller believes        | what it may do next                          |
 * | Ok(succeeded)     | done                            | nothing                                      |
 * | Ok(pending)       | accepted, result later          | resolve() / same key; webhooks tell          |
 * | Err(not_attempted)| nothing was sent                | call again, the same or a NEW key            |
 * | Err(failed)       | declined, no money moved        | retry only with a NEW key (same key after    |
 * |                   |                                 | capture_not_found, as its message says)      |
 * | Err(unknown)      | money may have moved            | resolve() or retry with the SAME key         |
 *
 * `resolve()` and `resolveUntilFinal()` answer about the capture (DESIGN §3), so their
 * outcome is read with the same table. `unresolved_capture` (not_attempted) names an open
 * key: the caller reopens that key and resolves it before anything else.
 */

/** What the caller believes about one idempotency key it used. */
export type Belief = 'unsent' | 'succeeded' | 'pending' | 'unknown' | 'failed' | 'not_attempted';

export interface Attempt {
  readonly key: string;
  readonly slot: number;
  belief: Belief;
  /** The last error code or status the belief came from. */
  code?: string;
  captureId?: string;
  /** The README allows sending this key again (not_attempted, or failed with capture_not_found). */
  sameKeyOk: boolean;
}

export interface CallerSlot extends PlannedSlot {
  readonly index: number;
  readonly reference?: string;
  readonly attempts: Attempt[];
}

/** Distinct keys a caller tries per slot before it gives up. */
export const MAX_KEYS_PER_SLOT = 8;

const OPEN: readonly Belief[] = ['pending', 'unknown'];

export interface LiteralCallerOptions {
  readonly client: CaptureClient;
  readonly provider: string;
  readonly paymentId: string;
  readonly currency: string;
  readonly context: CapabilityContext;
  readonly slots: readonly PlannedSlot[];
  /** Unique per run: keys are `${keyPrefix}s<slot>k<n>`. */
  readonly keyPrefix: string;
  readonly reference: 'none' | 'shared' | 'unique';
  /** Receives one line per call, for reproductions. */
  readonly log: (line: string) => void;
  /** Webhook events before this index belong to earlier runs. Default 0. */
  readonly firstEvent?: number;
}

export class LiteralCaller {
  readonly slots: CallerSlot[];
  /** Keys the library said are unresolved: resolved before any new capture. */
  readonly mustResolve = new Set<string>();
  readonly #options: LiteralCallerOptions;
  readonly #byKey = new Map<string, Attempt>();
  #eventsSeen = 0;
  #client: CaptureClient;

  constructor(options: LiteralCallerOptions) {
    this.#options = options;
    this.#client = options.client;
    this.#eventsSeen = options.firstEvent ?? 0;
    this.slots = options.slots.map((slot, index) => {
      const reference =
        options.reference === 'shared'
          ? `ORD-${options.keyPrefix}`
          : options.reference === 'unique'
            ? `ORD-${options.keyPrefix}-${index}`
            : undefined;
      return { ...slot, index, ...(reference ? { reference } : {}), attempts: [] };
    });
  }

  get attempts(): readonly Attempt[] {
    return [...this.#byKey.values()];
  }

  slot(index: number): CallerSlot {
    return this.slots[index % this.slots.length] as CallerSlot;
  }

  succeeded(slot: CallerSlot): boolean {
    return slot.attempts.some((a) => a.belief === 'succeeded');
  }

  /** The open attempt (unknown or pending) to deal with first for `slot`, latest first. */
  openAttempt(slot: CallerSlot): Attempt | undefined {
    for (let i = slot.attempts.length - 1; i >= 0; i--) {
      const attempt = slot.attempts[i] as Attempt;
      if (OPEN.includes(attempt.belief)) return attempt;
    }
    return undefined;
  }

  /** Whether the caller still has something to do for `slot`. */
  unfinished(slot: CallerSlot): boolean {
    if (this.succeeded(slot)) return false;
    if (this.openAttempt(slot)) return true;
    return this.#nextKey(slot, 'new') !== undefined;
  }

  /**
   * The key the table allows for the next capture of `slot`: an open attempt's key (never a
   * new one), else per the last attempt's outcome; `undefined` when the caller gives up.
   */
  #nextKey(slot: CallerSlot, prefer: 'same' | 'new'): string | undefined {
    const open = this.openAttempt(slot);
    if (open) return open.key;
    const last = slot.attempts.at(-1);
    if (last && (last.belief === 'unsent' || (prefer === 'same' && last.sameKeyOk)))
      return last.key;
    if (slot.attempts.length >= MAX_KEYS_PER_SLOT) return undefined;
    return `${this.#options.keyPrefix}s${slot.index}k${slot.attempts.length + 1}`;
  }

  #attempt(slot: CallerSlot, key: string): Attempt {
    const known = this.#byKey.get(key);
    if (known) return known;
    const attempt: Attempt = { key, slot: slot.index, belief: 'unsent', sameKeyOk: true };
    this.#byKey.set(key, attempt);
    slot.attempts.push(attempt);
    return attempt;
  }

  request(slot: CallerSlot, key: string): CaptureRequest & { idempotencyKey: string } {
    const { provider, paymentId, currency, context } = this.#options;
    return {
      provider,
      paymentId,
      idempotencyKey: key,
      final: slot.final,
      ...(slot.omitAmount ? {} : { amount: { currency, value: slot.amount } }),
      ...(slot.reference ? { reference: slot.reference } : {}),
      context,
    };
  }

  /** A capture for `slot` with the key the table allows; nothing when the slot is done. */
  async capture(index: number, prefer: 'same' | 'new'): Promise<void> {
    // Captures are started in order: a later one only once every earlier one was tried
    // (it may still be open: a second capture while the first is unknown is a real case).
    const untried = this.slots.find((s) => s.attempts.length === 0);
    const wanted = this.slot(index);
    const slot = untried && untried.index < wanted.index ? untried : wanted;
    if (this.succeeded(slot)) return;
    // Told that another key is open: resolve it first, as the error says.
    const blocking = [...this.mustResolve][0];
    if (blocking !== undefined && this.#byKey.get(blocking)?.slot !== slot.index) {
      await this.resolveKey(blocking);
      return;
    }
    const key = this.#nextKey(slot, prefer);
    if (key === undefined) return;
    const attempt = this.#attempt(slot, key);
    const result = await this.#client.capture(this.request(slot, key));
    this.#log(`capture s${slot.index} ${key}`, result);
    this.#learn(attempt, result);
  }

  /** resolve() for the slot's open attempt (or a key the library said is open). */
  async resolve(index: number): Promise<void> {
    const target = this.#resolveTarget(index);
    if (target) await this.resolveKey(target.key);
  }

  async resolveKey(key: string): Promise<void> {
    const attempt = this.#byKey.get(key);
    if (!attempt) return;
    const slot = this.slot(attempt.slot);
    const { provider, paymentId } = this.#options;
    const result = await this.#client.resolve({
      provider,
      paymentId,
      idempotencyKey: key,
      ...(attempt.captureId ? { captureId: attempt.captureId } : {}),
      ...(slot.reference ? { reference: slot.reference } : {}),
    });
    this.#log(`resolve s${slot.index} ${key}`, result);
    this.#learn(attempt, result);
  }

  async resolveUntilFinal(
    index: number,
    maxAttempts: number,
    settle: (() => Promise<void>) | undefined,
  ): Promise<void> {
    const target = this.#resolveTarget(index);
    if (!target) return;
    const slot = this.slot(target.slot);
    const trace = await resolveUntilFinal(this.#client, this.request(slot, target.key), {
      maxAttempts,
      ...(settle ? { settle } : {}),
      ...(target.captureId ? { captureId: target.captureId } : {}),
    });
    const steps = trace.steps.map((s) => `${s.action}:${summarize(s.result)}`).join(' ');
    this.#options.log(
      `resolveUntilFinal s${slot.index} ${target.key} → final ${trace.final}: ${summarize(trace.result)} [${steps}]`,
    );
    if (trace.final) {
      this.#learn(target, trace.result);
    } else {
      // Attempts ran out: nothing is decided, whatever the last answer said.
      target.belief =
        trace.result.isOk() && trace.result.value.status === 'pending' ? 'pending' : 'unknown';
      target.sameKeyOk = true;
    }
  }

  #resolveTarget(index: number): Attempt | undefined {
    const blocking = [...this.mustResolve][0];
    if (blocking !== undefined) return this.#byKey.get(blocking);
    return this.openAttempt(this.slot(index));
  }

  /** The caller's process was restarted: it goes on with a new client (same keys, same plan). */
  useClient(client: CaptureClient): void {
    this.#client = client;
  }

  /**
   * The capture call for `key` never returned: its process died. The caller knows nothing
   * about it — the table's "money may have moved": resolve it or retry with the SAME key.
   */
  lostAnswer(key: string): void {
    const attempt = this.#byKey.get(key);
    if (!attempt) return;
    attempt.belief = 'unknown';
    attempt.code = 'process_died';
    attempt.sameKeyOk = true;
    this.#options.log(`capture ${key} → no answer: the process died`);
  }

  /**
   * `client.reconcile()`, and what its report says about this caller's keys, read with the
   * same table: `absent` (nothing under the key) as not attempted, an open state as unknown
   * or pending, a final one as such.
   */
  async reconcile(): Promise<void> {
    const report = await this.#client.reconcile();
    const seen: string[] = [];
    for (const item of report.items) {
      const attempt = this.#byKey.get(item.idempotencyKey);
      if (!attempt) continue;
      seen.push(
        `${item.idempotencyKey} ${item.from}→${item.to}${item.resent ? ' (re-sent)' : ''}${item.code ? ` ${item.code}` : ''}`,
      );
      switch (item.to) {
        case 'succeeded':
        case 'pending':
          attempt.belief = item.to;
          attempt.sameKeyOk = true;
          break;
        case 'failed':
          attempt.belief = 'failed';
          attempt.sameKeyOk = false;
          break;
        case 'absent':
          attempt.belief = 'not_attempted';
          attempt.sameKeyOk = true;
          break;
        default:
          attempt.belief = 'unknown';
          attempt.sameKeyOk = true;
      }
      attempt.code = `reconcile:${item.to}`;
      if (!OPEN.includes(attempt.belief)) this.mustResolve.delete(attempt.key);
    }
    this.#options.log(
      `reconcile → claimed ${report.claimed}: ${seen.join(', ') || 'none of ours'}`,
    );
  }

  /** Reads the webhook events received since the last call (only this payment's). */
  readWebhooks(events: readonly CaptureEvent[]): void {
    for (; this.#eventsSeen < events.length; this.#eventsSeen++) {
      const event = events[this.#eventsSeen] as CaptureEvent;
      if (event.paymentId !== this.#options.paymentId) continue;
      const attempt =
        (event.idempotencyKey !== undefined ? this.#byKey.get(event.idempotencyKey) : undefined) ??
        this.attempts.find((a) => a.captureId !== undefined && a.captureId === event.captureId);
      if (!attempt) continue;
      this.#options.log(`webhook ${event.type} for ${attempt.key}`);
      if (event.type === 'capture.succeeded') {
        attempt.belief = 'succeeded';
        if (event.captureId) attempt.captureId = event.captureId;
      } else if (OPEN.includes(attempt.belief)) {
        attempt.belief = 'failed';
        attempt.sameKeyOk = false;
      }
      if (!OPEN.includes(attempt.belief)) this.mustResolve.delete(attempt.key);
    }
  }

  /** Applies the table to one answer about `attempt`. */
  #learn(attempt: Attempt, result: Result<Capture, CaptureError>): void {
    if (result.isOk()) {
      attempt.belief = result.value.status;
      attempt.code = result.value.status;
      attempt.sameKeyOk = true;
      if (result.value.captureId) attempt.captureId = result.value.captureId;
    } else {
      const error = result.error;
      attempt.belief = error.outcome;
      attempt.code = error.code;
      attempt.sameKeyOk = error.outcome !== 'failed' || error.code === 'capture_not_found';
      if (error.code === 'unresolved_capture') this.#reopen(attempt, error);
    }
    if (!OPEN.includes(attempt.belief)) this.mustResolve.delete(attempt.key);
  }

  /**
   * `unresolved_capture`: another intent on this payment is open. The key is looked for in
   * every string the error carries; failing that, every key this caller ever sent on the
   * payment that it does not know to have succeeded is treated as open.
   */
  #reopen(attempt: Attempt, error: CaptureError): void {
    const strings = Object.values(error).filter((v): v is string => typeof v === 'string');
    const tokens = new Set(strings.flatMap((s) => s.match(/[A-Za-z0-9_-]+/g) ?? []));
    let named = this.attempts.filter((a) => a.key !== attempt.key && tokens.has(a.key));
    if (named.length === 0) {
      named = this.attempts.filter(
        (a) => a.key !== attempt.key && a.belief !== 'unsent' && a.belief !== 'succeeded',
      );
    }
    for (const open of named) {
      if (!OPEN.includes(open.belief)) open.belief = 'unknown';
      open.sameKeyOk = true;
      this.mustResolve.add(open.key);
    }
  }

  #log(call: string, result: Result<Capture, CaptureError>): void {
    this.#options.log(`${call} → ${summarize(result)}`);
  }
}

/** `Ok(succeeded 3000)` / `Err(timeout, unknown)`. */
export function summarize(result: Result<Capture, CaptureError>): string {
  if (result.isOk()) {
    const amount = result.value.amount ? ` ${result.value.amount.value}` : '';
    return `Ok(${result.value.status}${amount})`;
  }
  const e = result.error;
  const status = e.httpStatus !== undefined ? ` http ${e.httpStatus}` : '';
  const providerCode = e.providerCode ? ` ${e.providerCode}` : '';
  return `Err(${e.code}, ${e.outcome}${status}${providerCode})`;
}

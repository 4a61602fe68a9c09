import type { KeyObject } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { signAntomMessage } from '../../providers/antom/signing.js';
import type { Fault } from '../harness.js';
import { type BackgroundWork, postWebhook, sleep, type WebhookDelivery } from './sim-server.js';

/** The acknowledgement Antom requires; anything else is retried. */
const ACK = { result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } };

/**
 * Antom's notifyCapture retry schedule is 0 s, 2 min, 10 min, 10 min, 1 h, 2 h, 6 h, 15 h
 * (8 attempts). The simulator keeps the count and compresses the waits to milliseconds.
 */
export const DEFAULT_NOTIFY_RETRY_SCHEDULE_MS: readonly number[] = [0, 5, 10, 10, 20, 40, 60, 80];

/**
 * One notifyCapture and what became of it.
 *
 * @example
 * ```ts
 * await sim.settle();
 * const last: AntomNotification | undefined = sim.notifications.at(-1);
 * expect(last?.state).toBe('delivered');
 * ```
 */
export interface AntomNotification {
  readonly captureRequestId: string;
  readonly paymentId: string;
  /** The exact body bytes sent (the same on every attempt). */
  readonly body: string;
  /** Answers received, one per attempt, in order. */
  readonly attempts: { readonly status: number; readonly body: string }[];
  /** `delivered` (acknowledged), `failed` (attempts exhausted), `dropped` (webhook_missing or no URL), `held`, `pending`. */
  state: 'pending' | 'held' | 'delivered' | 'failed' | 'dropped';
}

/** What the notifier needs. */
interface AntomNotifierOptions {
  readonly clientId: string;
  readonly antomPrivateKey: KeyObject;
  readonly now: () => number;
  readonly schedule: readonly number[];
  readonly work: BackgroundWork;
}

function isAck(delivery: WebhookDelivery): boolean {
  if (delivery.status !== 200) return false;
  try {
    return isDeepStrictEqual(JSON.parse(delivery.body), ACK);
  } catch {
    return false;
  }
}

/**
 * Sends signed notifyCapture requests the way Antom does: signature over
 * `POST <notify path>\n<client-id>.<request-time>.<body>`, retried until the exact
 * acknowledgement comes back. Applies webhook faults to one notification each.
 */
export class AntomNotifier {
  readonly #options: AntomNotifierOptions;
  /** Held notifications: each waits for a notification created after it (`index`) to finish. */
  readonly #held: { readonly index: number; readonly run: () => Promise<void> }[] = [];
  /** Every notification, in the order they were created. */
  readonly log: AntomNotification[] = [];
  url: string | undefined;

  constructor(options: AntomNotifierOptions, url?: string) {
    this.#options = options;
    this.url = url;
  }

  /** Queues one notification; `fault` is the webhook fault the capture took, if any. */
  send(payload: Record<string, unknown>, fault?: Fault): void {
    const entry: AntomNotification = {
      captureRequestId: String(payload.captureRequestId ?? ''),
      paymentId: String(payload.paymentId ?? ''),
      body: JSON.stringify(payload),
      attempts: [],
      state: 'pending',
    };
    const index = this.log.push(entry) - 1;
    if (fault?.kind === 'webhook_missing' || this.url === undefined) {
      entry.state = 'dropped';
      return;
    }
    const badSignature = fault?.kind === 'webhook_bad_signature';
    const run = async () => {
      if (fault?.kind === 'webhook_delayed') await sleep(fault.ms ?? 100);
      await this.#deliver(entry, badSignature);
      if (fault?.kind === 'webhook_duplicate') await this.#deliver(entry, badSignature);
    };
    if (fault?.kind === 'webhook_out_of_order') {
      entry.state = 'held';
      this.#held.push({ index, run });
      return;
    }
    this.#options.work.run(async () => {
      await run();
      this.#release(index);
    });
  }

  /** Sends every held notification now (normally they wait for the next one to be delivered). */
  flushHeld(): void {
    this.#release(Number.POSITIVE_INFINITY);
  }

  #release(finished: number): void {
    const due = this.#held.filter((held) => held.index < finished);
    this.#held.splice(0, this.#held.length, ...this.#held.filter((held) => held.index >= finished));
    for (const held of due) this.#options.work.run(held.run);
  }

  async #deliver(entry: AntomNotification, badSignature: boolean): Promise<void> {
    const url = this.url;
    if (url === undefined) {
      entry.state = 'dropped';
      return;
    }
    const path = new URL(url).pathname;
    for (const wait of this.#options.schedule) {
      if (wait > 0) await sleep(wait);
      if (this.#options.work.closed) return;
      const time = String(this.#options.now());
      const signature = signAntomMessage(this.#options.antomPrivateKey, {
        method: 'POST',
        path,
        clientId: this.#options.clientId,
        time,
        // A bad signature is a real RSA signature over other bytes: well-formed, never valid.
        body: badSignature ? `${entry.body} ` : entry.body,
      });
      const delivery = await postWebhook(
        url,
        { 'client-id': this.#options.clientId, 'request-time': time, signature },
        Buffer.from(entry.body, 'utf8'),
      );
      entry.attempts.push(delivery);
      if (isAck(delivery)) {
        entry.state = 'delivered';
        return;
      }
    }
    entry.state = 'failed';
  }
}

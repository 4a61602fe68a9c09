import { createHmac, randomBytes } from 'node:crypto';
import type { Fault } from '../harness.js';
import { type BackgroundWork, postWebhook, sleep } from './sim-server.js';

/**
 * One webhook delivery attempt the Checkout.com simulator made.
 *
 * @example
 * ```ts
 * await sim.settle();
 * const delivery: CheckoutWebhookDelivery | undefined = sim.webhookDeliveries.find(
 *   (d) => d.type === 'payment_captured',
 * );
 * expect(delivery?.status).toBe(200);
 * ```
 */
export interface CheckoutWebhookDelivery {
  readonly eventId: string;
  readonly type: string;
  readonly paymentId: string;
  /** HTTP status of the answer; 0 when the connection failed or no URL was set. */
  readonly status: number;
  /** False for deliveries sent under `webhook_bad_signature`. */
  readonly signed: boolean;
  readonly attempt: number;
}

/** Settings of {@link CheckoutWebhookSender}. */
interface CheckoutWebhookSenderOptions {
  readonly secret: string;
  readonly authorization?: string;
  /** Delivery attempts per webhook (Checkout.com retries non-2xx answers). Default 1. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  readonly work: BackgroundWork;
}

/**
 * Delivers signed webhooks the way Checkout.com does (`Cko-Signature` = hex HMAC-SHA256
 * of the raw body), applying the webhook faults: duplicate, delayed, missing, out of order
 * (held until the next webhook has been delivered) and bad signature.
 */
export class CheckoutWebhookSender {
  url: string | undefined;
  readonly deliveries: CheckoutWebhookDelivery[] = [];
  readonly #options: CheckoutWebhookSenderOptions;
  readonly #held: (() => Promise<void>)[] = [];

  constructor(options: CheckoutWebhookSenderOptions, url?: string) {
    this.#options = options;
    this.url = url;
  }

  /** Schedules one event; `fault` is a webhook fault taken for the capture that produced it. */
  send(
    event: { readonly id: string; readonly type: string; readonly paymentId: string },
    body: Buffer,
    fault?: Fault,
  ): void {
    if (fault?.kind === 'webhook_missing') return;
    const signed = fault?.kind !== 'webhook_bad_signature';
    const key = signed ? this.#options.secret : randomBytes(32).toString('hex');
    const headers: Record<string, string> = {
      'cko-signature': createHmac('sha256', key).update(body).digest('hex'),
      ...(this.#options.authorization ? { authorization: this.#options.authorization } : {}),
    };
    const deliver = () => this.#deliver(event, body, headers, signed);
    if (fault?.kind === 'webhook_out_of_order') {
      this.#held.push(deliver);
      return;
    }
    this.#options.work.run(async () => {
      if (fault?.kind === 'webhook_delayed') await sleep(fault.ms ?? 200);
      await deliver();
      if (fault?.kind === 'webhook_duplicate') await deliver();
      // A held webhook goes out only after the next one: that is what makes it out of order.
      for (const held of this.#held.splice(0)) await held();
    });
  }

  async #deliver(
    event: { readonly id: string; readonly type: string; readonly paymentId: string },
    body: Buffer,
    headers: Record<string, string>,
    signed: boolean,
  ): Promise<void> {
    const attempts = Math.max(1, this.#options.attempts ?? 1);
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (this.#options.work.closed) return;
      const url = this.url;
      const answer = url ? await postWebhook(url, headers, body) : { status: 0, body: '' };
      this.deliveries.push({
        eventId: event.id,
        type: event.type,
        paymentId: event.paymentId,
        status: answer.status,
        signed,
        attempt,
      });
      if (!url || (answer.status >= 200 && answer.status < 300)) return;
      if (attempt < attempts) await sleep(this.#options.retryDelayMs ?? 50);
    }
  }
}

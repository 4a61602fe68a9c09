import { randomBytes } from 'node:crypto';
import { signStripeWebhook } from '../../providers/stripe/signing.js';
import type { Fault } from '../harness.js';
import { type BackgroundWork, postWebhook, sleep } from './sim-server.js';

/**
 * One webhook delivery the Stripe simulator made.
 *
 * @example
 * ```ts
 * await sim.settle();
 * const delivery: StripeWebhookDelivery | undefined = sim.webhookDeliveries.at(-1);
 * ```
 */
export interface StripeWebhookDelivery {
  readonly eventId: string;
  readonly type: string;
  readonly paymentId: string;
  /** HTTP status of the answer; 0 when the connection failed or no URL was set. */
  readonly status: number;
  /** False for deliveries sent under `webhook_bad_signature`. */
  readonly signed: boolean;
}

/**
 * Delivers Stripe events signed the way Stripe signs them (`Stripe-Signature: t=…,v1=…`),
 * applying the webhook faults: duplicate, delayed, missing, out of order (held until the
 * next delivery) and bad signature (a well-formed `v1` under another secret).
 */
export class StripeWebhookSender {
  url: string | undefined;
  readonly deliveries: StripeWebhookDelivery[] = [];
  readonly #secrets: () => readonly string[];
  readonly #nowSec: () => number;
  readonly #work: BackgroundWork;
  readonly #held: (() => Promise<void>)[] = [];

  constructor(
    secrets: () => readonly string[],
    nowSec: () => number,
    work: BackgroundWork,
    url?: string,
  ) {
    this.#secrets = secrets;
    this.#nowSec = nowSec;
    this.#work = work;
    this.url = url;
  }

  /** Schedules the events one capture produced; `fault` is the webhook fault taken for it. */
  send(
    events: readonly {
      readonly id: string;
      readonly type: string;
      readonly paymentId: string;
      readonly body: Buffer;
    }[],
    fault?: Fault,
  ): void {
    if (fault?.kind === 'webhook_missing' || events.length === 0) return;
    const signed = fault?.kind !== 'webhook_bad_signature';
    const deliver = async () => {
      for (const event of events) {
        // Signed when sent, as Stripe does: a delayed delivery carries its sending time.
        const secrets = signed ? this.#secrets() : [randomBytes(24).toString('hex')];
        const header = signStripeWebhook(event.body, secrets, this.#nowSec());
        await this.#deliver(event, header, signed);
      }
    };
    if (fault?.kind === 'webhook_out_of_order') {
      this.#held.push(deliver);
      return;
    }
    this.#work.run(async () => {
      if (fault?.kind === 'webhook_delayed') await sleep(fault.ms ?? 200);
      await deliver();
      if (fault?.kind === 'webhook_duplicate') await deliver();
      for (const held of this.#held.splice(0)) await held();
    });
  }

  async #deliver(
    event: {
      readonly id: string;
      readonly type: string;
      readonly paymentId: string;
      readonly body: Buffer;
    },
    header: string,
    signed: boolean,
  ): Promise<void> {
    if (this.#work.closed) return;
    const url = this.url;
    const answer = url
      ? await postWebhook(url, { 'stripe-signature': header }, event.body)
      : { status: 0, body: '' };
    this.deliveries.push({
      eventId: event.id,
      type: event.type,
      paymentId: event.paymentId,
      status: answer.status,
      signed,
    });
  }
}

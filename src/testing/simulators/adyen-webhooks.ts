import { createHmac, randomBytes } from 'node:crypto';
import type { Fault } from '../harness.js';
import { type BackgroundWork, postWebhook, sleep } from './sim-server.js';

/**
 * One webhook delivery attempt the Adyen simulator made.
 *
 * @example
 * ```ts
 * await sim.settle();
 * const delivery: AdyenWebhookDelivery | undefined = sim.webhookDeliveries.at(-1);
 * expect(delivery?.accepted).toBe(true); // answered 200 [accepted]
 * ```
 */
export interface AdyenWebhookDelivery {
  /** The items' `eventCode:pspReference` in delivery order. */
  readonly items: readonly string[];
  /** HTTP status of the answer; 0 when the connection failed or no URL was set. */
  readonly status: number;
  /** True when the answer was 2xx with the body `[accepted]`. */
  readonly accepted: boolean;
  /** False when an item was signed with a wrong key (`webhook_bad_signature`). */
  readonly signed: boolean;
  readonly attempt: number;
}

/** One `NotificationRequestItem` before signing. */
export interface AdyenNotificationFields {
  readonly eventCode: 'CAPTURE' | 'CAPTURE_FAILED';
  readonly success: 'true' | 'false';
  readonly pspReference: string;
  readonly originalReference: string;
  readonly merchantAccountCode: string;
  readonly merchantReference: string;
  readonly amount: { readonly value: number; readonly currency: string };
  readonly eventDate: string;
  readonly reason?: string;
}

/** Settings of {@link AdyenWebhookSender}. */
export interface AdyenWebhookSenderOptions {
  readonly hmacKey: string;
  readonly work: BackgroundWork;
  /** Delivery attempts per batch (Adyen retries until `[accepted]`). Default 3. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  /** `live` of the deliveries: `'false'` (test) by default. */
  readonly live?: boolean;
}

/**
 * The simulator's own signer, written apart from the adapter's so that the two (and
 * `@adyen/api-library`'s HmacValidator) check each other: base64 HMAC-SHA256 of the eight
 * signed fields joined with `:`, keyed with the hex-decoded key.
 */
function signItem(fields: AdyenNotificationFields, hexKey: string): string {
  const signed = [
    fields.pspReference,
    fields.originalReference,
    fields.merchantAccountCode,
    fields.merchantReference,
    fields.amount.value,
    fields.amount.currency,
    fields.eventCode,
    fields.success,
  ].join(':');
  return createHmac('sha256', Buffer.from(hexKey, 'hex')).update(signed, 'utf8').digest('base64');
}

interface Pending {
  readonly fields: AdyenNotificationFields;
  readonly fault?: Fault;
}

/**
 * Delivers signed standard webhooks the way Adyen does: `{ live, notificationItems: [{
 * NotificationRequestItem }] }`, each item signed with `additionalData.hmacSignature`, the
 * answer expected to be `[accepted]`, retried otherwise. Items queued together may go out as
 * one batch; the webhook faults (duplicate, delayed, missing, out of order, bad signature)
 * apply to the delivery that carries the item.
 */
export class AdyenWebhookSender {
  url: string | undefined;
  readonly deliveries: AdyenWebhookDelivery[] = [];
  readonly #options: AdyenWebhookSenderOptions;
  readonly #held: (() => Promise<void>)[] = [];

  constructor(options: AdyenWebhookSenderOptions, url?: string) {
    this.#options = options;
    this.url = url;
  }

  /** Sends `items` (one batch, or one delivery per item when `batch` is false). */
  send(items: readonly Pending[], batch: boolean): void {
    const groups = batch ? [items] : items.map((item) => [item]);
    for (const group of groups) this.#sendGroup(group);
  }

  #sendGroup(group: readonly Pending[]): void {
    const kept = group.filter((item) => item.fault?.kind !== 'webhook_missing');
    if (kept.length === 0) return;
    const forged = kept.some((item) => item.fault?.kind === 'webhook_bad_signature');
    const labels = kept.map(({ fields }) => `${fields.eventCode}:${fields.pspReference}`);
    const faults = kept.map((item) => item.fault?.kind);
    const deliver = () => this.#deliver(labels, kept, forged);
    if (faults.includes('webhook_out_of_order')) {
      this.#held.push(deliver);
      return;
    }
    const delay = kept.find((item) => item.fault?.kind === 'webhook_delayed')?.fault?.ms;
    this.#options.work.run(async () => {
      if (faults.includes('webhook_delayed')) await sleep(delay ?? 200);
      await deliver();
      if (faults.includes('webhook_duplicate')) await deliver();
      // A held delivery goes out only after the next one: that makes it out of order.
      for (const held of this.#held.splice(0)) await held();
    });
  }

  /** The exact bytes of one delivery; `wrongKey` signs every item with a key nobody has. */
  #body(items: readonly Pending[], wrongKey: string | undefined): Buffer {
    return Buffer.from(
      JSON.stringify({
        live: this.#options.live ? 'true' : 'false',
        notificationItems: items.map(({ fields }) => {
          const { reason, ...rest } = fields;
          return {
            NotificationRequestItem: {
              additionalData: {
                hmacSignature: signItem(fields, wrongKey ?? this.#options.hmacKey),
              },
              ...rest,
              ...(reason !== undefined ? { reason } : {}),
            },
          };
        }),
      }),
    );
  }

  /**
   * Delivers with Adyen's retries: until `[accepted]`, at most `attempts` times. Under
   * `webhook_bad_signature` every attempt is signed with a key the receiver does not have.
   */
  async #deliver(
    labels: readonly string[],
    items: readonly Pending[],
    forged: boolean,
  ): Promise<void> {
    const attempts = Math.max(1, this.#options.attempts ?? 3);
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (this.#options.work.closed) return;
      const signed = !forged;
      const body = this.#body(items, forged ? randomBytes(32).toString('hex') : undefined);
      const url = this.url;
      const answer = url ? await postWebhook(url, {}, body) : { status: 0, body: '' };
      const accepted = answer.status >= 200 && answer.status < 300 && answer.body === '[accepted]';
      this.deliveries.push({ items: labels, status: answer.status, accepted, signed, attempt });
      if (!url || accepted) return;
      if (attempt < attempts) await sleep(this.#options.retryDelayMs ?? 50);
    }
  }
}

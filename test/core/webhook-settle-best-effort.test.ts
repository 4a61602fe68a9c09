import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import type { CaptureIntent } from '../../src/core/intents.js';
import type { CaptureJournal } from '../../src/core/journal.js';
import { memoryJournal } from '../../src/core/memory-journal.js';
import type { ProviderCaptureEvent } from '../../src/core/webhook-types.js';
import { ANY_DELIVERY, ONE_EVENT, oneEventAdapter } from './core-fixtures.js';

/*
 * Settling a verified webhook event is best effort: nothing about the journal's answer may
 * turn parseWebhook()/parseWebhookBatch() into a rejection (the handlers would answer 500
 * and the provider redeliver forever). Session 5's review found matchIntent briefly outside
 * the try when the lookup was split into intentsOfPayment / matchIntent / settleIntent.
 */

const REQUEST = ANY_DELIVERY;
const EVENT = ONE_EVENT;

/** A custom journal whose list() resolves to something matchIntent cannot read. */
function journalListing(answer: unknown): CaptureJournal {
  const inner = memoryJournal();
  return { ...inner, list: async () => answer as readonly CaptureIntent[] };
}

describe('webhook settling stays best effort whatever the journal lists (review5)', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an array holding null', [null]],
  ])('a journal whose list() resolves to %s: parseWebhook still answers Ok', async (_n, answer) => {
    const client = createCaptureClient({
      providers: { p: oneEventAdapter(async () => ok(EVENT)) },
      journal: journalListing(answer),
    });
    await expect(client.parseWebhook('p', REQUEST)).resolves.toMatchObject({
      value: { id: 'evt_1' },
    });
    await expect(client.parseWebhookBatch('p', REQUEST)).resolves.toMatchObject({
      value: [{ id: 'evt_1' }],
    });
    await client.close();
  });

  it('an event matched by amount with no currency, against a full-amount pending intent: still Ok', async () => {
    // A sloppy third-party adapter: no key, no capture id, an amount without its currency.
    const event = {
      ...EVENT,
      captureId: undefined,
      amount: { value: 100n },
    } as unknown as ProviderCaptureEvent;
    delete (event as { captureId?: string }).captureId;
    const client = createCaptureClient({
      providers: { p: oneEventAdapter(async () => ok(event)) },
    });
    // A full capture (no amount): the intent is pending, with no captureId and no amount.
    const captured = await client.capture({
      provider: 'p',
      paymentId: 'pay_1',
      idempotencyKey: 'k',
    });
    expect(captured._unsafeUnwrap().status).toBe('pending');
    await expect(client.parseWebhook('p', REQUEST)).resolves.toMatchObject({
      value: { id: 'evt_1' },
    });
    await expect(client.parseWebhookBatch('p', REQUEST)).resolves.toMatchObject({
      value: [{ id: 'evt_1' }],
    });
    await client.close();
  });

  it('the fetch handler acknowledges such a delivery and hands the event to onEvent (no 500 loop)', async () => {
    const client = createCaptureClient({
      providers: { p: oneEventAdapter(async () => ok(EVENT)) },
      journal: journalListing([null]),
    });
    const seen: string[] = [];
    const handle = client.fetchWebhookHandler('p', async (event) => {
      seen.push(event.id);
    });
    const response = await handle(
      new Request('http://127.0.0.1/h', { method: 'POST', body: '{}' }),
    );
    expect(response.status).toBe(200);
    expect(seen).toEqual(['evt_1']);
    await client.close();
  });
});

import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { ProviderCapture } from '../../src/core/capture.js';
import { createCaptureClient } from '../../src/core/client.js';
import type { CaptureIntent } from '../../src/core/intents.js';
import type { CaptureJournal } from '../../src/core/journal.js';
import { memoryJournal } from '../../src/core/memory-journal.js';
import type { CaptureProviderV1 } from '../../src/core/spec.js';
import type { ProviderCaptureEvent, WebhookRequest } from '../../src/core/webhook-types.js';
import { ALL_CAPABILITIES } from './core-fixtures.js';

/*
 * Review (session 5): settling a verified webhook event is best effort. Before 2956813 the
 * whole lookup (journal.list AND matchIntent) ran inside settleFromWebhook's try, so nothing
 * about the journal's answer could turn parseWebhook()/parseWebhookBatch() into a rejection.
 * The split into intentsOfPayment / matchIntent / settleIntent leaves matchIntent outside
 * every try, in both the one-event path and the batch path.
 */

const REQUEST: WebhookRequest = { method: 'POST', path: '/h', headers: {}, rawBody: '{}' };

function adapter(event: ProviderCaptureEvent): CaptureProviderV1 {
  return {
    specificationVersion: 'v1',
    kind: 'one',
    capabilities: () => ALL_CAPABILITIES,
    async doCapture(request) {
      const capture: ProviderCapture = {
        kind: 'one',
        status: 'pending',
        paymentId: request.paymentId,
        idempotencyKey: request.idempotencyKey,
        final: request.final,
        providerMetadata: {},
        raw: {},
      };
      return ok(capture);
    },
    async doResolve() {
      throw new Error('not used');
    },
    doParseWebhook: async () => ok(event),
    webhookAck: () => ({ status: 200, headers: {}, body: '' }),
  };
}

const EVENT: ProviderCaptureEvent = {
  kind: 'one',
  id: 'evt_1',
  type: 'capture.succeeded',
  paymentId: 'pay_1',
  captureId: 'cap_1',
  occurredAt: '2026-12-01T20:00:00.000Z',
  raw: {},
};

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
      providers: { p: adapter(EVENT) },
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
    const client = createCaptureClient({ providers: { p: adapter(event) } });
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
      providers: { p: adapter(EVENT) },
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

import { generateKeyPairSync } from 'node:crypto';
import { err, ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import type { WebhookError } from '../../src/core/errors.js';
import type { CaptureJournal } from '../../src/core/journal.js';
import { memoryJournal } from '../../src/core/memory-journal.js';
import type { CaptureProviderV1 } from '../../src/core/spec.js';
import {
  parsesWebhooksNow,
  type WebhookParserNow,
  webhookParserNow,
} from '../../src/core/webhook-parser-now.js';
import type { ProviderCaptureEvent, WebhookRequest } from '../../src/core/webhook-types.js';
import { adyen } from '../../src/providers/adyen/index.js';
import { alipayV2 } from '../../src/providers/alipay-v2/index.js';
import { antom } from '../../src/providers/antom/index.js';
import { checkout, signCheckoutWebhook } from '../../src/providers/checkout/index.js';
import { stripe } from '../../src/providers/stripe/index.js';
import { PAYMENT_CAPTURED, SANDBOX_KEY } from '../checkout/checkout-fixture.js';
import { ANY_DELIVERY, ONE_EVENT, oneEventAdapter } from './core-fixtures.js';

/**
 * parseWebhook() with an adapter's same-turn parser (src/core/webhook-parser-now.ts) and the
 * memory journal's same-turn face answers exactly as the awaited way does: the oracle is the
 * same adapter without its parser, which goes through `await doParseWebhook()`.
 */

/** Frozen: a parser answers a new event every call (the client takes it over). */
const EVENT: ProviderCaptureEvent = Object.freeze({
  ...ONE_EVENT,
  idempotencyKey: 'key-1',
  amount: { currency: 'EUR', value: 100n },
});

/** The same adapter twice: with `parse` registered, and a copy that must be awaited. */
function bothAdapters(parse: WebhookParserNow): {
  readonly sameTurn: CaptureProviderV1;
  readonly awaited: CaptureProviderV1;
  readonly awaitedCalls: () => number;
} {
  let calls = 0;
  const adapter = oneEventAdapter(async (request) => {
    calls += 1;
    return parse(request);
  }, 'cap_1');
  return {
    sameTurn: parsesWebhooksNow({ ...adapter }, parse),
    awaited: adapter,
    awaitedCalls: () => calls,
  };
}

/** One capture begun and acknowledged, then one delivery: the answer and the intent after. */
async function deliver(
  adapter: CaptureProviderV1,
  request: WebhookRequest,
  journal: CaptureJournal,
) {
  const client = createCaptureClient({ providers: { p: adapter }, journal, now: () => 1_000 });
  await client.capture({
    provider: 'p',
    paymentId: EVENT.paymentId,
    amount: { currency: 'EUR', value: 100n },
    idempotencyKey: 'key-1',
  });
  const answer = await client.parseWebhook('p', request);
  const intent = await journal.get('p', 'key-1');
  await client.close();
  return {
    answer: answer.isOk() ? answer.value : withoutCause(answer.error),
    state: intent?.state,
  };
}

function withoutCause(error: WebhookError) {
  const { cause, ...rest } = error as WebhookError & { cause?: unknown };
  return { rest, cause: cause instanceof Error ? cause.message : cause };
}

describe('parseWebhook(): a same-turn parser answers as the awaited doParseWebhook', () => {
  const refusal: WebhookError = { code: 'signature_invalid', message: 'bad', verified: false };
  it.each([
    ['an accepted event, which settles its intent', () => ok({ ...EVENT }), ANY_DELIVERY],
    ['a refusal', () => err(refusal), ANY_DELIVERY],
    [
      'a parser that throws',
      () => {
        throw new TypeError('parser bug');
      },
      ANY_DELIVERY,
    ],
    [
      'a parsed object instead of raw bytes',
      () => ok({ ...EVENT }),
      { ...ANY_DELIVERY, rawBody: {} as never },
    ],
  ] as const)('%s', async (_name, parse, request) => {
    const { sameTurn, awaited, awaitedCalls } = bothAdapters(parse);
    const now = await deliver(sameTurn, request, memoryJournal());
    expect(awaitedCalls()).toBe(0);
    const later = await deliver(awaited, request, memoryJournal());
    expect(now).toStrictEqual(later);
  });

  it('a parser that answers something other than a Result fails closed, as the awaited way', async () => {
    const { sameTurn, awaited } = bothAdapters(() => ({}) as never);
    const now = await deliver(sameTurn, ANY_DELIVERY, memoryJournal());
    const later = await deliver(awaited, ANY_DELIVERY, memoryJournal());
    // The TypeError's wording names the method each way calls first; the refusal is the same.
    const refused = {
      code: 'invalid_payload',
      verified: false,
      provider: 'p',
      kind: 'one',
      message: expect.stringMatching(/^The one adapter could not parse the webhook \(/),
    };
    expect(now).toMatchObject({ answer: { rest: refused }, state: 'pending' });
    expect(later).toMatchObject({ answer: { rest: refused }, state: 'pending' });
  });

  it('a parser that hands out a shared, frozen event fails closed instead of being changed', async () => {
    const { sameTurn } = bothAdapters(() => ok(EVENT));
    const { answer } = await deliver(sameTurn, ANY_DELIVERY, memoryJournal());
    expect(answer).toMatchObject({ rest: { code: 'invalid_payload', verified: false } });
    expect(EVENT).not.toHaveProperty('provider');
  });

  it("takes over the parser's new event: the provider added last, no copy", async () => {
    const { sameTurn } = bothAdapters(() => ok({ ...EVENT }));
    const client = createCaptureClient({ providers: { p: sameTurn } });
    const event = (await client.parseWebhook('p', ANY_DELIVERY))._unsafeUnwrap();
    expect(Object.keys(event)).toEqual([...Object.keys(EVENT), 'provider']);
    expect(event).toStrictEqual({ ...EVENT, provider: 'p' });
  });

  it('settles through an awaited journal too (only the parser answers in the same turn)', async () => {
    const { sameTurn, awaited } = bothAdapters(() => ok({ ...EVENT }));
    const journal = memoryJournal();
    const wrapped: CaptureJournal = { ...journal, list: (query) => journal.list(query) };
    const now = await deliver(sameTurn, ANY_DELIVERY, wrapped);
    expect(now.state).toBe('succeeded');
    expect(now).toStrictEqual(await deliver(awaited, ANY_DELIVERY, memoryJournal()));
  });

  it('a doParseWebhook replaced on the adapter object is called, not the parser', async () => {
    const { sameTurn } = bothAdapters(() => ok({ ...EVENT }));
    expect(webhookParserNow(sameTurn)).toBeDefined();
    const patched = sameTurn as { doParseWebhook: CaptureProviderV1['doParseWebhook'] };
    patched.doParseWebhook = async () => err(refusal);
    expect(webhookParserNow(sameTurn)).toBeUndefined();
    const { answer } = await deliver(sameTurn, ANY_DELIVERY, memoryJournal());
    expect(answer).toMatchObject({ rest: { code: 'signature_invalid', provider: 'p' } });
  });
});

describe('which adapters parse webhooks in the same turn', () => {
  const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
  const merchant = rsa();
  const provider = rsa();

  it('Checkout.com, Antom and Stripe do; a copy of one does not', () => {
    const adapters = [
      checkout({ secretKey: SANDBOX_KEY, webhookSecret: 'whsec_now' }),
      antom({
        clientId: 'SANDBOX_NOW',
        privateKey: merchant.privateKey,
        antomPublicKey: provider.publicKey,
      }),
      stripe({ secretKey: 'sk_test_now0123456789', webhookSecret: 'whsec_now' }),
    ];
    for (const adapter of adapters) {
      expect(webhookParserNow(adapter), adapter.kind).toBeDefined();
      expect(webhookParserNow({ ...adapter }), adapter.kind).toBeUndefined();
    }
  });

  it('Adyen (a batch per delivery) and Alipay+ v2 (no webhooks) do not', () => {
    expect(
      webhookParserNow(
        adyen({ apiKey: 'AQE_now', merchantAccount: 'Now', hmacKey: '0011', environment: 'test' }),
      ),
    ).toBeUndefined();
    expect(
      webhookParserNow(
        alipayV2({
          clientId: 'SANDBOX_NOW',
          privateKey: merchant.privateKey,
          walletPublicKey: provider.publicKey,
          baseUrl: 'http://127.0.0.1:9',
        }),
      ),
    ).toBeUndefined();
  });

  it('Checkout.com: the same event or refusal either way, for real signed deliveries', async () => {
    const secret = 'whsec_now_0123456789';
    const adapter = checkout({ secretKey: SANDBOX_KEY, webhookSecret: secret });
    const copy = { ...adapter };
    const body = Buffer.from(JSON.stringify(PAYMENT_CAPTURED));
    const deliveries: WebhookRequest[] = [
      {
        method: 'POST',
        path: '/h',
        headers: { 'cko-signature': signCheckoutWebhook(body, secret) },
        rawBody: body,
      },
      { method: 'POST', path: '/h', headers: { 'cko-signature': '00' }, rawBody: body },
      { method: 'POST', path: '/h', headers: {}, rawBody: body },
    ];
    const answers = async (candidate: CaptureProviderV1) => {
      const client = createCaptureClient({ providers: { cko: candidate } });
      const all = [];
      for (const delivery of deliveries) all.push(await client.parseWebhook('cko', delivery));
      return all;
    };
    const now = await answers(adapter);
    expect(now[0]?.isOk()).toBe(true);
    expect(now).toStrictEqual(await answers(copy));
  });
});

import { err, ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import type { WebhookError } from '../../src/core/errors.js';
import type { CaptureProviderV1 } from '../../src/core/spec.js';
import type { ProviderCaptureEvent } from '../../src/core/webhook-types.js';
import { ANY_DELIVERY, ONE_EVENT, oneEventAdapter } from './core-fixtures.js';

/*
 * parseWebhook() takes a short way for adapters without doParseWebhookBatch (one event per
 * delivery). parseWebhookBatch() still takes the general way for the same adapter: both
 * must answer alike, errors included, and both must settle the intent.
 */

const REQUEST = ANY_DELIVERY;

const EVENT: ProviderCaptureEvent = {
  ...ONE_EVENT,
  idempotencyKey: 'key-1',
  amount: { currency: 'EUR', value: 100n },
  raw: { id: 'evt_1' },
};

/** The answers of both ways for one adapter behaviour, `cause` compared by message. */
async function bothWays(parse: CaptureProviderV1['doParseWebhook'], request = REQUEST) {
  const client = createCaptureClient({ providers: { p: oneEventAdapter(parse, 'cap_1') } });
  const single = await client.parseWebhook('p', request);
  const batch = await client.parseWebhookBatch('p', request);
  await client.close();
  return { single, batch };
}

function withoutCause(error: WebhookError) {
  const { cause, ...rest } = error as WebhookError & { cause?: unknown };
  return { rest, cause: cause instanceof Error ? cause.message : cause };
}

describe('parseWebhook(): the one-event way answers as parseWebhookBatch() does', () => {
  it('an accepted event: the same event, with the provider name added', async () => {
    const { single, batch } = await bothWays(async () => ok(EVENT));
    expect(single._unsafeUnwrap()).toStrictEqual({ ...EVENT, provider: 'p' });
    expect(batch._unsafeUnwrap()).toStrictEqual([single._unsafeUnwrap()]);
    // The field order users see in logs and JSON stays the adapter's, provider last.
    expect(Object.keys(single._unsafeUnwrap())).toEqual([...Object.keys(EVENT), 'provider']);
  });

  it('an adapter Err: the same error, with provider and kind', async () => {
    const refusal: WebhookError = { code: 'signature_invalid', message: 'bad', verified: false };
    const { single, batch } = await bothWays(async () => err(refusal));
    expect(single._unsafeUnwrapErr()).toStrictEqual({ ...refusal, provider: 'p', kind: 'one' });
    expect(batch._unsafeUnwrapErr()).toStrictEqual(single._unsafeUnwrapErr());
  });

  it.each([
    ['throws', () => Promise.reject(new Error('bug in the adapter'))],
    [
      'throws synchronously',
      () => {
        throw new TypeError('sync bug');
      },
    ],
    ['resolves to something that is not a Result', async () => ({ not: 'a result' }) as never],
    ['resolves to undefined', async () => undefined as never],
  ] as const)('an adapter that %s: the same fail-closed error', async (_name, parse) => {
    const { single, batch } = await bothWays(parse as CaptureProviderV1['doParseWebhook']);
    const a = withoutCause(single._unsafeUnwrapErr());
    const b = withoutCause(batch._unsafeUnwrapErr());
    expect(a.rest).toMatchObject({ code: 'invalid_payload', verified: false, provider: 'p' });
    expect(a.rest.message).toMatch(/^The one adapter could not parse the webhook \(/);
    expect(a).toStrictEqual(b);
  });

  it('a rawBody that is not bytes: the same refusal, and the adapter is not called', async () => {
    let calls = 0;
    const { single, batch } = await bothWays(
      async () => {
        calls += 1;
        return ok(EVENT);
      },
      { ...REQUEST, rawBody: { parsed: true } } as never,
    );
    expect(calls).toBe(0);
    expect(single._unsafeUnwrapErr()).toStrictEqual(batch._unsafeUnwrapErr());
    expect(single._unsafeUnwrapErr().message).toMatch(/rawBody/);
  });

  it('settles the pending intent the event is about', async () => {
    const client = createCaptureClient({
      providers: { p: oneEventAdapter(async () => ok(EVENT), 'cap_1') },
    });
    const captured = await client.capture({
      provider: 'p',
      paymentId: 'pay_1',
      amount: { currency: 'EUR', value: 100n },
      idempotencyKey: 'key-1',
    });
    expect(captured._unsafeUnwrap().status).toBe('pending');
    expect((await client.parseWebhook('p', REQUEST)).isOk()).toBe(true);
    const [intent] = await client.intents({ provider: 'p', paymentId: 'pay_1' });
    expect(intent).toMatchObject({ state: 'succeeded', captureId: 'cap_1' });
    await client.close();
  });

  it('settles a pending intent as failed with the provider code and a message naming the event', async () => {
    const failed: ProviderCaptureEvent = {
      kind: 'one',
      id: 'evt_2',
      type: 'capture.failed',
      paymentId: 'pay_2',
      captureId: 'cap_1',
      idempotencyKey: 'key-2',
      occurredAt: '2026-12-01T20:00:00.000Z',
      providerCode: '20051',
      code: 'insufficient_funds',
      raw: {},
    };
    const client = createCaptureClient({
      providers: { p: oneEventAdapter(async () => ok(failed)) },
    });
    await client.capture({
      provider: 'p',
      paymentId: 'pay_2',
      amount: { currency: 'EUR', value: 100n },
      idempotencyKey: 'key-2',
    });
    expect((await client.parseWebhook('p', REQUEST)).isOk()).toBe(true);
    const [intent] = await client.intents({ provider: 'p', paymentId: 'pay_2' });
    expect(intent).toMatchObject({
      state: 'failed',
      captureId: 'cap_1',
      providerCode: '20051',
      code: 'insufficient_funds',
      message: 'The provider reported this capture failed (webhook evt_2).',
    });
    await client.close();
  });

  it('copies the event as a spread would: symbols, odd keys and non-objects included', async () => {
    const tag = Symbol('tag');
    const odd = JSON.parse('{"__proto__":{"x":1},"kind":"one","id":"evt_3"}') as object;
    for (const parsed of [
      { ...EVENT, [tag]: 'kept' },
      odd,
      { ...EVENT, provider: 'from-the-adapter' },
      undefined,
      null,
    ]) {
      const { single, batch } = await bothWays(async () => ok(parsed as ProviderCaptureEvent));
      const expected = { ...(parsed as object), provider: 'p' };
      expect(single._unsafeUnwrap()).toStrictEqual(expected);
      expect(Object.keys(single._unsafeUnwrap())).toEqual(Object.keys(expected));
      expect(Object.getPrototypeOf(single._unsafeUnwrap())).toBe(Object.prototype);
      expect(batch._unsafeUnwrap()).toStrictEqual([expected]);
    }
  });
});

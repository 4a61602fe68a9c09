import { describe, expect, it } from 'vitest';
import { useCannedCheckout } from './checkout-fixture.js';

const PAYMENT = 'pay_kladqdb6hm5ebggtq45rtzjati';
const ACCEPTED = '{"action_id":"act_1","reference":"r"}';

describe('checkout capture(): what was sent, and what the answer says', () => {
  const canned = useCannedCheckout();

  it.each([
    ['a bigint', { customer: { id: 1n } }, 'providerOptions.checkout.customer'],
    [
      'a throwing toJSON',
      {
        items: [
          {
            toJSON() {
              throw new Error('not serializable');
            },
          },
        ],
      },
      'providerOptions.checkout.items',
    ],
  ])(
    'providerOptions with %s: invalid_request / not_attempted, nothing sent',
    async (_name, options, field) => {
      const before = canned.server.received.length;
      const result = await canned.client.capture({
        provider: 'cko',
        paymentId: PAYMENT,
        idempotencyKey: 'k-unserializable',
        providerOptions: { checkout: options },
      });
      const error = result._unsafeUnwrapErr();
      expect(error).toMatchObject({ code: 'invalid_request', outcome: 'not_attempted' });
      expect(error.message).toContain(field);
      expect(canned.server.received.length).toBe(before);
    },
  );

  it('429 is rate_limited with Retry-After (seconds) as retryAfterMs', async () => {
    canned.server.answer(429, '', { 'retry-after': '3' });
    expect(
      (await canned.client.capture({ provider: 'cko', paymentId: PAYMENT }))._unsafeUnwrapErr(),
    ).toMatchObject({ code: 'rate_limited', httpStatus: 429, retryAfterMs: 3_000 });
  });

  it('429 with an HTTP-date Retry-After gives a wait in ms', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    canned.server.answer(429, '', { 'retry-after': at });
    const error = (
      await canned.client.capture({ provider: 'cko', paymentId: PAYMENT })
    )._unsafeUnwrapErr();
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('sends the idempotency key in metadata, so resolve() can match it exactly', async () => {
    canned.server.answer(202, ACCEPTED);
    await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      idempotencyKey: 'order-7-capture-1',
      reference: 'ORD-7',
      metadata: { coupon: 'X' },
    });
    const body = JSON.parse(canned.server.received.at(-1)?.body.toString('utf8') ?? '{}');
    expect(body.metadata).toEqual({
      coupon: 'X',
      capture_kit_idempotency_key: 'order-7-capture-1',
    });
  });

  it('refuses caller metadata that uses the reserved key, naming it', async () => {
    const before = canned.server.received.length;
    const error = (
      await canned.client.capture({
        provider: 'cko',
        paymentId: PAYMENT,
        metadata: { capture_kit_idempotency_key: 'mine' },
      })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'invalid_request', outcome: 'not_attempted' });
    expect(error.message).toContain('metadata.capture_kit_idempotency_key');
    expect(canned.server.received.length).toBe(before);
  });
});

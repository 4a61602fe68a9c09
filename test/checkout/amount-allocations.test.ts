import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckoutFixture,
  startCheckoutFixture,
  useCannedCheckout,
} from './checkout-fixture.js';

const PAYMENT = 'pay_kladqdb6hm5ebggtq45rtzjati';
const ACCEPTED =
  '{"action_id":"act_3kfr4betasbelhjdk346yutxvu","_links":{"payment":{"href":"https://x/payments/pay_kladqdb6hm5ebggtq45rtzjati"}}}';

describe('providerOptions.checkout.amount_allocations on the wire', () => {
  const canned = useCannedCheckout();

  it('sends the allocations as given, bigint amounts as JSON integers', async () => {
    canned.server.answer(202, ACCEPTED);
    const result = await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      idempotencyKey: 'split-1',
      amount: { currency: 'EUR', value: 3500n },
      providerOptions: {
        checkout: {
          amount_allocations: [
            {
              id: 'ent_w4jelhppmfiufdnatam37wrfc4',
              amount: 2000n,
              reference: 'ORD-5023-A',
              commission: { amount: 100, percentage: 1.125 },
            },
            { id: 'ent_azsiyswl7bwe2ynjzujy7lcjca', amount: 1500 },
          ],
        },
      },
    });
    expect(result._unsafeUnwrap().status).toBe('pending');
    expect(canned.server.received.at(-1)?.body.toString('utf8')).toBe(
      '{"amount":3500,"reference":"split-1","metadata":{"capture_kit_idempotency_key":"split-1"},"amount_allocations":[{"id":"ent_w4jelhppmfiufdnatam37wrfc4","amount":2000,"reference":"ORD-5023-A","commission":{"amount":100,"percentage":1.125}},{"id":"ent_azsiyswl7bwe2ynjzujy7lcjca","amount":1500}]}',
    );
  });

  it.each([
    [[], 'providerOptions.checkout.amount_allocations must hold at least one'],
    [{ id: 'ent_a', amount: 1 }, 'providerOptions.checkout.amount_allocations must be an array'],
    [[{ id: 'pc_a', amount: 1 }], 'amount_allocations.0.id must be the sub-entity id'],
    [[{ amount: 1 }], 'amount_allocations.0.id'],
    [[{ id: 'ent_a' }], 'amount_allocations.0.amount'],
    [[{ id: 'ent_a', amount: 1.5 }], 'amount_allocations.0.amount must be a whole number'],
    [[{ id: 'ent_a', amount: -1 }], 'amount_allocations.0.amount must be 0 to 999999999'],
    [[{ id: 'ent_a', amount: 1_000_000_000n }], 'amount_allocations.0.amount must be 0 to'],
    [[{ id: 'ent_a', amount: '10' }], 'amount_allocations.0.amount must be a whole number'],
    [[{ id: 'ent_a', amount: 1, reference: '' }], 'amount_allocations.0.reference'],
    [[{ id: 'ent_a', amount: 1, commission: {} }], 'amount_allocations.0.commission needs amount'],
    [
      [{ id: 'ent_a', amount: 1, commission: { percentage: 101 } }],
      'amount_allocations.0.commission.percentage must be 0 to 100',
    ],
    [
      [{ id: 'ent_a', amount: 1, commission: { amount: 1, percent: 2 } }],
      'amount_allocations.0.commission has unknown field(s) "percent"',
    ],
    [
      [{ id: 'ent_a', amount: 1, commision: { amount: 1 } }],
      'amount_allocations.0 has unknown field(s) "commision"',
    ],
  ])('refuses amount_allocations case %# before sending (%s)', async (amountAllocations, words) => {
    const before = canned.server.received.length;
    const result = await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      providerOptions: { checkout: { amount_allocations: amountAllocations } },
    });
    const error = result._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'invalid_request', outcome: 'not_attempted' });
    expect(error.message).toContain(words);
    expect(canned.server.received.length).toBe(before);
  });

  it('refuses the deprecated marketplace together with amount_allocations', async () => {
    const result = await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      providerOptions: {
        checkout: {
          marketplace: { sub_entity_id: 'ent_a' },
          amount_allocations: [{ id: 'ent_a', amount: 1 }],
        },
      },
    });
    expect(result._unsafeUnwrapErr().message).toContain('send amount_allocations only');
  });
});

describe('the simulator accepts and records amount_allocations', () => {
  let fx: CheckoutFixture;
  beforeAll(async () => {
    fx = await startCheckoutFixture();
  });
  afterAll(() => fx.close());

  it('keeps the allocations of each capture action', async () => {
    const payment = await fx.sim.authorize({ amount: 6540n, currency: 'EUR' });
    const allocations = [
      { id: 'ent_w4jelhppmfiufdnatam37wrfc4', amount: 6000, commission: { percentage: 2.5 } },
      { id: 'ent_azsiyswl7bwe2ynjzujy7lcjca', amount: 540, reference: 'B' },
    ];
    const result = await fx.client.capture({
      provider: 'cko',
      paymentId: payment.paymentId,
      providerOptions: { checkout: { amount_allocations: allocations } },
    });
    const { captureId } = result._unsafeUnwrap();
    expect(fx.sim.amountAllocations(captureId ?? '')).toEqual(allocations);
  });

  it.each([
    [[{ id: 'ent_a', amount: 1, extra: true }]],
    [[{ id: 'x', amount: 1 }]],
    [[{ id: 'ent_a', amount: 1, commission: { percentage: 'ten' } }]],
    [{}],
  ])('answers 422 amount_allocations_invalid to %j (sent past the adapter)', async (value) => {
    const payment = await fx.sim.authorize({ amount: 100n, currency: 'EUR' });
    const response = await fetch(`${fx.sim.url}/payments/${payment.paymentId}/captures`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fx.sim.credentials.secretKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ amount_allocations: value }),
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error_codes: string[] }).error_codes).toEqual([
      'amount_allocations_invalid',
    ]);
  });
});

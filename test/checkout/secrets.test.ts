import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckoutFixture, startCheckoutFixture, waitFor } from './checkout-fixture.js';

const show = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';

describe('checkout never leaks its secrets', () => {
  let fx: CheckoutFixture;
  beforeAll(async () => {
    fx = await startCheckoutFixture({ webhookAuthorization: 'hook-token-42' });
  });
  afterAll(() => fx.close());

  it('keeps keys out of Ok, Err, events and diagnostics-style output', async () => {
    const { secretKey, webhookSecret } = fx.sim.credentials;
    const payment = await fx.sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'visa' });
    const outputs: unknown[] = [];
    const capture = async (
      idempotencyKey: string,
      fault?: 'timeout_before_commit' | 'reset_after_commit',
    ) => {
      if (fault) fx.sim.injectFault({ kind: fault });
      outputs.push(
        await fx.client.capture({ provider: 'cko', paymentId: payment.paymentId, idempotencyKey }),
      );
    };
    await capture('s-1');
    outputs.push(
      await fx.client.resolve({
        provider: 'cko',
        paymentId: payment.paymentId,
        idempotencyKey: 's-1',
      }),
    );
    await capture('s-2');
    await capture('s-3', 'timeout_before_commit');
    await capture('s-4', 'reset_after_commit');
    await fx.sim.settle();
    outputs.push(fx.events, fx.errors);
    const text = show(outputs);
    expect(text).not.toContain(secretKey);
    expect(text).not.toContain(webhookSecret);
    expect(text).not.toContain('hook-token-42');
  });

  it('accepts webhooks carrying the configured Authorization value', async () => {
    const payment = await fx.sim.authorize({ amount: 100n, currency: 'EUR' });
    await fx.client.capture({ provider: 'cko', paymentId: payment.paymentId });
    const event = await waitFor(
      () => fx.events.find((e) => e.paymentId === payment.paymentId),
      'the event',
    );
    expect(event.type).toBe('capture.succeeded');
  });
});

describe('the simulator retries webhooks that were not acknowledged', () => {
  let fx: CheckoutFixture;
  beforeAll(async () => {
    // The adapter expects a different Authorization value, so every delivery gets 401.
    fx = await startCheckoutFixture(
      { webhookAuthorization: 'sent-by-sim', webhookAttempts: 3, webhookRetryDelayMs: 5 },
      { webhookAuthorization: 'expected-by-adapter' },
    );
  });
  afterAll(() => fx.close());

  it('delivers again after a non-2xx answer, up to webhookAttempts', async () => {
    const payment = await fx.sim.authorize({ amount: 100n, currency: 'EUR' });
    await fx.client.capture({ provider: 'cko', paymentId: payment.paymentId });
    await fx.sim.settle();
    const attempts = fx.sim.webhookDeliveries.filter((d) => d.paymentId === payment.paymentId);
    expect(attempts.map((d) => [d.attempt, d.status])).toEqual([
      [1, 401],
      [2, 401],
      [3, 401],
    ]);
    expect(fx.events).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckoutFixture, startCheckoutFixture } from './checkout-fixture.js';

// The Checkout.com adapter passes the capture's deadline to the transport as data: a capture
// makes no AbortController (several µs each, bench/FINDINGS.md), and a caller's abort still
// reaches the request.

describe('Checkout.com capture: the dispatch deadline without an AbortController', () => {
  let fx: CheckoutFixture;
  beforeAll(async () => {
    fx = await startCheckoutFixture();
  });
  afterAll(() => fx.close());

  it('captures without making an AbortController', async () => {
    const payment = await fx.sim.authorize({ amount: 1000n, currency: 'EUR' });
    let made = 0;
    const Original = globalThis.AbortController;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        made += 1;
      }
    };
    try {
      const result = await fx.client.capture({ provider: 'cko', paymentId: payment.paymentId });
      expect(result._unsafeUnwrap().status).toBe('pending');
    } finally {
      globalThis.AbortController = Original;
    }
    expect(made).toBe(0);
  });

  it("a caller's abort before sending ends the capture as not_attempted, nothing sent", async () => {
    const payment = await fx.sim.authorize({ amount: 1000n, currency: 'EUR' });
    const result = await fx.client.capture({
      provider: 'cko',
      paymentId: payment.paymentId,
      signal: AbortSignal.abort(),
    });
    expect(result._unsafeUnwrapErr()).toMatchObject({ outcome: 'not_attempted' });
    expect((await fx.sim.payment(payment.paymentId)).captures).toHaveLength(0);
  });
});

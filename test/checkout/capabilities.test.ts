import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutCapabilities } from '../../src/providers/checkout/index.js';
import { capabilityProblems } from '../../src/testing/conformance-assertions.js';
import { type CheckoutFixture, startCheckoutFixture } from './checkout-fixture.js';

describe('checkout capabilities', () => {
  it.each(['visa', 'Visa', 'MasterCard', 'mc', 'American Express', 'amex', 'discover'])(
    '%s allows NonFinal multi-capture up to 150 partial actions',
    (cardBrand) => {
      expect(checkoutCapabilities({ cardBrand })).toEqual({
        fullCapture: true,
        partialCapture: true,
        multipleCaptures: true,
        finalCaptureFlag: true,
        amountRequired: false,
        maxCaptures: 150,
        captureWindowDays: 7,
        resultDelivery: 'asynchronous',
        webhooks: true,
        reasons: [],
      });
    },
  );

  it.each(['jcb', 'unionpay', 'diners'])(
    '%s allows one capture, full or partial, and says why',
    (cardBrand) => {
      const caps = checkoutCapabilities({ cardBrand });
      expect(caps).toMatchObject({
        fullCapture: true,
        partialCapture: true,
        multipleCaptures: false,
        finalCaptureFlag: false,
        maxCaptures: 1,
      });
      expect(caps.reasons.join(' ')).toContain(cardBrand);
      expect(capabilityProblems(caps)).toEqual([]);
    },
  );

  it('an unknown brand asks for context.cardBrand and leaves the multi-capture flags undetermined', () => {
    const caps = checkoutCapabilities({});
    expect(caps.multipleCaptures).toBe(false);
    expect(caps.undetermined).toEqual(['multipleCaptures', 'finalCaptureFlag']);
    expect(caps.maxCaptures).toBeUndefined();
    expect(caps.reasons[0]).toMatch(/^unknown card brand: pass context\.cardBrand/);
    expect(capabilityProblems(caps)).toEqual([]);
  });
});

describe('checkout preflight with capabilities', () => {
  let fx: CheckoutFixture;
  beforeAll(async () => {
    fx = await startCheckoutFixture();
  });
  afterAll(() => fx.close());

  it('final: false on a JCB payment is unsupported and sends nothing', async () => {
    const payment = await fx.sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'jcb' });
    const before = fx.sim.requests.length;
    const result = await fx.client.capture({
      provider: 'cko',
      paymentId: payment.paymentId,
      amount: { currency: 'EUR', value: 1000n },
      final: false,
      context: payment.context,
    });
    const error = result._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'unsupported', outcome: 'not_attempted' });
    expect(error.message).toContain('jcb');
    expect(fx.sim.requests.length).toBe(before);
  });

  it('final: false with no card brand is sent, and Checkout.com answers (DESIGN §4)', async () => {
    const visa = await fx.sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'visa' });
    const sent = await fx.client.capture({
      provider: 'cko',
      paymentId: visa.paymentId,
      amount: { currency: 'EUR', value: 1000n },
      final: false,
    });
    expect(sent._unsafeUnwrap().status).toBe('pending');
    const jcb = await fx.sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'jcb' });
    const refused = await fx.client.capture({
      provider: 'cko',
      paymentId: jcb.paymentId,
      amount: { currency: 'EUR', value: 1000n },
      final: false,
    });
    // The provider refused it: failed (nothing captured), not a preflight not_attempted.
    expect(refused._unsafeUnwrapErr()).toMatchObject({
      code: 'multiple_captures_not_supported',
      outcome: 'failed',
    });
    expect((await fx.sim.payment(jcb.paymentId)).capturedTotal).toBe(0n);
  });

  it('a JCB partial Final capture is fine', async () => {
    const payment = await fx.sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'jcb' });
    const result = await fx.client.capture({
      provider: 'cko',
      paymentId: payment.paymentId,
      amount: { currency: 'EUR', value: 1000n },
      context: payment.context,
    });
    expect(result._unsafeUnwrap().status).toBe('pending');
    expect((await fx.sim.payment(payment.paymentId)).capturedTotal).toBe(1000n);
  });
});

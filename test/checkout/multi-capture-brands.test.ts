import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKOUT_MULTI_CAPTURE_BRANDS,
  checkout,
  checkoutCapabilities,
} from '../../src/providers/checkout/index.js';
import { type CheckoutFixture, SANDBOX_KEY, startCheckoutFixture } from './checkout-fixture.js';

describe('checkout({ multiCaptureBrands })', () => {
  it('defaults to Visa, Mastercard, American Express and Discover', () => {
    expect(CHECKOUT_MULTI_CAPTURE_BRANDS).toEqual(['visa', 'mastercard', 'amex', 'discover']);
    const adapter = checkout({ secretKey: SANDBOX_KEY });
    expect(adapter.capabilities({ cardBrand: 'Discover' }).multipleCaptures).toBe(true);
    return adapter.close?.();
  });

  it('normalizes the spellings it is given and lists them in the reasons', () => {
    const adapter = checkout({
      secretKey: SANDBOX_KEY,
      multiCaptureBrands: ['Visa', 'MasterCard', 'American Express'],
    });
    expect(adapter.capabilities({ cardBrand: 'mc' }).multipleCaptures).toBe(true);
    const discover = adapter.capabilities({ cardBrand: 'discover' });
    expect(discover).toMatchObject({
      multipleCaptures: false,
      finalCaptureFlag: false,
      maxCaptures: 1,
    });
    expect(discover.reasons[0]).toContain(
      'only available for Visa, Mastercard and American Express',
    );
    expect(adapter.capabilities({}).reasons[0]).toContain(
      'only for Visa, Mastercard and American Express',
    );
    return adapter.close?.();
  });

  it('an empty list turns multiple captures off, and says so', () => {
    const caps = checkoutCapabilities({ cardBrand: 'visa' }, []);
    expect(caps.multipleCaptures).toBe(false);
    expect(caps.reasons[0]).toContain('checkout({ multiCaptureBrands }) is empty');
  });

  it.each([['visa'], [['visa', '']], [[42]]])('refuses %j, naming the setting', (value) => {
    expect(() =>
      checkout({ secretKey: SANDBOX_KEY, multiCaptureBrands: value as unknown as string[] }),
    ).toThrow('checkout({ multiCaptureBrands })');
  });
});

describe('multiCaptureBrands drives preflight end to end', () => {
  let strict: CheckoutFixture;
  let wide: CheckoutFixture;
  beforeAll(async () => {
    strict = await startCheckoutFixture({}, { multiCaptureBrands: ['visa', 'mastercard', 'amex'] });
    wide = await startCheckoutFixture(
      { nonFinalSchemes: ['visa', 'jcb'] },
      { multiCaptureBrands: ['visa', 'jcb'] },
    );
  });
  afterAll(async () => {
    await strict.close();
    await wide.close();
  });

  it('without Discover, final: false on a Discover payment is refused before sending', async () => {
    const payment = await strict.sim.authorize({
      amount: 1000n,
      currency: 'EUR',
      cardBrand: 'discover',
    });
    const before = strict.sim.requests.length;
    const result = await strict.client.capture({
      provider: 'cko',
      paymentId: payment.paymentId,
      amount: { currency: 'EUR', value: 100n },
      final: false,
      context: payment.context,
    });
    expect(result._unsafeUnwrapErr()).toMatchObject({
      code: 'unsupported',
      outcome: 'not_attempted',
    });
    expect(strict.sim.requests.length).toBe(before);
  });

  it('a brand added to both lists captures NonFinal', async () => {
    const payment = await wide.sim.authorize({ amount: 1000n, currency: 'EUR', cardBrand: 'jcb' });
    for (const value of [300n, 200n]) {
      const result = await wide.client.capture({
        provider: 'cko',
        paymentId: payment.paymentId,
        amount: { currency: 'EUR', value },
        final: false,
        context: payment.context,
      });
      expect(result._unsafeUnwrap().status).toBe('pending');
    }
    expect((await wide.sim.payment(payment.paymentId)).captures.map((c) => c.final)).toEqual([
      false,
      false,
    ]);
  });
});

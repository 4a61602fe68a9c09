import { describe, expect, it } from 'vitest';
import { preflight } from '../../src/core/capabilities.js';
import { checkout, checkoutCapabilities } from '../../src/providers/checkout/index.js';
import { SANDBOX_KEY, useCannedCheckout } from './checkout-fixture.js';

// The Checkout.com adapter remembers its capabilities per card brand (asked on every
// capture). "No card brand given" must keep its own answer apart from a brand that
// normalizes to '' ('-', ' ', '_'), whatever was asked first, and a brand list edited by
// its owner must not be answered from an older copy.

describe('checkout capabilities cache', () => {
  it("a brand normalizing to '' does not change the answer for an unknown brand", () => {
    const brands = ['visa']; // a fresh list: a fresh cache slot for this test
    const uncached = checkoutCapabilities({}, [...brands]);
    checkoutCapabilities({ cardBrand: '-' }, brands);
    expect(checkoutCapabilities({}, brands)).toEqual(uncached);
  });

  it("an unknown brand does not change the answer for a brand normalizing to ''", () => {
    const brands = ['visa'];
    const uncached = checkoutCapabilities({ cardBrand: ' ' }, [...brands]);
    checkoutCapabilities({}, brands);
    expect(checkoutCapabilities({ cardBrand: ' ' }, brands)).toEqual(uncached);
  });

  it('one client asking about cardBrand "-" does not make another refuse final: false without a brand', async () => {
    // Both use the default brand list: one module-level array, so one cache slot for both.
    const a = checkout({ secretKey: SANDBOX_KEY });
    const b = checkout({ secretKey: SANDBOX_KEY });
    const request = { final: false, amount: { currency: 'EUR', value: 100n } } as const;
    a.capabilities({ cardBrand: '-' });
    // Before session 4: no brand → multipleCaptures undetermined → preflight lets it through.
    expect(preflight(request, b.capabilities({})).isOk()).toBe(true);
    await a.close?.();
    await b.close?.();
  });

  it('answers from the brand list as it is now, not as it was when first asked', () => {
    // checkoutCapabilities is public (capture-kit/checkout); its list is typed readonly, but a
    // JavaScript caller that edits it between calls got the new answer before session 4.
    const brands = ['visa'];
    expect(checkoutCapabilities({ cardBrand: 'mastercard' }, brands).multipleCaptures).toBe(false);
    brands.push('mastercard');
    expect(checkoutCapabilities({ cardBrand: 'mastercard' }, brands).multipleCaptures).toBe(true);
  });
});

describe('checkout capabilities cache through capture()', () => {
  // Its own brand list, so this client's cache slot starts empty whatever ran before.
  const cko = useCannedCheckout({ multiCaptureBrands: ['visa', 'mastercard'] });

  it('a capture with cardBrand "-" does not make the next final: false capture without a brand refused', async () => {
    cko.server.answer(202, JSON.stringify({ action_id: 'act_1', reference: 'r' }));
    const first = await cko.client.capture({
      provider: 'cko',
      paymentId: 'pay_a',
      amount: { currency: 'EUR', value: 100n },
      final: false,
      context: { cardBrand: '-' },
    });
    expect(first.isErr() && first.error.code).toBe('unsupported'); // one capture for brand '-'
    const second = await cko.client.capture({
      provider: 'cko',
      paymentId: 'pay_b',
      amount: { currency: 'EUR', value: 100n },
      final: false,
    });
    // Unknown brand: preflight lets final: false through and Checkout.com answers (202).
    expect(second.isErr() ? second.error.message : second.value.status).toBe('pending');
    expect(cko.server.received).toHaveLength(1);
  });
});

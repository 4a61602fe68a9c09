import { describe, expect, it } from 'vitest';
import {
  checkout,
  checkoutAuthorization,
  checkoutBaseUrl,
} from '../../src/providers/checkout/index.js';
import { resolveCheckoutSettings } from '../../src/providers/checkout/settings.js';
import { SANDBOX_KEY } from './checkout-fixture.js';

const LIVE_KEY = 'sk_m73dzbpy7cf3gfd46xr4yj5xo4e';
const LEGACY = 'sk_test_0b9b5db6-f223-49d0-b68f-f6643dd4f808';

describe('checkout settings', () => {
  it('sends current-platform keys as Bearer and previous-platform UUID keys bare', () => {
    expect(checkoutAuthorization(SANDBOX_KEY)).toBe(`Bearer ${SANDBOX_KEY}`);
    expect(checkoutAuthorization(LIVE_KEY)).toBe(`Bearer ${LIVE_KEY}`);
    expect(checkoutAuthorization(LEGACY)).toBe(LEGACY);
    expect(checkoutAuthorization('0b9b5db6-f223-49d0-b68f-f6643dd4f808')).toBe(
      '0b9b5db6-f223-49d0-b68f-f6643dd4f808',
    );
  });

  it.each([
    [undefined, 'is missing'],
    ['', 'is missing'],
    ['pk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e', 'public key'],
    [`Bearer ${SANDBOX_KEY}`, 'Bearer'],
    [` ${SANDBOX_KEY}`, 'whitespace'],
    ['sk_', 'must start with sk_'],
    ['secret-1234567890', 'must start with sk_'],
  ])('refuses secretKey %j at construction, naming the setting (%s)', (secretKey, words) => {
    expect(() => checkout({ secretKey: secretKey as string })).toThrow(
      /checkout\(\{ secretKey \}\)/,
    );
    expect(() => checkout({ secretKey: secretKey as string })).toThrow(words);
  });

  it('never puts the key in an error message', () => {
    const secret = 'sk_sbox_!!notvalid!!secretvalue';
    try {
      checkout({ secretKey: secret });
      throw new Error('expected a throw');
    } catch (error) {
      expect(String(error)).not.toContain('secretvalue');
    }
  });

  it('picks the base URL from the key, environment and subdomain prefix', () => {
    expect(resolveCheckoutSettings({ secretKey: SANDBOX_KEY }).baseUrl).toBe(
      'https://api.sandbox.checkout.com',
    );
    expect(resolveCheckoutSettings({ secretKey: LEGACY }).baseUrl).toBe(
      'https://api.sandbox.checkout.com',
    );
    expect(resolveCheckoutSettings({ secretKey: LIVE_KEY }).baseUrl).toBe(
      'https://api.checkout.com',
    );
    expect(resolveCheckoutSettings({ secretKey: LIVE_KEY, environment: 'sandbox' }).baseUrl).toBe(
      'https://api.sandbox.checkout.com',
    );
    expect(
      resolveCheckoutSettings({ secretKey: SANDBOX_KEY, subdomainPrefix: '1a2b3c4d' }).baseUrl,
    ).toBe('https://1a2b3c4d.api.sandbox.checkout.com');
    expect(checkoutBaseUrl('production', 'ab12cd34')).toBe('https://ab12cd34.api.checkout.com');
    expect(
      resolveCheckoutSettings({ secretKey: SANDBOX_KEY, baseUrl: 'http://127.0.0.1:9' }).baseUrl,
    ).toBe('http://127.0.0.1:9');
  });

  it.each([
    [{ environment: 'production' }, 'checkout({ environment'],
    [{ environment: 'live' }, 'checkout({ environment })'],
    [{ subdomainPrefix: 'Not A Prefix' }, 'checkout({ subdomainPrefix })'],
    [{ webhookSecret: '' }, 'checkout({ webhookSecret })'],
    [{ webhookAuthorization: '' }, 'checkout({ webhookAuthorization })'],
    [{ baseUrl: 'ftp://example.com' }, 'checkout({ baseUrl })'],
    [{ baseUrl: 'not a url' }, 'checkout({ baseUrl })'],
    [{ timeoutMs: 0 }, 'checkout({ timeoutMs })'],
  ])('refuses %j at construction, naming the setting', (extra, words) => {
    expect(() => checkout({ secretKey: SANDBOX_KEY, ...(extra as object) })).toThrow(words);
  });

  it('builds a v1 adapter of kind checkout with Checkout.com exponents', () => {
    const adapter = checkout({ secretKey: SANDBOX_KEY, webhookSecret: 'x' });
    expect(adapter.specificationVersion).toBe('v1');
    expect(adapter.kind).toBe('checkout');
    expect(adapter.currencyExponents?.JPY).toBe(0);
    expect(adapter.currencyExponents?.KWD).toBe(3);
    expect(adapter.currencyExponents?.CLP).toBe(2);
    return adapter.close?.();
  });
});

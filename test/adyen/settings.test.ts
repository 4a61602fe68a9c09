import { describe, expect, it } from 'vitest';
import { adyen } from '../../src/providers/adyen/index.js';
import { adyenBaseUrl, resolveAdyenSettings } from '../../src/providers/adyen/settings.js';

const base = { apiKey: 'AQE1secret', merchantAccount: 'ShopEU', environment: 'test' } as const;

describe('adyen() settings', () => {
  it('test and live base URLs (no version: the adapter adds /v71)', () => {
    expect(adyenBaseUrl('test')).toBe('https://checkout-test.adyen.com');
    expect(adyenBaseUrl('live', '1797a841fbb37ca7-AdyenDemo')).toBe(
      'https://1797a841fbb37ca7-AdyenDemo-checkout-live.adyenpayments.com/checkout',
    );
    expect(resolveAdyenSettings(base).baseUrl).toBe('https://checkout-test.adyen.com');
  });

  it.each([
    [
      { ...base, merchantAcount: 'x' },
      /adyen\(\{ merchantAcount \}\) is not a setting: did you mean merchantAccount/,
    ],
    [{ ...base, apiKey: '' }, /adyen\(\{ apiKey \}\) is missing/],
    [{ apiKey: 'k', environment: 'test' }, /adyen\(\{ merchantAccount \}\) is missing/],
    [{ apiKey: 'k', merchantAccount: 'm' }, /adyen\(\{ environment \}\) is missing/],
    [{ ...base, environment: 'live' }, /adyen\(\{ liveUrlPrefix \}\)/],
    [{ ...base, environment: 'prod' }, /adyen\(\{ environment \}\) must be 'test' or 'live'/],
    [
      { ...base, baseUrl: 'https://checkout-test.adyen.com/v71' },
      /adyen\(\{ baseUrl \}\) ends with an API version/,
    ],
    [{ ...base, baseUrl: 'ftp://x' }, /adyen\(\{ baseUrl \}\)/],
    [{ ...base, hmacKey: 'not-hex' }, /adyen\(\{ hmacKey \}\) must be the hexadecimal HMAC key/],
    [{ ...base, liveUrlPrefix: 'https://x.example' }, /adyen\(\{ liveUrlPrefix \}\)/],
    [
      { ...base, multiplePartialCaptures: 'yes' },
      /adyen\(\{ multiplePartialCaptures \}\) must be true or false/,
    ],
    [{ ...base, timeoutMs: 0 }, /adyen\(\{ timeoutMs \}\)/],
  ])('%o is refused naming the setting', (settings, message) => {
    expect(() => adyen(settings as never)).toThrow(message);
  });

  it('no message ever contains a secret value', () => {
    for (const settings of [
      { ...base, apiKey: ' AQE1secret ' },
      { ...base, hmacKey: 'AQE1secretZZ' },
      { ...base, baseUrl: 'https://h/v71', apiKey: 'AQE1secret' },
    ]) {
      try {
        adyen(settings as never);
        throw new Error('expected a throw');
      } catch (error) {
        expect(String(error)).not.toContain('AQE1secret');
      }
    }
  });

  it('declares its deadline and an asynchronous, webhook-backed capability set', () => {
    const adapter = adyen({ ...base, timeoutMs: 2_000 });
    expect(adapter.timeoutMs).toBe(2_000);
    const caps = adapter.capabilities({});
    expect(caps).toMatchObject({
      resultDelivery: 'asynchronous',
      amountRequired: true,
      multipleCaptures: false,
      maxCaptures: 1,
    });
    expect(
      adyen({ ...base, multiplePartialCaptures: true }).capabilities({}).multipleCaptures,
    ).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineSettings } from '../../src/provider-kit/define-settings.js';
import { nearestKey } from '../../src/provider-kit/nearest-key.js';
import { parseProviderOptions } from '../../src/provider-kit/parse-provider-options.js';
import { type AlipayV2Settings, alipayV2 } from '../../src/providers/alipay-v2/index.js';
import { type AntomSettings, antom } from '../../src/providers/antom/index.js';
import { type CheckoutSettings, checkout } from '../../src/providers/checkout/index.js';

const SECRET = 'whsec-do-not-print-0123456789';

function thrown(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the factory to throw');
}

describe('defineSettings', () => {
  const parse = defineSettings(
    'acme',
    z.object({ apiKey: z.string().min(1), timeoutMs: z.number().int().positive().optional() }),
  );

  it('returns the parsed settings', () => {
    expect(parse({ apiKey: 'k', timeoutMs: 5 })).toEqual({ apiKey: 'k', timeoutMs: 5 });
  });

  it('names an unknown key, the nearest known key and the keys that exist', () => {
    expect(thrown(() => parse({ apiKey: 'k', timeoutMS: 5 }))).toBe(
      'acme({ timeoutMS }) is not a setting: did you mean timeoutMs? acme() accepts apiKey, timeoutMs.',
    );
    expect(thrown(() => parse({ apiKey: 'k', bogus: 1 }))).toBe(
      'acme({ bogus }) is not a setting: acme() accepts apiKey, timeoutMs.',
    );
  });

  it('names a bad value by its setting and never echoes it', () => {
    const message = thrown(() => parse({ apiKey: 42, timeoutMs: SECRET }));
    expect(message).toMatch(/^acme\(\{ (apiKey|timeoutMs) \}\)/);
    expect(message).not.toContain(SECRET);
    expect(thrown(() => parse('nope'))).toBe('acme(settings) needs an object with { apiKey }.');
  });
});

describe('nearestKey', () => {
  it('finds case slips and small typos only', () => {
    expect(nearestKey('timeoutMS', ['baseUrl', 'timeoutMs'])).toBe('timeoutMs');
    expect(nearestKey('webhookSecrets', ['webhookSecret', 'secretKey'])).toBe('webhookSecret');
    expect(nearestKey('bogus', ['baseUrl', 'timeoutMs'])).toBeUndefined();
  });
});

describe('parseProviderOptions', () => {
  const schema = z.strictObject({ note: z.string().max(8).optional() });

  it('parses absent options as {}', () => {
    expect(parseProviderOptions('acme', schema, undefined)._unsafeUnwrap()).toEqual({});
  });

  it('refuses unknown and bad fields by name, not_attempted, without the value', () => {
    const unknown = parseProviderOptions('acme', schema, { nots: SECRET })._unsafeUnwrapErr();
    expect(unknown).toMatchObject({
      code: 'invalid_request',
      outcome: 'not_attempted',
      kind: 'acme',
    });
    expect(unknown.message).toContain('providerOptions.acme has unknown field(s) "nots"');
    expect(unknown.message).toContain('did you mean note?');
    const bad = parseProviderOptions('acme', schema, { note: SECRET })._unsafeUnwrapErr();
    expect(bad.message).toContain('providerOptions.acme.note');
    expect(`${unknown.message}${bad.message}`).not.toContain(SECRET);
  });
});

describe('every adapter rejects unknown settings at construction, naming the key', () => {
  it('checkout({ webhookSecrets })', () => {
    const message = thrown(() =>
      checkout({
        secretKey: 'sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e',
        webhookSecrets: SECRET,
      } as CheckoutSettings),
    );
    expect(message).toMatch(
      /^checkout\(\{ webhookSecrets \}\) is not a setting: did you mean webhookSecret\?/,
    );
    expect(message).not.toContain(SECRET);
  });

  it('antom({ timeoutMS })', () => {
    const message = thrown(() =>
      antom({ clientId: 'c', privateKey: 'k', antomPublicKey: 'k', timeoutMS: 5 } as AntomSettings),
    );
    expect(message).toMatch(/^antom\(\{ timeoutMS \}\) is not a setting: did you mean timeoutMs\?/);
  });

  it('alipayV2({ bogus })', () => {
    const message = thrown(() =>
      alipayV2({
        clientId: 'c',
        privateKey: 'k',
        walletPublicKey: 'k',
        baseUrl: 'https://wallet.example/api',
        bogus: 1,
      } as AlipayV2Settings),
    );
    expect(message).toMatch(
      /^alipayV2\(\{ bogus \}\) is not a setting: alipayV2\(\) accepts clientId,/,
    );
  });

  it('checkout({ environment }) does not echo the bad value', () => {
    const message = thrown(() =>
      checkout({
        secretKey: 'sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e',
        environment: SECRET as 'sandbox',
      }),
    );
    expect(message).toContain('checkout({ environment })');
    expect(message).not.toContain(SECRET);
  });
});

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_CHANNEL, type CaptureClient, createCaptureClient } from '../../src/core/client.js';
import { createCheckoutTokenSource } from '../../src/providers/checkout/checkout-credentials.js';
import {
  type CheckoutSettings,
  checkout,
  checkoutTokenUrl,
} from '../../src/providers/checkout/index.js';
import { resolveCheckoutSettings } from '../../src/providers/checkout/settings.js';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';
import { SANDBOX_KEY } from './checkout-fixture.js';

const show = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Error ? String(v) : v,
  ) ?? '';

const OAUTH = { clientId: 'ack_vvzhoai466su3j3vbxb47ts5oe', clientSecret: 'Pmg5-secret-value' };

describe('checkout({ oauth }) settings', () => {
  it('takes exactly one of secretKey and oauth, naming both settings', () => {
    expect(() =>
      checkout({ secretKey: SANDBOX_KEY, oauth: OAUTH, environment: 'sandbox' }),
    ).toThrow(/checkout\(\{ secretKey \}\) and checkout\(\{ oauth \}\) are both set/);
    expect(() => checkout({})).toThrow(/checkout\(\{ secretKey \}\) is missing.*oauth/);
  });

  it('defaults the token URL per environment and subdomain prefix', () => {
    const sandbox = resolveCheckoutSettings({ oauth: OAUTH, environment: 'sandbox' });
    expect(sandbox.oauth).toEqual({
      ...OAUTH,
      scopes: ['gateway'],
      tokenUrl: 'https://access.sandbox.checkout.com/connect/token',
    });
    expect(sandbox.baseUrl).toBe('https://api.sandbox.checkout.com');
    expect(sandbox.authorization).toBeUndefined();
    const live = resolveCheckoutSettings({
      oauth: { ...OAUTH, scopes: ['gateway:payment', 'gateway:payment-details'] },
      environment: 'production',
      subdomainPrefix: 'ab12cd34',
    });
    expect(live.oauth?.tokenUrl).toBe('https://ab12cd34.access.checkout.com/connect/token');
    expect(live.baseUrl).toBe('https://ab12cd34.api.checkout.com');
    expect(checkoutTokenUrl('production')).toBe('https://access.checkout.com/connect/token');
  });

  it.each([
    [{ oauth: OAUTH }, 'checkout({ environment'],
    [
      { oauth: OAUTH, baseUrl: 'http://127.0.0.1:9' },
      'checkout({ oauth: { tokenUrl } }) is required',
    ],
    [
      { oauth: { ...OAUTH, clientId: '' }, environment: 'sandbox' },
      'oauth: { clientId } }) is missing',
    ],
    [{ oauth: { ...OAUTH, clientId: 'ack 1' }, environment: 'sandbox' }, 'oauth: { clientId } })'],
    [
      { oauth: { ...OAUTH, clientSecret: '' }, environment: 'sandbox' },
      'oauth: { clientSecret } }) is missing',
    ],
    [
      { oauth: { ...OAUTH, clientSecret: ' x ' }, environment: 'sandbox' },
      'oauth: { clientSecret } })',
    ],
    [{ oauth: { ...OAUTH, scopes: [] }, environment: 'sandbox' }, 'oauth: { scopes } })'],
    [
      { oauth: { ...OAUTH, scopes: ['gateway vault'] }, environment: 'sandbox' },
      'oauth: { scopes } })',
    ],
    [
      { oauth: { ...OAUTH, tokenUrl: 'ftp://x/connect/token' }, environment: 'sandbox' },
      'oauth: { tokenUrl } })',
    ],
    [
      { oauth: { ...OAUTH, tokenUrl: 'https://access.example' }, environment: 'sandbox' },
      'oauth: { tokenUrl } }) must be the full',
    ],
    [{ oauth: { ...OAUTH, clientSecret2: 'x' }, environment: 'sandbox' }, '"clientSecret2"'],
    [{ oauth: 'ack_x:secret', environment: 'sandbox' }, 'checkout({ oauth }) must be an object'],
  ])('refuses %j at construction, naming the setting', (settings, words) => {
    expect(() => checkout(settings as unknown as CheckoutSettings)).toThrow(words);
  });

  it('never puts the client secret in a construction error', () => {
    for (const bad of [
      { oauth: { ...OAUTH, clientId: '' }, environment: 'sandbox' },
      { oauth: { ...OAUTH, tokenUrl: 'not a url' }, environment: 'sandbox' },
      { oauth: { ...OAUTH, scopes: [''] }, environment: 'sandbox' },
      { oauth: OAUTH, secretKey: SANDBOX_KEY },
    ]) {
      expect(() => checkout(bad as CheckoutSettings)).toThrow();
      try {
        checkout(bad as CheckoutSettings);
      } catch (error) {
        expect(String(error)).not.toContain(OAUTH.clientSecret);
      }
    }
  });
});

describe('checkout({ oauth }) against the simulator', () => {
  let sim: CheckoutSimulator;
  const clients: CaptureClient[] = [];
  const newClient = (settings: Partial<CheckoutSettings> = {}) => {
    const client = createCaptureClient({
      providers: {
        cko: checkout({
          oauth: sim.oauthCredentials,
          webhookSecret: sim.credentials.webhookSecret,
          baseUrl: sim.baseUrl,
          timeoutMs: 1_000,
          ...settings,
        }),
      },
    });
    clients.push(client);
    return client;
  };
  const issued = () => sim.tokenRequests.filter((t) => t.outcome === 'issued').length;
  const capturesOf = (paymentId: string) =>
    sim.requests.filter((r) => r.method === 'POST' && r.path === `/payments/${paymentId}/captures`);
  const newPayment = async (amount = 6540n) =>
    (await sim.authorize({ amount, currency: 'EUR', cardBrand: 'visa' })).paymentId;

  beforeAll(async () => {
    sim = await startCheckoutSimulator({ oauth: { tokenTtlSeconds: 600 } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(() => sim.close());

  it('fetches one token (form-encoded, HTTP Basic, scope gateway) and reuses it', async () => {
    const client = newClient();
    const before = sim.tokenRequests.length;
    for (const key of ['o-1', 'o-2']) {
      const paymentId = await newPayment();
      const result = await client.capture({ provider: 'cko', paymentId, idempotencyKey: key });
      expect(result._unsafeUnwrap().status).toBe('pending');
    }
    expect(sim.tokenRequests.slice(before)).toEqual([
      expect.objectContaining({ credentialsIn: 'basic', scope: 'gateway', outcome: 'issued' }),
    ]);
    const tokenRequest = sim.requests.filter((r) => r.path === '/connect/token').at(-1);
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest?.body.toString()).toBe('grant_type=client_credentials&scope=gateway');
    const apiCall = sim.requests.filter((r) => r.path.endsWith('/captures')).at(-1);
    expect(apiCall?.headers.authorization).toMatch(/^Bearer cko_sim_/);
  });

  it('N concurrent captures share one token request', async () => {
    const client = newClient();
    const before = issued();
    const payments = await Promise.all(Array.from({ length: 8 }, () => newPayment()));
    const results = await Promise.all(
      payments.map((paymentId) => client.capture({ provider: 'cko', paymentId })),
    );
    expect(results.map((r) => r._unsafeUnwrap().status)).toEqual(Array(8).fill('pending'));
    expect(issued() - before).toBe(1);
  });

  it('a 401 gets one refresh and one retry with the SAME idempotency key and bytes: one capture', async () => {
    const client = newClient();
    const warm = await newPayment();
    await client.capture({ provider: 'cko', paymentId: warm });
    const before = issued();
    sim.revokeTokens();
    const paymentId = await newPayment();
    const result = await client.capture({
      provider: 'cko',
      paymentId,
      amount: { currency: 'EUR', value: 1000n },
      idempotencyKey: 'after-revoke',
    });
    expect(result._unsafeUnwrap()).toMatchObject({
      status: 'pending',
      idempotencyKey: 'after-revoke',
    });
    expect(issued() - before).toBe(1);
    const sent = capturesOf(paymentId);
    expect(sent).toHaveLength(2);
    expect(sent.map((r) => r.headers['cko-idempotency-key'])).toEqual([
      'after-revoke',
      'after-revoke',
    ]);
    expect(sent[1]?.body.equals(sent[0]?.body ?? Buffer.alloc(0))).toBe(true);
    expect(sent[1]?.headers.authorization).not.toBe(sent[0]?.headers.authorization);
    expect((await sim.payment(paymentId)).captures).toHaveLength(1);
  });

  it('concurrent 401s share one refresh', async () => {
    const client = newClient();
    await client.capture({ provider: 'cko', paymentId: await newPayment() });
    sim.revokeTokens();
    const before = issued();
    const payments = await Promise.all(Array.from({ length: 6 }, () => newPayment()));
    const results = await Promise.all(
      payments.map((paymentId) => client.capture({ provider: 'cko', paymentId })),
    );
    expect(results.every((r) => r.isOk())).toBe(true);
    expect(issued() - before).toBe(1);
  });

  it('a token that expired on the provider side is refreshed on the 401 (resolve too)', async () => {
    const short = await startCheckoutSimulator({ oauth: { tokenTtlSeconds: 60 } });
    const client = createCaptureClient({
      providers: {
        cko: checkout({ oauth: short.oauthCredentials, baseUrl: short.baseUrl, timeoutMs: 1_000 }),
      },
    });
    try {
      const paymentId = (await short.authorize({ amount: 500n, currency: 'EUR' })).paymentId;
      await client.capture({ provider: 'cko', paymentId, idempotencyKey: 'exp-1' });
      short.advanceClock(61_000);
      const resolved = await client.resolve({
        provider: 'cko',
        paymentId,
        idempotencyKey: 'exp-1',
      });
      expect(resolved._unsafeUnwrap().status).toBe('succeeded');
      expect(short.tokenRequests.map((t) => t.outcome)).toEqual(['issued', 'issued']);
    } finally {
      await client.close();
      await short.close();
    }
  });

  it('a refused access key is not_attempted on capture (nothing reaches the capture endpoint)', async () => {
    const client = newClient({
      oauth: { ...sim.oauthCredentials, clientSecret: 'not-the-secret-42' },
    });
    const paymentId = await newPayment();
    const error = (await client.capture({ provider: 'cko', paymentId }))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'authentication_failed',
      outcome: 'not_attempted',
      httpStatus: 401,
      providerCode: 'invalid_client',
      retryable: false,
    });
    expect(error.message).toContain('checkout({ oauth: { clientId, clientSecret } })');
    expect(show(error)).not.toContain('not-the-secret-42');
    expect(capturesOf(paymentId)).toHaveLength(0);
  });

  it('the same refusal on resolve() is unknown: the inquiry learned nothing', async () => {
    const client = newClient({ oauth: { ...sim.oauthCredentials, clientSecret: 'wrong' } });
    const paymentId = await newPayment();
    const error = (
      await client.resolve({ provider: 'cko', paymentId, idempotencyKey: 'k' })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'authentication_failed', outcome: 'unknown' });
  });

  it('a token endpoint 503 or timeout is not_attempted and retryable; the failure is not cached', async () => {
    const client = newClient({ timeoutMs: 150 });
    const paymentId = await newPayment();
    sim.injectTokenFault({ kind: 'server_error', status: 503 });
    const unavailable = (await client.capture({ provider: 'cko', paymentId }))._unsafeUnwrapErr();
    expect(unavailable).toMatchObject({
      code: 'provider_error',
      outcome: 'not_attempted',
      retryable: true,
      httpStatus: 503,
    });
    sim.injectTokenFault({ kind: 'timeout_before_commit' });
    const slow = (await client.capture({ provider: 'cko', paymentId }))._unsafeUnwrapErr();
    expect(slow).toMatchObject({ code: 'timeout', outcome: 'not_attempted', retryable: true });
    expect(slow.message).toContain('/connect/token');
    expect(capturesOf(paymentId)).toHaveLength(0);
    const ok = await client.capture({ provider: 'cko', paymentId });
    expect(ok._unsafeUnwrap().status).toBe('pending');
  });

  it('a scope the key may not use is access_denied, naming oauth.scopes', async () => {
    const client = newClient({ oauth: { ...sim.oauthCredentials, scopes: ['vault'] } });
    const error = (
      await client.capture({ provider: 'cko', paymentId: await newPayment() })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'access_denied',
      outcome: 'not_attempted',
      providerCode: 'invalid_scope',
    });
    expect(error.message).toContain('checkout({ oauth: { scopes } })');
  });

  it('never prints the client secret or a token: results, errors, diagnostics', async () => {
    const messages: unknown[] = [];
    const onMessage = (message: unknown) => messages.push(message);
    subscribe(CAPTURE_CHANNEL, onMessage);
    try {
      const client = newClient();
      const outputs: unknown[] = [];
      const paymentId = await newPayment();
      outputs.push(await client.capture({ provider: 'cko', paymentId, idempotencyKey: 'p-1' }));
      outputs.push(await client.resolve({ provider: 'cko', paymentId, idempotencyKey: 'p-1' }));
      sim.revokeTokens();
      outputs.push(await client.capture({ provider: 'cko', paymentId: await newPayment() }));
      sim.injectTokenFault({ kind: 'server_error' });
      sim.revokeTokens();
      outputs.push(await client.capture({ provider: 'cko', paymentId: await newPayment() }));
      sim.injectFault({ kind: 'reset_after_commit' });
      outputs.push(await client.capture({ provider: 'cko', paymentId: await newPayment() }));
      const text = show([outputs, messages]);
      const tokens = sim.requests
        .map((r) => r.headers.authorization)
        .filter((h): h is string => typeof h === 'string' && h.startsWith('Bearer '))
        .map((h) => h.slice('Bearer '.length));
      expect(tokens.length).toBeGreaterThan(1);
      expect(messages.length).toBeGreaterThan(0);
      for (const secret of [sim.oauthCredentials.clientSecret, ...tokens]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toContain(Buffer.from(sim.oauthCredentials.clientSecret).toString('base64'));
    } finally {
      unsubscribe(CAPTURE_CHANNEL, onMessage);
    }
  });
});

describe('createCheckoutTokenSource (clock injected)', () => {
  let sim: CheckoutSimulator;
  beforeAll(async () => {
    sim = await startCheckoutSimulator({ oauth: { tokenTtlSeconds: 3600 } });
  });
  afterAll(() => sim.close());

  it('caches the token until shortly before expires_in, then fetches a new one', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const source = createCheckoutTokenSource({
      oauth: { ...sim.oauthCredentials, scopes: ['gateway'] },
      now: () => now,
    });
    try {
      const first = (await source.authorization())._unsafeUnwrap();
      now += 3_539_000; // 3539 s: still before the renewal point (60 s before expiry)
      expect((await source.authorization())._unsafeUnwrap()).toBe(first);
      now += 2_000; // 3541 s: less than a minute left, so it is renewed ahead of time
      const second = (await source.authorization())._unsafeUnwrap();
      expect(second).not.toBe(first);
      expect(second).toMatch(/^Bearer cko_sim_/);
      expect(sim.tokenRequests.filter((t) => t.outcome === 'issued')).toHaveLength(2);
    } finally {
      await source.close();
    }
  });

  it('callers in the same tick share one request; a rejected token is dropped only once', async () => {
    const source = createCheckoutTokenSource({
      oauth: { ...sim.oauthCredentials, scopes: ['gateway'] },
    });
    try {
      const before = sim.tokenRequests.length;
      const headers = await Promise.all(Array.from({ length: 10 }, () => source.authorization()));
      expect(new Set(headers.map((h) => h._unsafeUnwrap())).size).toBe(1);
      expect(sim.tokenRequests.length - before).toBe(1);
      const stale = headers[0]?._unsafeUnwrap() ?? '';
      expect(source.rejected(stale)).toBe(true);
      const fresh = (await source.authorization())._unsafeUnwrap();
      // A second 401 for the old token must not throw away the new one.
      source.rejected(stale);
      expect((await source.authorization())._unsafeUnwrap()).toBe(fresh);
      expect(sim.tokenRequests.length - before).toBe(2);
    } finally {
      await source.close();
    }
  });

  it('a caller whose signal aborts while waiting gets not_sent, the others still get the token', async () => {
    const source = createCheckoutTokenSource({
      oauth: { ...sim.oauthCredentials, scopes: ['gateway'] },
    });
    try {
      const controller = new AbortController();
      const waiting = source.authorization(controller.signal);
      const other = source.authorization();
      controller.abort();
      expect((await waiting)._unsafeUnwrapErr()).toMatchObject({
        stage: 'not_sent',
        reason: 'aborted',
      });
      expect((await other)._unsafeUnwrap()).toMatch(/^Bearer /);
    } finally {
      await source.close();
    }
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlipayV2Settings, alipayV2 } from '../../src/providers/alipay-v2/index.js';
import { startWallet, type WalletFixture } from './wallet-fixture.js';

let wallet: WalletFixture;
beforeAll(async () => {
  wallet = await startWallet({ prefix: '/api/open' });
});
afterAll(() => wallet.close());

const usd = (value: bigint) => ({ currency: 'USD', value });
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const publicPem = keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const valid: AlipayV2Settings = {
  clientId: 'CLIENT_1',
  privateKey: privatePem,
  walletPublicKey: publicPem,
  baseUrl: 'https://wallet.example/acl/api',
};

describe('alipayV2() construction', () => {
  it('requires baseUrl and names the known prefixes', () => {
    const { baseUrl: _omit, ...rest } = valid;
    expect(() => alipayV2(rest as AlipayV2Settings)).toThrow(
      /alipayV2\(\{ baseUrl \}\).*\/api, \/acl\/api.*\/api\/open/,
    );
  });

  it.each([
    [{ clientId: '' }, /alipayV2\(\{ clientId \}\)/],
    [{ keyVersion: 0 }, /alipayV2\(\{ keyVersion \}\)/],
    [{ timeoutMs: -1 }, /alipayV2\(\{ timeoutMs \}\)/],
    [{ baseUrl: 'ftp://wallet.example/api' }, /alipayV2\(\{ baseUrl \}\)/],
    [{ privateKey: 'not a key' }, /alipayV2\(\{ privateKey \}\)/],
    [
      { walletPublicKey: privatePem.replace('PRIVATE', 'PUBLIC') },
      /alipayV2\(\{ walletPublicKey \}\)/,
    ],
    [{ walletPubKey: publicPem }, /alipayV2\(\{ walletPubKey \}\) is not a setting/],
  ])('rejects %o by name', (override, message) => {
    expect(() => alipayV2({ ...valid, ...override } as AlipayV2Settings)).toThrow(message);
  });

  it('never puts key material in an error', () => {
    const broken = privatePem.slice(0, 200);
    try {
      alipayV2({ ...valid, privateKey: broken });
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(broken.slice(40, 120));
    }
  });

  it('accepts bare base64 keys and KeyObjects', () => {
    const bare = keys.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    expect(() =>
      alipayV2({ ...valid, privateKey: bare, walletPublicKey: keys.publicKey }),
    ).not.toThrow();
  });
});

describe('alipayV2() contract', () => {
  const adapter = alipayV2(valid);

  it('reports full, partial, multiple and final-flag captures, and no webhooks with a reason', () => {
    expect(adapter.kind).toBe('alipayV2');
    expect(adapter.capabilities({})).toMatchObject({
      fullCapture: true,
      partialCapture: true,
      multipleCaptures: true,
      finalCaptureFlag: true,
      amountRequired: false,
      resultDelivery: 'synchronous',
      webhooks: false,
    });
    const caps = adapter.capabilities({});
    expect(caps.captureWindowDays).toBeUndefined();
    expect(caps.reasons.some((r) => r.includes('webhook'))).toBe(true);
  });

  it('answers parseWebhook with a typed unsupported error', async () => {
    const result = await adapter.doParseWebhook({
      method: 'POST',
      path: '/x',
      headers: {},
      rawBody: '{}',
    });
    expect(result._unsafeUnwrapErr()).toMatchObject({ code: 'unsupported', verified: false });
    expect(result._unsafeUnwrapErr().message).toContain('resolve()');
    expect(adapter.webhookAck()).toEqual({ status: 200, headers: {}, body: '' });
  });
});

describe('providerOptions.alipayV2', () => {
  it('sends extendInfo and returns it in providerMetadata', async () => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    const extendInfo = '{"memo":"memo"}';
    const result = await wallet.client.capture({
      provider: 'wallet',
      paymentId: payment.paymentId,
      providerOptions: { alipayV2: { extendInfo } },
    });
    expect(result._unsafeUnwrap().providerMetadata).toMatchObject({ extendInfo });
    expect(JSON.parse(wallet.sim.requests.at(-1)?.body ?? '{}')).toMatchObject({ extendInfo });
  });

  it.each([
    [{ memo: 'x' }, /providerOptions\.alipayV2 has unknown field\(s\) "memo"/],
    [
      { extendInfo: 'x'.repeat(4097) },
      /providerOptions\.alipayV2\.extendInfo must be at most 4096/,
    ],
    ['text', /providerOptions\.alipayV2 /],
  ])('rejects %o before sending anything', async (options, message) => {
    const before = wallet.sim.requests.length;
    const result = await wallet.client.capture({
      provider: 'wallet',
      paymentId: 'p1',
      providerOptions: { alipayV2: options },
    });
    const error = result._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'invalid_request', outcome: 'not_attempted' });
    expect(error.message).toMatch(message);
    expect(wallet.sim.requests.length).toBe(before);
  });
});

describe('faults and resolve()', () => {
  async function faulted(kind: Parameters<WalletFixture['sim']['injectFault']>[0]) {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    const request = {
      provider: 'wallet',
      paymentId: payment.paymentId,
      amount: usd(600n),
      final: false,
      idempotencyKey: `${payment.paymentId}-f`,
    };
    wallet.sim.injectFault(kind);
    const first = await wallet.client.capture(request);
    const resolve = () =>
      wallet.client.resolve({
        provider: 'wallet',
        paymentId: payment.paymentId,
        idempotencyKey: request.idempotencyKey,
      });
    return { payment, request, first, resolve };
  }

  it('timeout_before_commit: unknown/timeout, then capture_not_found, then the same key captures once', async () => {
    const { payment, request, first, resolve } = await faulted({ kind: 'timeout_before_commit' });
    expect(first._unsafeUnwrapErr()).toMatchObject({ outcome: 'unknown', code: 'timeout' });
    expect((await resolve())._unsafeUnwrapErr()).toMatchObject({
      code: 'capture_not_found',
      outcome: 'failed',
      retryable: true,
    });
    expect((await wallet.client.capture(request))._unsafeUnwrap().status).toBe('succeeded');
    expect((await wallet.sim.payment(payment.paymentId)).captures).toHaveLength(1);
  });

  it('timeout_after_commit and reset_after_commit: unknown, then resolve succeeds with the amount', async () => {
    for (const [kind, code] of [
      ['timeout_after_commit', 'timeout'],
      ['reset_after_commit', 'network_error'],
    ] as const) {
      const { first, resolve } = await faulted({ kind });
      expect(first._unsafeUnwrapErr()).toMatchObject({ outcome: 'unknown', code });
      const resolved = (await resolve())._unsafeUnwrap();
      expect(resolved).toMatchObject({ status: 'succeeded', amount: usd(600n), final: false });
      expect(resolved.captureId).toMatch(/^\d+$/);
    }
  });

  it('server_error 502: unknown/provider_error with the status, then capture_not_found', async () => {
    const { first, resolve } = await faulted({ kind: 'server_error', status: 502 });
    expect(first._unsafeUnwrapErr()).toMatchObject({
      outcome: 'unknown',
      code: 'provider_error',
      httpStatus: 502,
    });
    expect((await resolve())._unsafeUnwrapErr().code).toBe('capture_not_found');
  });

  it('bad_signature: unknown/signature_invalid, then resolve succeeds', async () => {
    const { first, resolve } = await faulted({ kind: 'bad_signature' });
    expect(first._unsafeUnwrapErr()).toMatchObject({
      outcome: 'unknown',
      code: 'signature_invalid',
    });
    expect((await resolve())._unsafeUnwrap().status).toBe('succeeded');
  });

  it('unknown_status: pending at the first inquiry, succeeded at the second', async () => {
    const { first, resolve } = await faulted({
      kind: 'unknown_status',
      providerCode: 'CAPTURE_IN_PROCESS',
    });
    expect(first._unsafeUnwrapErr()).toMatchObject({
      outcome: 'unknown',
      code: 'capture_in_progress',
      providerCode: 'CAPTURE_IN_PROCESS',
    });
    expect((await resolve())._unsafeUnwrap().status).toBe('pending');
    expect((await resolve())._unsafeUnwrap().status).toBe('succeeded');
  });

  it('delay: still succeeds', async () => {
    const { first } = await faulted({ kind: 'delay', ms: 50 });
    expect(first._unsafeUnwrap().status).toBe('succeeded');
  });

  it('resolve of an unknown payment is payment_not_found / failed', async () => {
    const result = await wallet.client.resolve({
      provider: 'wallet',
      paymentId: 'missing',
      idempotencyKey: 'k',
    });
    expect(result._unsafeUnwrapErr()).toMatchObject({
      code: 'payment_not_found',
      outcome: 'failed',
      providerCode: 'ORDER_NOT_EXIST',
    });
  });

  it('an inquiry without a reliable answer leaves the outcome unknown', async () => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    const ask = () =>
      wallet.client.resolve({
        provider: 'wallet',
        paymentId: payment.paymentId,
        idempotencyKey: 'k',
      });
    for (const fault of [
      { kind: 'server_error' },
      { kind: 'bad_signature' },
      { kind: 'timeout_before_commit' },
      { kind: 'unknown_status' },
    ] as const) {
      wallet.sim.injectInquiryFault(fault);
      const error = (await ask())._unsafeUnwrapErr();
      expect(error.outcome, fault.kind).toBe('unknown');
      expect(error.message, fault.kind).toMatch(/resolve\(\) again/);
    }
    expect((await ask())._unsafeUnwrapErr().code).toBe('capture_not_found');
  });

  it('resolve matches the capture by captureRequestId among several', async () => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    for (const part of [1, 2]) {
      await wallet.client.capture({
        provider: 'wallet',
        paymentId: payment.paymentId,
        amount: usd(100n * BigInt(part)),
        final: false,
        idempotencyKey: `${payment.paymentId}-${part}`,
      });
    }
    const second = await wallet.client.resolve({
      provider: 'wallet',
      paymentId: payment.paymentId,
      idempotencyKey: `${payment.paymentId}-2`,
    });
    expect(second._unsafeUnwrap()).toMatchObject({
      status: 'succeeded',
      amount: usd(200n),
      final: false,
    });
  });
});

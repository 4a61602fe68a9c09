import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CaptureClient, createCaptureClient } from '../../src/core/client.js';
import { signedContent, signRsa256 } from '../../src/provider-kit/rsa-signature.js';
import { alipayV2 } from '../../src/providers/alipay-v2/index.js';

// resolve() answers about the capture, never about the inquiry (DESIGN §0, §3).

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const walletKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const CLIENT_ID = 'SANDBOX_2022012345678901';
const PAYMENT = '20191127190741010007013213121';
const KEY = '20191127190741010007013213156';

interface Reply {
  readonly status?: number;
  readonly body: unknown;
  readonly signed?: boolean;
  readonly headers?: Record<string, string>;
}

const inquiry = (transactions: unknown[]) => ({
  result: { resultCode: 'SUCCESS', resultStatus: 'S' },
  paymentId: PAYMENT,
  paymentStatus: 'SUCCESS',
  transactions,
});
const transaction = (extra: Record<string, unknown> = {}) => ({
  transactionType: 'CAPTURE',
  transactionRequestId: KEY,
  transactionId: '201231231313123167',
  transactionStatus: 'SUCCESS',
  transactionAmount: { value: '1000', currency: 'USD' },
  ...extra,
});

describe('Alipay+ v2: honest outcomes per capture', () => {
  let server: Server;
  let url: string;
  let next: Reply = { body: {} };
  let client: CaptureClient;
  const adapter = () =>
    alipayV2({
      clientId: CLIENT_ID,
      privateKey: merchant.privateKey,
      walletPublicKey: walletKeys.publicKey,
      baseUrl: `${url}/api`,
      timeoutMs: 2_000,
    });

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const body = typeof next.body === 'string' ? next.body : JSON.stringify(next.body);
        const time = '2021-06-08T12:12:12.000+08:00';
        const headers: Record<string, string> = {
          'content-type': 'application/json; charset=UTF-8',
          ...next.headers,
        };
        if (next.signed !== false) {
          const content = signedContent('POST', req.url ?? '/', CLIENT_ID, time, body);
          headers['client-id'] = CLIENT_ID;
          headers['response-time'] = time;
          headers.signature = `algorithm=RSA256, keyVersion=1, signature=${encodeURIComponent(signRsa256(content, walletKeys.privateKey))}`;
        }
        res.writeHead(next.status ?? 200, headers);
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = createCaptureClient({ providers: { wallet: adapter() } });
  });
  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterEach(() => {
    next = { body: {} };
  });

  const resolve = () =>
    client.resolve({ provider: 'wallet', paymentId: PAYMENT, idempotencyKey: KEY });
  const capture = () =>
    client.capture({
      provider: 'wallet',
      paymentId: PAYMENT,
      idempotencyKey: KEY,
      amount: { currency: 'USD', value: 1000n },
    });

  it('resolve(): an unsigned 429 keeps rate_limited and Retry-After, outcome unknown', async () => {
    next = { status: 429, body: '', signed: false, headers: { 'retry-after': '6' } };
    const error = (await resolve())._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'rate_limited',
      outcome: 'unknown',
      httpStatus: 429,
      retryAfterMs: 6_000,
    });
    expect(error.message).not.toMatch(/nothing was captured/);
  });

  it('resolve(): a signed REQUEST_TRAFFIC_EXCEED_LIMIT is unknown, not "nothing was captured"', async () => {
    next = {
      body: { result: { resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT', resultStatus: 'F' } },
      headers: { 'retry-after': '1' },
    };
    const error = (await resolve())._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'rate_limited', outcome: 'unknown', retryAfterMs: 1_000 });
    expect(error.message).not.toMatch(/nothing was captured/);
  });

  it.each([
    [401, 'authentication_failed'],
    [403, 'access_denied'],
  ] as const)(
    'resolve(): a gateway %i keeps its own code (%s), outcome unknown',
    async (status, code) => {
      next = { status, body: '<html>no</html>', signed: false };
      expect((await resolve())._unsafeUnwrapErr()).toMatchObject({
        code,
        outcome: 'unknown',
        httpStatus: status,
      });
    },
  );

  it('resolve(): an inquiry that could not connect is unknown, not not_attempted', async () => {
    const offline = alipayV2({
      clientId: CLIENT_ID,
      privateKey: merchant.privateKey,
      walletPublicKey: walletKeys.publicKey,
      baseUrl: 'http://127.0.0.1:9/api',
      timeoutMs: 2_000,
    });
    const error = (
      await offline.doResolve({ paymentId: PAYMENT, idempotencyKey: KEY })
    )._unsafeUnwrapErr();
    await offline.close?.();
    expect(error).toMatchObject({ code: 'network_error', outcome: 'unknown' });
  });

  it('capture(): a 429 carries Retry-After as retryAfterMs', async () => {
    next = { status: 429, body: '', signed: false, headers: { 'retry-after': '9' } };
    expect((await capture())._unsafeUnwrapErr()).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 9_000,
    });
  });

  it('resolve(): the capture found by its key, with another amount than meant, is unknown', async () => {
    next = { body: inquiry([transaction()]) };
    const wallet = adapter();
    const result = await wallet.doResolve({
      paymentId: PAYMENT,
      idempotencyKey: KEY,
      amount: { currency: 'USD', value: 600n },
    });
    await wallet.close?.();
    expect(result._unsafeUnwrapErr()).toMatchObject({ outcome: 'unknown' });
  });

  it('resolve(): a captureId that belongs to another key is unknown, not that capture', async () => {
    next = { body: inquiry([transaction({ transactionRequestId: 'another-key' })]) };
    const wallet = adapter();
    const result = await wallet.doResolve({
      paymentId: PAYMENT,
      idempotencyKey: KEY,
      captureId: '201231231313123167',
    });
    await wallet.close?.();
    expect(result._unsafeUnwrapErr()).toMatchObject({ outcome: 'unknown' });
  });

  it('resolve(): several entries for the key, one SUCCESS: succeeded', async () => {
    next = {
      body: inquiry([
        transaction({ transactionStatus: 'FAIL', transactionId: 'a' }),
        transaction({ transactionId: 'b' }),
      ]),
    };
    expect((await resolve())._unsafeUnwrap()).toMatchObject({
      status: 'succeeded',
      captureId: 'b',
    });
  });
});

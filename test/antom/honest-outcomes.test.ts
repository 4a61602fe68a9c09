import { generateKeyPairSync, sign } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import { type AntomSettings, antom } from '../../src/providers/antom/index.js';
import { type Loopback, startLoopback } from './antom-fixture.js';

// resolve() answers about the capture, never the inquiry; amounts that cannot be read are
// unknown; a body that cannot be serialized is refused before anything is sent.

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const antomKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const CLIENT_ID = 'SANDBOX_5YBZ0G2ZC0LE01234';
const PAYMENT = '20220919194010890100111740275820195';
const KEY = 'capture_cangxi_lj_20220920_005914_845';

/** Answers `body` signed by "Antom" for the path the request came on. */
function signed(
  res: ServerResponse,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  const time = '2022-09-19T09:59:17-07:00';
  const content = `POST ${path}\n${CLIENT_ID}.${time}.${text}`;
  const signature = sign('sha256', Buffer.from(content), antomKeys.privateKey).toString('base64');
  res.writeHead(200, {
    'content-type': 'application/json',
    'client-id': CLIENT_ID,
    'response-time': time,
    signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
    ...headers,
  });
  res.end(text);
}

const success = (value: string) => ({
  result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
  paymentId: PAYMENT,
  captureRequestId: KEY,
  captureId: '20220919194010890100111740275850565',
  captureAmount: { currency: 'HKD', value },
});

const inquiry = (transactionAmount: { currency: string; value: string }) => ({
  result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
  paymentId: PAYMENT,
  paymentStatus: 'SUCCESS',
  paymentAmount: { currency: 'HKD', value: '10' },
  transactions: [
    {
      transactionType: 'CAPTURE',
      transactionStatus: 'SUCCESS',
      transactionRequestId: KEY,
      transactionId: 'cap-1',
      transactionAmount,
      transactionResult: { resultCode: 'SUCCESS', resultStatus: 'S' },
    },
  ],
});

describe('Antom: honest outcomes per capture', () => {
  let loopback: Loopback;
  let received: string[];
  const settings = (extra: Partial<AntomSettings> = {}): AntomSettings => ({
    clientId: CLIENT_ID,
    privateKey: merchant.privateKey,
    antomPublicKey: antomKeys.publicKey,
    baseUrl: loopback.url,
    timeoutMs: 2_000,
    contract: { partialCapture: true, multipleCaptures: true },
    ...extra,
  });
  const withClient = async <T>(
    run: (client: ReturnType<typeof createCaptureClient>) => PromiseLike<T>,
    extra: Partial<AntomSettings> = {},
  ) => {
    const client = createCaptureClient({ providers: { antom: antom(settings(extra)) } });
    try {
      return await run(client);
    } finally {
      await client.close();
    }
  };
  const capture = (client: ReturnType<typeof createCaptureClient>, extra = {}) =>
    client.capture({
      provider: 'antom',
      paymentId: PAYMENT,
      idempotencyKey: KEY,
      amount: { currency: 'HKD', value: 10n },
      ...extra,
    });
  const resolve = (client: ReturnType<typeof createCaptureClient>) =>
    client.resolve({ provider: 'antom', paymentId: PAYMENT, idempotencyKey: KEY });

  beforeAll(async () => {
    loopback = await startLoopback();
  });
  afterAll(() => loopback.close());

  const answer = (handler: (res: ServerResponse, path: string) => void) => {
    received = [];
    loopback.handler = (req, res) => {
      received.push(req.url ?? '');
      handler(res, req.url ?? '');
    };
  };

  it('a signed success whose captureAmount cannot be read is unknown, not succeeded', async () => {
    answer((res, path) => signed(res, path, success('12.50')));
    const error = (await withClient(capture))._unsafeUnwrapErr();
    expect(error).toMatchObject({ outcome: 'unknown' });
    expect(error.message).toMatch(/captureAmount/);
  });

  it('resolve(): a listed capture whose transactionAmount cannot be read is unknown', async () => {
    answer((res, path) => signed(res, path, inquiry({ currency: 'HKD', value: '12.50' })));
    const error = (await withClient(resolve))._unsafeUnwrapErr();
    expect(error).toMatchObject({ outcome: 'unknown' });
    expect(error.message).toMatch(/transactionAmount/);
  });

  it('resolve(): a capture found by its key with another amount than meant is unknown', async () => {
    answer((res, path) => signed(res, path, inquiry({ currency: 'HKD', value: '10' })));
    const adapter = antom(settings());
    const result = await adapter.doResolve({
      paymentId: PAYMENT,
      idempotencyKey: KEY,
      amount: { currency: 'HKD', value: 20n },
    });
    await adapter.close?.();
    expect(result._unsafeUnwrapErr()).toMatchObject({ outcome: 'unknown' });
  });

  it('resolve(): an inquiry that could not connect is unknown, not not_attempted', async () => {
    const closed = await startLoopback();
    const { url } = closed;
    await closed.close();
    const error = (await withClient(resolve, { baseUrl: url }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'network_error', outcome: 'unknown' });
    expect(error.message).toMatch(/state is still unknown/);
  });

  it('resolve(): an unsigned HTTP 429 keeps rate_limited and Retry-After, outcome unknown', async () => {
    answer((res) => res.writeHead(429, { 'retry-after': '5' }).end());
    const error = (await withClient(resolve))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'rate_limited',
      outcome: 'unknown',
      httpStatus: 429,
      retryAfterMs: 5_000,
    });
  });

  it('resolve(): a signed REQUEST_TRAFFIC_EXCEED_LIMIT is unknown with retryAfterMs', async () => {
    answer((res, path) =>
      signed(
        res,
        path,
        { result: { resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT', resultStatus: 'F' } },
        { 'retry-after': '2' },
      ),
    );
    const error = (await withClient(resolve))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'rate_limited',
      outcome: 'unknown',
      providerCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT',
      retryAfterMs: 2_000,
    });
    expect(error.message).not.toMatch(/Money did not move|nothing was captured/i);
  });

  it('capture(): a signed REQUEST_TRAFFIC_EXCEED_LIMIT carries retryAfterMs', async () => {
    answer((res, path) =>
      signed(
        res,
        path,
        { result: { resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT', resultStatus: 'F' } },
        { 'retry-after': '2' },
      ),
    );
    expect((await withClient(capture))._unsafeUnwrapErr()).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 2_000,
    });
  });

  it('capture(): an unsigned HTTP 429 is rate_limited, unknown (unsigned), with retryAfterMs', async () => {
    answer((res) => res.writeHead(429, { 'retry-after': '4' }).end());
    expect((await withClient(capture))._unsafeUnwrapErr()).toMatchObject({
      code: 'rate_limited',
      outcome: 'unknown',
      retryAfterMs: 4_000,
    });
  });

  it('capture(): providerOptions.antom.transit that cannot be JSON is refused, nothing sent', async () => {
    class Transit {
      transitType = 'FLIGHT';
      toJSON(): never {
        throw new Error('not serializable');
      }
    }
    answer((res, path) => signed(res, path, success('10')));
    const error = (
      await withClient((client) =>
        capture(client, { providerOptions: { antom: { transit: new Transit() } } }),
      )
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'invalid_request', outcome: 'not_attempted' });
    expect(error.message).toContain('providerOptions.antom.transit');
    expect(received).toEqual([]);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CaptureClient, createCaptureClient } from '../../src/core/client.js';
import type { CaptureProviderV1 } from '../../src/core/spec.js';
import {
  parseSignatureHeader,
  signedContent,
  signRsa256,
  verifyRsa256,
} from '../../src/provider-kit/rsa-signature.js';
import { alipayV2 } from '../../src/providers/alipay-v2/index.js';
import { startWallet } from './wallet-fixture.js';

// Samples copied from the seed, alipay-plus-v2-capture-api.txt ("Samples").
const SEED_REQUEST = `{
 "captureRequestId":"20191127190741010007013213156",
 "paymentId":"20191127190741010007013213121",
 "captureAmount": {
    "value":"1000",
    "currency":"USD"
 }
}`;
const SEED_RESPONSE = `{
 "result": {
    "resultCode":"SUCCESS",
    "resultStatus":"S"
 },
 "captureRequestId":"20191127190741010007013213156",
 "captureId":"201231231313123167",
 "paymentId":"20191127190741010007013213121",
 "captureAmount": {
    "value":"1000",
    "currency":"USD"
 },
 "captureTime":"2021-06-08T12:12:12+08:00"
}`;

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const walletKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const CLIENT_ID = 'SANDBOX_2022012345678901';
const PREFIX = '/acl/api';
const CAPTURE_PATH = `${PREFIX}/v2/payments/capture`;

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
interface StubReply {
  status?: number;
  body: string;
  /** `signed` (default), `none`, or `tampered` (signed, then the body changed). */
  signing?: 'signed' | 'none' | 'tampered';
  contentType?: string;
}

let server: Server;
let origin: string;
let received: Received[] = [];
let nextReply: StubReply = { body: SEED_RESPONSE };
let client: CaptureClient;
let wallet: CaptureProviderV1;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const reply = nextReply;
      const headers: Record<string, string> = {
        'content-type': reply.contentType ?? 'application/json; charset=UTF-8',
        'client-id': CLIENT_ID,
        'response-time': '2021-06-08T12:12:12.000+08:00',
      };
      if ((reply.signing ?? 'signed') !== 'none') {
        const content = signedContent(
          'POST',
          path,
          CLIENT_ID,
          headers['response-time'] ?? '',
          reply.body,
        );
        const signature = signRsa256(content, walletKeys.privateKey);
        headers.signature = `algorithm=RSA256, keyVersion=1, signature=${encodeURIComponent(signature)}`;
      }
      const body = reply.signing === 'tampered' ? reply.body.replace('1000', '1001') : reply.body;
      res.writeHead(reply.status ?? 200, headers);
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  wallet = alipayV2({
    clientId: CLIENT_ID,
    privateKey: merchant.privateKey,
    walletPublicKey: walletKeys.publicKey,
    baseUrl: `${origin}${PREFIX}`,
    timeoutMs: 2_000,
  });
});
// A fresh client (and so a fresh intent journal) per test: these tests look at single
// exchanges with the stub, and reuse the seed sample's key.
beforeEach(() => {
  client = createCaptureClient({ providers: { wallet } });
});
afterAll(async () => {
  await wallet.close?.();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  received = [];
  nextReply = { body: SEED_RESPONSE };
});

// Each seed capture comes from a fresh client, as if from a new process: the wire is what
// these tests look at, not the journal's replay.
const seedCapture = () =>
  createCaptureClient({ providers: { wallet } }).capture({
    provider: 'wallet',
    paymentId: '20191127190741010007013213121',
    idempotencyKey: '20191127190741010007013213156',
    amount: { currency: 'USD', value: 1000n },
  });

describe('Alipay+ v2 wire format (seed samples)', () => {
  it('sends the seed request sample byte for byte (compact JSON)', async () => {
    await seedCapture();
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(CAPTURE_PATH);
    expect(request?.body).toBe(JSON.stringify(JSON.parse(SEED_REQUEST)));
  });

  it('sends Client-Id, ISO-8601 Request-Time, the spaced Signature header and JSON content type', async () => {
    await seedCapture();
    const headers = received[0]?.headers ?? {};
    expect(headers['client-id']).toBe(CLIENT_ID);
    expect(headers['content-type']).toBe('application/json; charset=UTF-8');
    const time = String(headers['request-time']);
    expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
    expect(Math.abs(Date.parse(time) - Date.now())).toBeLessThan(60_000);
    const signature = String(headers.signature);
    expect(signature).toMatch(/^algorithm=RSA256, keyVersion=1, signature=[A-Za-z0-9%]+$/);
  });

  it('signs <METHOD> <full path with prefix>\\n<Client-Id>.<Request-Time>.<body> with the merchant key', async () => {
    await seedCapture();
    const request = received[0];
    const parsed = parseSignatureHeader(String(request?.headers.signature));
    const content = signedContent(
      'POST',
      CAPTURE_PATH,
      CLIENT_ID,
      String(request?.headers['request-time']),
      request?.body ?? '',
    );
    expect(verifyRsa256(content, parsed?.signature ?? '', merchant.publicKey)).toBe(true);
    const withoutPrefix = signedContent(
      'POST',
      '/v2/payments/capture',
      CLIENT_ID,
      String(request?.headers['request-time']),
      request?.body ?? '',
    );
    expect(verifyRsa256(withoutPrefix, parsed?.signature ?? '', merchant.publicKey)).toBe(false);
  });

  it('reads the seed response sample into a succeeded capture', async () => {
    const capture = (await seedCapture())._unsafeUnwrap();
    expect(capture).toMatchObject({
      provider: 'wallet',
      kind: 'alipayV2',
      status: 'succeeded',
      paymentId: '20191127190741010007013213121',
      captureId: '201231231313123167',
      idempotencyKey: '20191127190741010007013213156',
      amount: { currency: 'USD', value: 1000n },
      capturedAt: '2021-06-08T12:12:12+08:00',
      final: true,
    });
    expect(capture.raw).toEqual(JSON.parse(SEED_RESPONSE));
  });

  it('sends isLastCapture as a JSON boolean false, and no captureAmount when the amount is omitted', async () => {
    nextReply = {
      body: JSON.stringify({
        result: { resultCode: 'SUCCESS', resultStatus: 'S' },
        paymentId: 'p1',
      }),
    };
    await client.capture({
      provider: 'wallet',
      paymentId: 'p1',
      idempotencyKey: 'k1',
      amount: { currency: 'USD', value: 50n },
      final: false,
    });
    await client.capture({ provider: 'wallet', paymentId: 'p1', idempotencyKey: 'k2' });
    expect(received.map((r) => r.body)).toEqual([
      '{"captureRequestId":"k1","paymentId":"p1","captureAmount":{"value":"50","currency":"USD"},"isLastCapture":false}',
      '{"captureRequestId":"k2","paymentId":"p1"}',
    ]);
  });
});

describe('Alipay+ v2 answers that cannot be trusted', () => {
  it('an unsigned or tampered success is signature_invalid / unknown', async () => {
    for (const signing of ['none', 'tampered'] as const) {
      nextReply = { body: SEED_RESPONSE, signing };
      const error = (await seedCapture())._unsafeUnwrapErr();
      expect(error, signing).toMatchObject({
        code: 'signature_invalid',
        outcome: 'unknown',
        retryable: true,
      });
      expect(error.message).toContain('SAME idempotency key');
    }
  });

  it('an unsigned SIGNATURE_INVALID from the wallet is authentication_failed / failed', async () => {
    nextReply = {
      body: JSON.stringify({
        result: {
          resultCode: 'SIGNATURE_INVALID',
          resultStatus: 'F',
          resultMessage: 'The signature is invalid.',
        },
      }),
      signing: 'none',
    };
    expect((await seedCapture())._unsafeUnwrapErr()).toMatchObject({
      code: 'authentication_failed',
      outcome: 'failed',
      providerCode: 'SIGNATURE_INVALID',
    });
  });

  it('an unsigned answer with another F code is not trusted', async () => {
    nextReply = {
      body: JSON.stringify({ result: { resultCode: 'RISK_REJECT', resultStatus: 'F' } }),
      signing: 'none',
    };
    expect((await seedCapture())._unsafeUnwrapErr()).toMatchObject({
      code: 'signature_invalid',
      outcome: 'unknown',
    });
  });

  it('a plain 404 from a gateway names the baseUrl prefix; a plain 429 is rate_limited', async () => {
    nextReply = {
      status: 404,
      body: '<html>Not Found</html>',
      signing: 'none',
      contentType: 'text/html',
    };
    const notFound = (await seedCapture())._unsafeUnwrapErr();
    expect(notFound).toMatchObject({ code: 'invalid_request', outcome: 'failed', httpStatus: 404 });
    expect(notFound.message).toContain('alipayV2({ baseUrl })');
    nextReply = { status: 429, body: '', signing: 'none' };
    expect((await seedCapture())._unsafeUnwrapErr()).toMatchObject({
      code: 'rate_limited',
      outcome: 'failed',
      retryable: true,
    });
  });

  it('a 5xx is provider_error / unknown even when signed', async () => {
    nextReply = { status: 503, body: SEED_RESPONSE };
    expect((await seedCapture())._unsafeUnwrapErr()).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
      httpStatus: 503,
    });
  });

  it('resultStatus A (accepted) is a pending capture', async () => {
    nextReply = {
      body: JSON.stringify({
        result: { resultCode: 'ACCEPT', resultStatus: 'A' },
        paymentId: '20191127190741010007013213121',
      }),
    };
    expect((await seedCapture())._unsafeUnwrap().status).toBe('pending');
  });

  it.each([
    ['an answer for another captureRequestId', SEED_RESPONSE.replace('013213156', '013213157')],
    ['an unreadable captureAmount', SEED_RESPONSE.replace('"value":"1000"', '"value":"10.00"')],
    ['a body without result', '{"paymentId":"x"}'],
    ['a signed body that is not JSON', 'OK'],
  ])('%s is provider_error / unknown', async (_name, body) => {
    nextReply = { body };
    expect((await seedCapture())._unsafeUnwrapErr()).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
    });
  });

  it('a captured amount different from the one asked is caught by the client', async () => {
    nextReply = { body: SEED_RESPONSE.replaceAll('"value":"1000"', '"value":"999"') };
    expect((await seedCapture())._unsafeUnwrapErr()).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
    });
  });
});

describe('Alipay+ v2 prefixes', () => {
  it.each(['/api', '/api/open'])(
    'captures and resolves under %s, signing the full path',
    async (prefix) => {
      const fixture = await startWallet({ prefix });
      try {
        const payment = await fixture.sim.authorize({ amount: 700n });
        const key = `${payment.paymentId}-prefix`;
        const captured = await fixture.client.capture({
          provider: 'wallet',
          paymentId: payment.paymentId,
          idempotencyKey: key,
        });
        expect(captured._unsafeUnwrap().amount).toEqual({ currency: 'USD', value: 700n });
        // A second client (a fresh journal) asks the wallet; the first one would answer
        // from its journal, which already holds the success.
        const asker = createCaptureClient({
          providers: {
            wallet: alipayV2({ ...fixture.sim.credentials, baseUrl: fixture.sim.baseUrl }),
          },
        });
        const resolved = await asker.resolve({
          provider: 'wallet',
          paymentId: payment.paymentId,
          idempotencyKey: key,
        });
        expect(resolved._unsafeUnwrap().status).toBe('succeeded');
        expect(fixture.sim.requests.map((r) => r.path)).toEqual([
          `${prefix}/v2/payments/capture`,
          `${prefix}/v2/payments/inquiryPayment`,
        ]);
        expect(fixture.sim.baseUrl).toBe(`${fixture.sim.url}${prefix}`);
        await asker.close();
      } finally {
        await fixture.close();
      }
    },
  );
});

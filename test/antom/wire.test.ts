import { generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import { type AntomSettings, antom } from '../../src/providers/antom/index.js';
import { type Loopback, startLoopback } from './antom-fixture.js';
import {
  SEED_AIRLINE_REQUEST,
  SEED_CAPTURE_REQUEST,
  SEED_CAPTURE_RESPONSE,
} from './seed-fixtures.js';

// Everything on the Antom side of these tests uses plain node:crypto, never the library.
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const antomKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const CLIENT_ID = 'SANDBOX_5YBZ0G2ZC0LE01234';

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function antomSignature(key: KeyObject, content: string): string {
  return encodeURIComponent(sign('sha256', Buffer.from(content, 'utf8'), key).toString('base64'));
}

/** Answers every request with `body`, signed by "Antom" over the request path. */
function serve(loopback: Loopback, received: Received[], body: string, clientId = CLIENT_ID) {
  loopback.handler = (req, res, raw) => {
    const path = req.url ?? '/';
    received.push({ path, headers: req.headers, body: raw.toString('utf8') });
    const time = '2022-09-19T09:59:17-07:00';
    const signature = antomSignature(
      antomKeys.privateKey,
      `POST ${path}\n${clientId}.${time}.${body}`,
    );
    res.writeHead(200, {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': clientId,
      'response-time': time,
      signature: `algorithm=RSA256,keyVersion=1,signature=${signature}`,
    });
    res.end(body);
  };
}

function settings(loopback: Loopback, extra: Partial<AntomSettings> = {}): AntomSettings {
  return {
    clientId: CLIENT_ID,
    privateKey: merchant.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    antomPublicKey: antomKeys.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    baseUrl: loopback.url,
    timeoutMs: 2_000,
    ...extra,
  };
}

/** Every scalar in a JSON value, with its path. */
function scalars(value: unknown, path = '$'): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => scalars(item, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => scalars(item, `${path}.${key}`));
  }
  return [[path, value]];
}

describe('Antom wire format (seed examples)', () => {
  let loopback: Loopback;
  beforeAll(async () => {
    loopback = await startLoopback();
  });
  afterAll(async () => {
    await loopback.close();
  });

  it('CAPTURE_SUCCESSFUL: the request is the seed example byte for byte, the response maps to the documented Capture', async () => {
    const received: Received[] = [];
    serve(loopback, received, JSON.stringify(JSON.parse(SEED_CAPTURE_RESPONSE)));
    const client = createCaptureClient({ providers: { antom: antom(settings(loopback)) } });
    const seed = JSON.parse(SEED_CAPTURE_REQUEST);
    const result = await client.capture({
      provider: 'antom',
      paymentId: seed.paymentId,
      idempotencyKey: seed.captureRequestId,
      amount: { currency: 'HKD', value: 10n },
    });
    await client.close();

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.body).toBe(JSON.stringify(seed));
    expect(request?.path).toBe('/ams/sandbox/api/v1/payments/capture');
    expect(request?.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(request?.headers['client-id']).toBe(CLIENT_ID);
    expect(request?.headers['request-time']).toMatch(/^\d{13}$/);

    expect(result.isOk() && result.value).toEqual({
      provider: 'antom',
      kind: 'antom',
      status: 'succeeded',
      paymentId: '20220919194010890100111740275820195',
      captureId: '20220919194010890100111740275850565',
      idempotencyKey: 'capture_cangxi_lj_20220920_005914_845',
      amount: { currency: 'HKD', value: 10n },
      final: true,
      capturedAt: '2022-09-19T09:59:17-07:00',
      providerMetadata: {
        acquirerReferenceNo: '2022091919031300010740267587902',
        resultCode: 'SUCCESS',
      },
      raw: JSON.parse(SEED_CAPTURE_RESPONSE),
    });
  });

  it('CAPTURE_RELATED_AIRLINE_INFO: transit and captureType go out with the documented names and string values', async () => {
    const received: Received[] = [];
    const seed = JSON.parse(SEED_AIRLINE_REQUEST);
    serve(
      loopback,
      received,
      JSON.stringify({
        result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
        paymentId: seed.paymentId,
        captureRequestId: seed.captureRequestId,
        captureId: '20250109194010800100188580271499999',
        captureAmount: seed.captureAmount,
        captureTime: '2025-01-09T22:06:00+08:00',
      }),
    );
    const client = createCaptureClient({ providers: { antom: antom(settings(loopback)) } });
    const result = await client.capture({
      provider: 'antom',
      paymentId: seed.paymentId,
      idempotencyKey: seed.captureRequestId,
      amount: { currency: 'SGD', value: '2' },
      providerOptions: { antom: { captureType: 'FINAL', transit: seed.transit } },
    });
    await client.close();
    expect(result.isOk()).toBe(true);
    const sent = JSON.parse(received[0]?.body ?? '{}');
    expect(sent).toEqual(seed);
    // The caller's transit object goes out as written, key order included.
    expect(JSON.stringify(sent.transit)).toBe(JSON.stringify(seed.transit));
    for (const [path, value] of scalars(sent)) expect(typeof value, path).toBe('string');
  });

  it('the request signature verifies with plain node:crypto over the sandbox path', async () => {
    const received: Received[] = [];
    serve(loopback, received, JSON.stringify(JSON.parse(SEED_CAPTURE_RESPONSE)));
    const client = createCaptureClient({
      providers: { antom: antom(settings(loopback, { keyVersion: 3 })) },
    });
    await client.capture({
      provider: 'antom',
      paymentId: '20220919194010890100111740275820195',
      idempotencyKey: 'capture_cangxi_lj_20220920_005914_845',
      amount: { currency: 'HKD', value: 10 },
    });
    await client.close();
    const request = received[0];
    if (!request) throw new Error('nothing received');
    const header = String(request.headers.signature);
    const match = /^algorithm=RSA256,keyVersion=3,signature=([A-Za-z0-9%]+)$/.exec(header);
    expect(match, header).not.toBeNull();
    const signature = Buffer.from(decodeURIComponent(match?.[1] ?? ''), 'base64');
    const content = `POST /ams/sandbox/api/v1/payments/capture\n${CLIENT_ID}.${request.headers['request-time']}.${request.body}`;
    expect(verify('sha256', Buffer.from(content, 'utf8'), merchant.publicKey, signature)).toBe(
      true,
    );
    // URL-encoded base64: no raw + / = may remain.
    expect(match?.[1]).not.toMatch(/[+/=]/);
  });

  it('a production client id calls /ams/api/ and signs that path', async () => {
    const received: Received[] = [];
    const clientId = 'PROD_2188120012345678';
    serve(loopback, received, JSON.stringify(JSON.parse(SEED_CAPTURE_RESPONSE)), clientId);
    const client = createCaptureClient({
      providers: {
        antom: antom({
          ...settings(loopback, { clientId }),
          // Bare base64 PKCS#8 and SPKI, as the Antom Dashboard hands them out.
          privateKey: merchant.privateKey
            .export({ format: 'der', type: 'pkcs8' })
            .toString('base64'),
          antomPublicKey: antomKeys.publicKey
            .export({ format: 'der', type: 'spki' })
            .toString('base64'),
        }),
      },
    });
    const result = await client.capture({
      provider: 'antom',
      paymentId: '20220919194010890100111740275820195',
      idempotencyKey: 'capture_cangxi_lj_20220920_005914_845',
      amount: { currency: 'HKD', value: 10 },
    });
    await client.close();
    expect(result.isOk()).toBe(true);
    const request = received[0];
    expect(request?.path).toBe('/ams/api/v1/payments/capture');
    const signature = decodeURIComponent(
      String(request?.headers.signature).split('signature=')[1] ?? '',
    );
    const content = `POST /ams/api/v1/payments/capture\n${clientId}.${request?.headers['request-time']}.${request?.body}`;
    expect(
      verify('sha256', Buffer.from(content), merchant.publicKey, Buffer.from(signature, 'base64')),
    ).toBe(true);
  });

  it('isLastCapture is a string "true"/"false" when the contract allows multiple captures', async () => {
    const received: Received[] = [];
    serve(
      loopback,
      received,
      JSON.stringify({
        result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
      }),
    );
    const client = createCaptureClient({
      providers: {
        antom: antom(
          settings(loopback, { contract: { partialCapture: true, multipleCaptures: true } }),
        ),
      },
    });
    const base = {
      provider: 'antom',
      paymentId: 'P1',
      amount: { currency: 'USD', value: 500n },
    } as const;
    await client.capture({ ...base, idempotencyKey: 'k-1', final: false });
    await client.capture({ ...base, idempotencyKey: 'k-2' });
    await client.close();
    expect(received.map((r) => JSON.parse(r.body).isLastCapture)).toEqual(['false', 'true']);
  });
});

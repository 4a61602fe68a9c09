import { generateKeyPairSync, sign } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import { UNKNOWN_OUTCOME_ADVICE } from '../../src/core/errors.js';
import { type AntomSettings, antom } from '../../src/providers/antom/index.js';
import { startAntomSimulator } from '../../src/testing/simulators/antom.js';
import { type Loopback, startLoopback } from './antom-fixture.js';
import { SEED_CAPTURE_RESPONSE } from './seed-fixtures.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const antomKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const CLIENT_ID = 'SANDBOX_5YBZ0G2ZC0LE01234';
const PATH = '/ams/sandbox/api/v1/payments/capture';
const SUCCESS = JSON.stringify(JSON.parse(SEED_CAPTURE_RESPONSE));

function signed(
  res: ServerResponse,
  body: string,
  options: { key?: typeof antomKeys.privateKey; path?: string; clientId?: string } = {},
) {
  const time = '2022-09-19T09:59:17-07:00';
  const clientId = options.clientId ?? CLIENT_ID;
  const content = `POST ${options.path ?? PATH}\n${clientId}.${time}.${body}`;
  const signature = sign(
    'sha256',
    Buffer.from(content),
    options.key ?? antomKeys.privateKey,
  ).toString('base64');
  res.writeHead(200, {
    'client-id': clientId,
    'response-time': time,
    signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
  });
  res.end(body);
}

describe('Antom response signatures fail closed', () => {
  let loopback: Loopback;
  const settings = (extra: Partial<AntomSettings> = {}): AntomSettings => ({
    clientId: CLIENT_ID,
    privateKey: merchant.privateKey,
    antomPublicKey: antomKeys.publicKey,
    baseUrl: loopback.url,
    timeoutMs: 2_000,
    ...extra,
  });
  const capture = async (extra: Partial<AntomSettings> = {}) => {
    const client = createCaptureClient({ providers: { antom: antom(settings(extra)) } });
    const result = await client.capture({
      provider: 'antom',
      paymentId: '20220919194010890100111740275820195',
      idempotencyKey: 'capture_cangxi_lj_20220920_005914_845',
      amount: { currency: 'HKD', value: 10n },
    });
    await client.close();
    return result;
  };

  beforeAll(async () => {
    loopback = await startLoopback();
  });
  afterAll(async () => {
    await loopback.close();
  });

  const unknownCases: [string, (res: ServerResponse) => void][] = [
    [
      'missing signature',
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(SUCCESS),
    ],
    ['signed by another key', (res) => signed(res, SUCCESS, { key: stranger.privateKey })],
    [
      'signed over another path',
      (res) => signed(res, SUCCESS, { path: '/ams/api/v1/payments/capture' }),
    ],
    ['signed for another client id', (res) => signed(res, SUCCESS, { clientId: 'SANDBOX_OTHER' })],
    [
      'body changed after signing',
      (res) => {
        const time = '1';
        const content = `POST ${PATH}\n${CLIENT_ID}.${time}.${SUCCESS}`;
        const signature = sign('sha256', Buffer.from(content), antomKeys.privateKey).toString(
          'base64',
        );
        res.writeHead(200, {
          'client-id': CLIENT_ID,
          'response-time': time,
          signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
        });
        res.end(SUCCESS.replace('"10"', '"11"'));
      },
    ],
    [
      'garbage signature',
      (res) =>
        res
          .writeHead(200, {
            'client-id': CLIENT_ID,
            'response-time': '1',
            signature: 'algorithm=RSA256,keyVersion=1,signature=%%%',
          })
          .end(SUCCESS),
    ],
    [
      'unsigned SIGNATURE_INVALID-looking body with status U',
      (res) =>
        res
          .writeHead(200)
          .end(
            '{"result":{"resultCode":"SIGNATURE_INVALID","resultStatus":"U","resultMessage":"x"}}',
          ),
    ],
  ];

  it.each(unknownCases)(
    '%s → Err(signature_invalid, unknown), never success',
    async (_name, answer) => {
      loopback.handler = (_req, res) => answer(res);
      const result = await capture();
      expect(result.isErr()).toBe(true);
      const error = result._unsafeUnwrapErr();
      expect(error).toMatchObject({
        code: 'signature_invalid',
        outcome: 'unknown',
        retryable: true,
      });
      expect(error.message).toContain(UNKNOWN_OUTCOME_ADVICE);
    },
  );

  it('a correctly signed success is accepted', async () => {
    loopback.handler = (_req, res) => signed(res, SUCCESS);
    expect((await capture()).isOk()).toBe(true);
  });

  it('an unsigned SIGNATURE_INVALID answer is authentication_failed / failed (Antom rejected our signature)', async () => {
    loopback.handler = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          '{"result":{"resultCode":"SIGNATURE_INVALID","resultStatus":"F","resultMessage":"Invalid signature"}}',
        );
    const error = (await capture())._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'authentication_failed',
      outcome: 'failed',
      providerCode: 'SIGNATURE_INVALID',
    });
    expect(error.message).toMatch(/privateKey/);
  });

  it('5xx is provider_error / unknown whatever its signature', async () => {
    loopback.handler = (_req, res) => res.writeHead(502).end('Bad Gateway');
    expect((await capture())._unsafeUnwrapErr()).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
      httpStatus: 502,
    });
  });

  it('verifyResponses: false accepts an unsigned answer (documented opt-out)', async () => {
    loopback.handler = (_req, res) => res.writeHead(200).end(SUCCESS);
    expect((await capture({ verifyResponses: false })).isOk()).toBe(true);
  });

  it('a signed answer that is not JSON is provider_error / unknown', async () => {
    loopback.handler = (_req, res) => signed(res, 'not json');
    expect((await capture())._unsafeUnwrapErr()).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
    });
  });

  it('resolve() with a bad inquiry signature is unknown (ask again), not a verdict', async () => {
    loopback.handler = (_req, res) =>
      signed(res, '{"result":{"resultStatus":"S"}}', { key: stranger.privateKey });
    const client = createCaptureClient({ providers: { antom: antom(settings()) } });
    const result = await client.resolve({ provider: 'antom', paymentId: 'P', idempotencyKey: 'k' });
    await client.close();
    expect(result._unsafeUnwrapErr()).toMatchObject({
      code: 'signature_invalid',
      outcome: 'unknown',
    });
  });
});

describe('against the simulator: wrong merchant key, unknown client, unknown key version', () => {
  it('maps the simulator refusals to authentication_failed / failed, nothing captured', async () => {
    const sim = await startAntomSimulator();
    const payment = await sim.authorize({ amount: 2000n, currency: 'USD' });
    const attempt = async (extra: Partial<AntomSettings>) => {
      const client = createCaptureClient({
        providers: { antom: antom({ ...sim.credentials, baseUrl: sim.baseUrl, ...extra }) },
      });
      const result = await client.capture({
        provider: 'antom',
        paymentId: payment.paymentId,
        amount: payment.amount,
      });
      await client.close();
      return result._unsafeUnwrapErr();
    };
    expect(await attempt({ privateKey: stranger.privateKey })).toMatchObject({
      code: 'authentication_failed',
      outcome: 'failed',
      providerCode: 'SIGNATURE_INVALID',
    });
    expect(await attempt({ clientId: 'SANDBOX_UNKNOWN' })).toMatchObject({
      code: 'authentication_failed',
      providerCode: 'CLIENT_INVALID',
    });
    expect(await attempt({ keyVersion: 2 })).toMatchObject({
      code: 'authentication_failed',
      providerCode: 'KEY_NOT_FOUND',
    });
    // The simulator's answers are signed by its own key: a wrong antomPublicKey is unknown.
    expect(await attempt({ antomPublicKey: stranger.publicKey })).toMatchObject({
      code: 'signature_invalid',
      outcome: 'unknown',
    });
    const state = await sim.payment(payment.paymentId);
    expect(state.capturedTotal).toBe(2000n); // the last attempt did capture: that is why it is unknown
    await sim.close();
  });
});

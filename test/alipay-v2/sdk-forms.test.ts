import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadPrivateKey,
  loadPublicKey,
  parseSignatureHeader,
  signedContent,
  signRsa256,
  verifyRsa256,
} from '../../src/provider-kit/rsa-signature.js';
import {
  type AlipayV2Simulator,
  startAlipayV2Simulator,
} from '../../src/testing/simulators/alipay-v2.js';
import { pythonIsoTime, quotePlus, rawHttp } from '../simulators/raw-http.js';

// The Alipay family's official SDKs (Java, Go) send an epoch-ms `Request-Time` and write the
// headers as `Request-Time` / `Signature` / `client-id`; the AMS convention writes booleans as
// the strings "true" / "false". The v2 pages show ISO-8601 and a JSON boolean. The simulator
// accepts all of them; each request is built by hand and signed with the project's helpers.

describe('the Alipay+ v2 simulator accepts every form the official SDKs send', () => {
  let sim: AlipayV2Simulator;
  let capturePath: string;
  beforeAll(async () => {
    sim = await startAlipayV2Simulator({ prefix: '/acl/api' });
    capturePath = `${sim.prefix}/v2/payments/capture`;
  });
  afterAll(() => sim.close());

  const send = async (options: {
    body: Record<string, unknown>;
    time: string;
    target?: string;
    names?: readonly [string, string, string];
    signature?: (base64: string) => string;
  }) => {
    const body = JSON.stringify(options.body);
    const base64 = signRsa256(
      signedContent('POST', capturePath, sim.credentials.clientId, options.time, body),
      loadPrivateKey(sim.credentials.privateKey, 'test'),
    );
    const [clientName, timeName, signatureName] = options.names ?? [
      'client-id',
      'Request-Time',
      'Signature',
    ];
    const response = await rawHttp(sim.url, {
      target: options.target ?? capturePath,
      headers: [
        ['Content-Type', 'application/json; charset=UTF-8'],
        [clientName, sim.credentials.clientId],
        [timeName, options.time],
        [
          signatureName,
          options.signature?.(base64) ??
            `algorithm=RSA256,keyVersion=1,signature=${quotePlus(base64)}`,
        ],
      ],
      body,
    });
    const json = JSON.parse(response.body) as { result: { resultCode: string } };
    return { response, json };
  };

  const newPayment = async (amount = 1000n) => (await sim.authorize({ amount })).paymentId;

  it('Java/Go SDK: epoch-ms Request-Time and a boolean isLastCapture', async () => {
    const paymentId = await newPayment();
    const { response, json } = await send({
      body: {
        captureRequestId: `${paymentId}-java`,
        paymentId,
        captureAmount: { currency: 'USD', value: '400' },
        isLastCapture: false,
      },
      time: String(Date.now()),
    });
    expect(json.result.resultCode).toBe('SUCCESS');
    const parsed = parseSignatureHeader(response.headers.signature);
    const content = signedContent(
      'POST',
      capturePath,
      response.headers['client-id'] ?? '',
      response.headers['response-time'] ?? '',
      response.body,
    );
    expect(
      verifyRsa256(
        content,
        parsed?.signature ?? '',
        loadPublicKey(sim.credentials.walletPublicKey, 'test'),
      ),
    ).toBe(true);
    expect((await sim.payment(paymentId)).captures.map((c) => c.final)).toEqual([false]);
  });

  it('isLastCapture as the strings "false" then "true", with ISO request times', async () => {
    const paymentId = await newPayment();
    const capture = (key: string, value: string, isLastCapture: string) =>
      send({
        body: {
          captureRequestId: key,
          paymentId,
          captureAmount: { currency: 'USD', value },
          isLastCapture,
        },
        time: pythonIsoTime(Date.now()),
      });
    expect((await capture(`${paymentId}-1`, '300', 'false')).json.result.resultCode).toBe(
      'SUCCESS',
    );
    expect((await capture(`${paymentId}-2`, '200', 'true')).json.result.resultCode).toBe('SUCCESS');
    const state = await sim.payment(paymentId);
    expect(state.captures.map((c) => c.final)).toEqual([false, true]);
    expect(state.capturedTotal).toBe(500n);
  });

  it('a replay with the other spelling of the same isLastCapture is the same capture', async () => {
    const paymentId = await newPayment();
    const fields = { captureRequestId: `${paymentId}-r`, paymentId };
    const first = await send({
      body: { ...fields, isLastCapture: 'true' },
      time: String(Date.now()),
    });
    const again = await send({
      body: { ...fields, isLastCapture: true },
      time: String(Date.now()),
    });
    expect(first.json.result.resultCode).toBe('SUCCESS');
    expect(again.json).toEqual(first.json);
    expect((await sim.payment(paymentId)).captures).toHaveLength(1);
  });

  it('an absolute-form request line reaches the same route, signed over the path', async () => {
    const paymentId = await newPayment();
    const { json } = await send({
      target: `${sim.url}${capturePath}`,
      body: { captureRequestId: `${paymentId}-abs`, paymentId },
      time: String(Date.now()),
    });
    expect(json.result.resultCode).toBe('SUCCESS');
    expect((await sim.payment(paymentId)).capturedTotal).toBe(1000n);
  });

  it.each([
    [
      'upper-case names, the spaced Signature form of the v2 pages',
      ['CLIENT-ID', 'REQUEST-TIME', 'SIGNATURE'] as const,
      (b: string) => `algorithm=RSA256, keyVersion=1, signature=${encodeURIComponent(b)}`,
    ],
    [
      'lower-case names, compact Signature',
      ['client-id', 'request-time', 'signature'] as const,
      (b: string) => `algorithm=RSA256,keyVersion=1,signature=${quotePlus(b)}`,
    ],
  ])('accepts %s', async (_name, names, signature) => {
    const paymentId = await newPayment();
    const { json } = await send({
      body: { captureRequestId: `${paymentId}-h`, paymentId },
      time: String(Date.now()),
      names,
      signature,
    });
    expect(json.result.resultCode).toBe('SUCCESS');
  });

  it.each([
    ['epoch seconds', '1685599933'],
    ['a date without time zone', '2019-04-04T12:08:56'],
    ['epoch ms with a sign', '-1685599933871'],
  ])('still refuses a Request-Time in %s (PARAM_ILLEGAL)', async (_name, time) => {
    const paymentId = await newPayment();
    const { json } = await send({ body: { captureRequestId: `${paymentId}-t`, paymentId }, time });
    expect(json.result.resultCode).toBe('PARAM_ILLEGAL');
    expect((await sim.payment(paymentId)).captures).toHaveLength(0);
  });

  it('still refuses isLastCapture that is neither a boolean nor "true"/"false"', async () => {
    const paymentId = await newPayment();
    const { json } = await send({
      body: { captureRequestId: `${paymentId}-x`, paymentId, isLastCapture: 'no' },
      time: String(Date.now()),
    });
    expect(json.result.resultCode).toBe('PARAM_ILLEGAL');
  });
});

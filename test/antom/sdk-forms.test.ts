import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadPrivateKey,
  loadPublicKey,
  signedContent,
  signRsa256,
} from '../../src/provider-kit/rsa-signature.js';
import { verifyAntomMessage } from '../../src/providers/antom/signing.js';
import { type AntomSimulator, startAntomSimulator } from '../../src/testing/simulators/antom.js';
import { pythonIsoTime, quotePlus, rawHttp } from '../simulators/raw-http.js';

// What the official SDKs write, learned from alipay/global-open-sdk-python (default_alipay_client,
// net/default_http_rpc, tools/signature_tool, tools/date_tools) and global-open-sdk-java
// (BaseAlipayClient, tools/Constants): Python puts an absolute-form request line, an ISO-8601
// `Request-Time` without milliseconds and a body indented by 3; Java sends epoch ms; both send
// `isLastCapture` as a JSON boolean and spell the headers `Request-Time` / `Signature` /
// `client-id`. Each request below is built by hand and signed with the project's RSA helpers.

const CAPTURE = '/ams/sandbox/api/v1/payments/capture';

describe('the Antom simulator accepts every form the official SDKs send', () => {
  let sim: AntomSimulator;
  beforeAll(async () => {
    sim = await startAntomSimulator({
      contract: { partialCapture: true, multipleCaptures: true },
    });
  });
  afterAll(() => sim.close());

  const sign = (path: string, time: string, body: string) =>
    signRsa256(
      signedContent('POST', path, sim.credentials.clientId, time, body),
      loadPrivateKey(sim.credentials.privateKey, 'test'),
    );

  const send = async (options: {
    target?: string;
    body: string;
    time: string;
    names?: { clientId?: string; time?: string; signature?: string; contentType?: string };
    signature?: (base64: string) => string;
    signedPath?: string;
  }) => {
    const names = options.names ?? {};
    const base64 = sign(options.signedPath ?? CAPTURE, options.time, options.body);
    const header =
      options.signature?.(base64) ?? `algorithm=RSA256,keyVersion=1,signature=${quotePlus(base64)}`;
    const response = await rawHttp(sim.url, {
      target: options.target ?? CAPTURE,
      headers: [
        [names.contentType ?? 'Content-type', 'application/json; charset=UTF-8'],
        [names.time ?? 'Request-Time', options.time],
        [names.clientId ?? 'client-id', sim.credentials.clientId],
        [names.signature ?? 'Signature', header],
      ],
      body: options.body,
    });
    const json = JSON.parse(response.body) as {
      result: { resultCode: string; resultStatus: string };
      captureId?: string;
    };
    return { response, json };
  };

  const newPayment = async (amount = 10_000n) =>
    (await sim.authorize({ amount, currency: 'USD' })).paymentId;

  it('Python SDK: absolute-form request line, ISO request time, indented body, boolean isLastCapture', async () => {
    const paymentId = await newPayment();
    const body = JSON.stringify(
      {
        captureRequestId: `${paymentId}-py`,
        paymentId,
        captureAmount: { currency: 'USD', value: '10000' },
        isLastCapture: true,
      },
      null,
      3,
    );
    const time = pythonIsoTime(Date.now());
    const { response, json } = await send({
      target: `${sim.url}${CAPTURE}`,
      body,
      time,
    });
    expect(response.status).toBe(200);
    expect(json.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
    // The answer is signed over the PATH, which is what the Python SDK verifies.
    expect(
      verifyAntomMessage(
        loadPublicKey(sim.credentials.antomPublicKey, 'test'),
        response.headers.signature,
        {
          method: 'POST',
          path: CAPTURE,
          clientId: response.headers['client-id'] ?? '',
          time: response.headers['response-time'],
          body: response.body,
        },
      ),
    ).toBe('valid');
    expect((await sim.payment(paymentId)).capturedTotal).toBe(10_000n);
  });

  it('absolute form: the signature still covers only the path (an absolute URL signed is refused)', async () => {
    const paymentId = await newPayment();
    const body = JSON.stringify({
      captureRequestId: `${paymentId}-abs`,
      paymentId,
      captureAmount: { currency: 'USD', value: '10000' },
    });
    const { json } = await send({
      target: `${sim.url}${CAPTURE}`,
      signedPath: `${sim.url}${CAPTURE}`,
      body,
      time: String(Date.now()),
    });
    expect(json.result.resultCode).toBe('SIGNATURE_INVALID');
    expect((await sim.payment(paymentId)).capturedTotal).toBe(0n);
  });

  it('Java SDK: epoch-ms Request-Time and isLastCapture as a JSON boolean false, then true', async () => {
    const paymentId = await newPayment();
    const capture = (key: string, value: string, isLastCapture: boolean) =>
      send({
        body: JSON.stringify({
          captureAmount: { currency: 'USD', value },
          captureRequestId: key,
          isLastCapture,
          paymentId,
        }),
        time: String(Date.now()),
      });
    expect((await capture(`${paymentId}-j1`, '4000', false)).json.result.resultCode).toBe(
      'SUCCESS',
    );
    expect((await capture(`${paymentId}-j2`, '1000', true)).json.result.resultCode).toBe('SUCCESS');
    const state = await sim.payment(paymentId);
    expect(state.captures.map((c) => c.final)).toEqual([false, true]);
    expect(state.status).toBe('CLOSED');
  });

  it('isLastCapture as the documented string still works, and a replay in the boolean form is the same request', async () => {
    const paymentId = await newPayment();
    const fields = {
      captureRequestId: `${paymentId}-s`,
      paymentId,
      captureAmount: { currency: 'USD', value: '2500' },
    };
    const first = await send({
      body: JSON.stringify({ ...fields, isLastCapture: 'false' }),
      time: String(Date.now()),
    });
    const replay = await send({
      body: JSON.stringify({ ...fields, isLastCapture: false }),
      time: String(Date.now()),
    });
    expect(first.json.result.resultCode).toBe('SUCCESS');
    expect(replay.json.result.resultCode).toBe('SUCCESS');
    expect(replay.json.captureId).toBe(first.json.captureId);
    expect((await sim.payment(paymentId)).captures).toHaveLength(1);
  });

  it.each([
    ['a number', 1],
    ['another string', 'yes'],
    ['null', null],
  ])('isLastCapture as %s is PARAM_ILLEGAL', async (_name, isLastCapture) => {
    const paymentId = await newPayment();
    const { json } = await send({
      body: JSON.stringify({
        captureRequestId: `${paymentId}-bad`,
        paymentId,
        captureAmount: { currency: 'USD', value: '100' },
        isLastCapture,
      }),
      time: String(Date.now()),
    });
    expect(json.result.resultCode).toBe('PARAM_ILLEGAL');
  });

  it.each([
    [
      'upper-case header names, spaced signature parts',
      { clientId: 'CLIENT-ID', time: 'REQUEST-TIME', signature: 'SIGNATURE' },
      (b: string) => `algorithm=RSA256, keyVersion=1, signature=${quotePlus(b)}`,
    ],
    [
      'lower-case header names, unencoded base64',
      { clientId: 'client-id', time: 'request-time', signature: 'signature' },
      (b: string) => `algorithm=RSA256,keyVersion=1,signature=${b}`,
    ],
    [
      'mixed case, no keyVersion',
      { clientId: 'Client-Id', time: 'Request-time', signature: 'sIgNaTuRe' },
      (b: string) => `algorithm=RSA256, signature=${encodeURIComponent(b)}`,
    ],
  ])('accepts %s', async (_name, names, signature) => {
    const paymentId = await newPayment();
    const { json } = await send({
      body: JSON.stringify({
        captureRequestId: `${paymentId}-h`,
        paymentId,
        captureAmount: { currency: 'USD', value: '10000' },
      }),
      time: String(Date.now()),
      names: { ...names, contentType: 'CONTENT-TYPE' },
      signature,
    });
    expect(json.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureError } from '../../src/core/errors.js';
import { loadPrivateKey, loadPublicKey } from '../../src/provider-kit/rsa-signature.js';
import { signAntomMessage, verifyAntomMessage } from '../../src/providers/antom/signing.js';
import { DAY_MS } from '../../src/testing/manual-clock.js';
import {
  type AntomFixture,
  antomClient,
  eventually,
  startAntomFixture,
  startLoopback,
} from './antom-fixture.js';
import { SEED_CAPTURE_CODES } from './seed-fixtures.js';

/** Sends one raw signed request to the simulator, as a merchant would. */
async function rawCall(
  f: AntomFixture,
  api: string,
  payload: unknown,
  options: { method?: string; contentType?: string } = {},
) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const { clientId } = f.sim.credentials;
  const path = `/ams/sandbox/api/${api}`;
  const time = String(Date.now());
  const method = options.method ?? 'POST';
  const signature = signAntomMessage(loadPrivateKey(f.sim.credentials.privateKey, 'test'), {
    method,
    path,
    clientId,
    time,
    body,
  });
  const response = await fetch(`${f.sim.url}${path}`, {
    method,
    headers: {
      'content-type': options.contentType ?? 'application/json; charset=UTF-8',
      'client-id': clientId,
      'request-time': time,
      signature,
    },
    ...(method === 'POST' ? { body } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

describe('Antom simulator: every seed code is reachable', () => {
  let f: AntomFixture;
  let partial: AntomFixture;
  let partialOnly: AntomFixture;
  beforeAll(async () => {
    f = await startAntomFixture();
    partial = await startAntomFixture({
      contract: { partialCapture: true, multipleCaptures: true, maxCaptures: 2 },
    });
    partialOnly = await startAntomFixture({ contract: { partialCapture: true } });
  });
  afterAll(async () => {
    await f.close();
    await partial.close();
    await partialOnly.close();
  });

  const captureErr = async (
    fx: AntomFixture,
    request: Record<string, unknown> = {},
    authorize = {},
  ) => {
    const payment = await fx.sim.authorize({ amount: 10_000n, currency: 'USD', ...authorize });
    const result = await fx.client.capture({
      provider: 'antom',
      paymentId: payment.paymentId,
      amount: payment.amount,
      ...request,
    });
    if (result.isOk()) throw new Error('expected an error');
    return { error: result.error, payment };
  };
  const injected = (code: string) => async () => {
    f.sim.injectResult({ resultCode: code });
    return (await captureErr(f)).error;
  };

  const scenarios: Record<string, () => Promise<CaptureError>> = {
    SUCCESS: async () => {
      const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
      const ok = await f.client.capture({
        provider: 'antom',
        paymentId: payment.paymentId,
        amount: payment.amount,
      });
      expect(ok.isOk()).toBe(true);
      return { providerCode: 'SUCCESS' } as CaptureError;
    },
    ACCESS_DENIED: injected('ACCESS_DENIED'),
    AUTH_CANCELLED: async () => {
      const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
      f.sim.cancelAuthorization(payment.paymentId);
      const r = await f.client.capture({
        provider: 'antom',
        paymentId: payment.paymentId,
        amount: payment.amount,
      });
      return r._unsafeUnwrapErr();
    },
    AUTH_EXPIRED: async () => {
      // Its own simulator: moving the clock must not age the other scenarios' payments.
      const own = await startAntomFixture();
      const payment = await own.sim.authorize({ amount: 100n, currency: 'USD' });
      own.sim.advanceClock(7 * DAY_MS + 1);
      const r = await own.client.capture({
        provider: 'antom',
        paymentId: payment.paymentId,
        amount: payment.amount,
      });
      await own.close();
      return r._unsafeUnwrapErr();
    },
    AUTH_NOT_FOUND: async () => {
      const r = await f.client.capture({
        provider: 'antom',
        paymentId: '20260101194010800199999999999999999',
        amount: { currency: 'USD', value: 100n },
      });
      return r._unsafeUnwrapErr();
    },
    CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: async () =>
      (await captureErr(f, { amount: { currency: 'USD', value: 10_001n } })).error,
    CAPTURE_IN_PROCESS: async () => {
      f.sim.injectFault({ kind: 'unknown_status', providerCode: 'CAPTURE_IN_PROCESS' });
      return (await captureErr(f)).error;
    },
    CURRENCY_NOT_SUPPORT: async () =>
      (await captureErr(f, { amount: { currency: 'EUR', value: 10_000n } })).error,
    MULTI_CAPTURE_NOT_SUPPORTED: async () => {
      // A contract with partial capture but one capture per authorization.
      const payment = await partialOnly.sim.authorize({ amount: 10_000n, currency: 'USD' });
      const capture = (value: bigint, key: string) =>
        partialOnly.client.capture({
          provider: 'antom',
          paymentId: payment.paymentId,
          amount: { currency: 'USD', value },
          idempotencyKey: `${key}-${payment.paymentId}`,
        });
      expect((await capture(4_000n, 'one')).isOk()).toBe(true);
      return (await capture(1_000n, 'two'))._unsafeUnwrapErr();
    },
    INVALID_CONTRACT: async () =>
      (await captureErr(f, { amount: { currency: 'USD', value: 4_000n } })).error,
    NO_PAY_OPTIONS: injected('NO_PAY_OPTIONS'),
    ORDER_IS_CANCELED: async () => {
      const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
      const cancelled = await rawCall(f, 'v1/payments/cancel', { paymentId: payment.paymentId });
      expect(cancelled.json.result.resultStatus).toBe('S');
      const r = await f.client.capture({
        provider: 'antom',
        paymentId: payment.paymentId,
        amount: payment.amount,
      });
      return r._unsafeUnwrapErr();
    },
    ORDER_STATUS_INVALID: async () => (await captureErr(f, {}, { captureMode: 'AUTOMATIC' })).error,
    PARAM_ILLEGAL: async () => {
      const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
      const raw = await rawCall(f, 'v1/payments/capture', {
        paymentId: payment.paymentId,
        captureRequestId: 'raw-1',
        captureAmount: { currency: 'USD', value: 100 },
      });
      return { providerCode: raw.json.result.resultCode } as CaptureError;
    },
    PAYMENT_COUNT_EXCEED_LIMIT: async () => {
      const payment = await partial.sim.authorize({ amount: 10_000n, currency: 'USD' });
      const small = (key: string) =>
        partial.client.capture({
          provider: 'antom',
          paymentId: payment.paymentId,
          amount: { currency: 'USD', value: 100n },
          final: false,
          idempotencyKey: key,
        });
      expect((await small(`${payment.paymentId}-1`)).isOk()).toBe(true);
      expect((await small(`${payment.paymentId}-2`)).isOk()).toBe(true);
      return (await small(`${payment.paymentId}-3`))._unsafeUnwrapErr();
    },
    PROCESS_FAIL: injected('PROCESS_FAIL'),
    REPEAT_REQ_INCONSISTENT: async () => {
      const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
      const base = {
        provider: 'antom',
        paymentId: payment.paymentId,
        idempotencyKey: `dup-${payment.paymentId}`,
      };
      expect((await f.client.capture({ ...base, amount: payment.amount })).isOk()).toBe(true);
      // In-process the journal refuses the conflict before sending; a restarted process
      // (a fresh client) reaches Antom, which answers REPEAT_REQ_INCONSISTENT.
      const restarted = antomClient(f.sim);
      const conflict = await restarted.capture({
        ...base,
        amount: { currency: 'USD', value: 50n },
      });
      await restarted.close();
      return conflict._unsafeUnwrapErr();
    },
    RISK_REJECT: injected('RISK_REJECT'),
    USER_AMOUNT_EXCEED_LIMIT: injected('USER_AMOUNT_EXCEED_LIMIT'),
    USER_BALANCE_NOT_ENOUGH: injected('USER_BALANCE_NOT_ENOUGH'),
    USER_NOT_EXIST: injected('USER_NOT_EXIST'),
    USER_STATUS_ABNORMAL: injected('USER_STATUS_ABNORMAL'),
    UNKNOWN_EXCEPTION: async () => {
      f.sim.injectFault({ kind: 'unknown_status' });
      return (await captureErr(f)).error;
    },
  };

  it('covers the whole seed table', () => {
    expect(Object.keys(scenarios).sort()).toEqual(Object.keys(SEED_CAPTURE_CODES).sort());
  });

  it.each(Object.keys(SEED_CAPTURE_CODES))('%s', async (code) => {
    const scenario = scenarios[code];
    if (!scenario) throw new Error(`no scenario for ${code}`);
    const error = await scenario();
    expect(error.providerCode).toBe(code);
  });
});

describe('Antom simulator: protocol behaviour', () => {
  let f: AntomFixture;
  beforeAll(async () => {
    f = await startAntomFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('answers are signed with Antom key over the request path and verify', async () => {
    const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
    const raw = await rawCall(f, 'v1/payments/inquiryPayment', { paymentId: payment.paymentId });
    const check = verifyAntomMessage(
      loadPublicKey(f.sim.credentials.antomPublicKey, 'test'),
      raw.headers.get('signature') ?? undefined,
      {
        method: 'POST',
        path: '/ams/sandbox/api/v1/payments/inquiryPayment',
        clientId: raw.headers.get('client-id') ?? '',
        time: raw.headers.get('response-time') ?? undefined,
        body: raw.text,
      },
    );
    expect(check).toBe('valid');
    expect(raw.json.paymentAmount).toEqual({ currency: 'USD', value: '100' });
  });

  it('inquiry by paymentRequestId, unknown payment ORDER_NOT_EXIST', async () => {
    const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
    const byId = await rawCall(f, 'v1/payments/inquiryPayment', { paymentId: payment.paymentId });
    const byRequest = await rawCall(f, 'v1/payments/inquiryPayment', {
      paymentRequestId: byId.json.paymentRequestId,
    });
    expect(byRequest.json.paymentId).toBe(payment.paymentId);
    const missing = await rawCall(f, 'v1/payments/inquiryPayment', { paymentId: 'nope' });
    expect(missing.json.result).toMatchObject({ resultCode: 'ORDER_NOT_EXIST', resultStatus: 'F' });
  });

  it('refuses a wrong method, media type, path and production path for a sandbox id', async () => {
    const get = await rawCall(f, 'v1/payments/capture', '', { method: 'GET' });
    expect(get.json.result.resultCode).toBe('METHOD_NOT_SUPPORTED');
    const text = await rawCall(f, 'v1/payments/capture', '{}', { contentType: 'text/plain' });
    expect(text.json.result.resultCode).toBe('MEDIA_TYPE_NOT_ACCEPTABLE');
    const unknown = await rawCall(f, 'v1/payments/refundAll', '{}');
    expect(unknown.json.result.resultCode).toBe('INVALID_API');
    const prod = await fetch(`${f.sim.url}/ams/api/v1/payments/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'client-id': f.sim.credentials.clientId },
      body: '{}',
    });
    expect(((await prod.json()) as { result: { resultCode: string } }).result.resultCode).toBe(
      'CLIENT_INVALID',
    );
    expect(prod.headers.get('signature')).toBeNull();
  });

  it('idempotency: after F the same key replays F; after U the retry answers amount-exceeded until final, then the final result', async () => {
    const payment = await f.sim.authorize({ amount: 300n, currency: 'USD' });
    const request = {
      provider: 'antom',
      paymentId: payment.paymentId,
      amount: payment.amount,
      idempotencyKey: `f-${payment.paymentId}`,
    };
    f.sim.injectResult({ resultCode: 'RISK_REJECT' });
    expect((await f.client.capture(request))._unsafeUnwrapErr().providerCode).toBe('RISK_REJECT');
    expect((await f.client.capture(request))._unsafeUnwrapErr().providerCode).toBe('RISK_REJECT');
    expect(f.sim.notifications.some((n) => n.captureRequestId === request.idempotencyKey)).toBe(
      false,
    );

    const second = await f.sim.authorize({ amount: 300n, currency: 'USD' });
    const uRequest = {
      ...request,
      paymentId: second.paymentId,
      amount: second.amount,
      idempotencyKey: `u-${second.paymentId}`,
    };
    f.sim.injectFault({ kind: 'unknown_status', providerCode: 'CAPTURE_IN_PROCESS' });
    const first = (await f.client.capture(uRequest))._unsafeUnwrapErr();
    expect(first).toMatchObject({ code: 'capture_in_progress', outcome: 'unknown' });
    const duplicate = (await f.client.capture(uRequest))._unsafeUnwrapErr();
    expect(duplicate.providerCode).toBe('CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT');
    expect((await f.sim.payment(second.paymentId)).captures).toHaveLength(1);
    await f.sim.settle();
    const final = await f.client.capture(uRequest);
    expect(final.isOk()).toBe(true);
    expect((await f.sim.payment(second.paymentId)).capturedTotal).toBe(300n);
  });

  it('a U capture becomes final at the 2nd inquiry; resolve reports pending then succeeded', async () => {
    const payment = await f.sim.authorize({ amount: 700n, currency: 'USD' });
    const key = `u2-${payment.paymentId}`;
    f.sim.injectFault({ kind: 'unknown_status' });
    await f.client.capture({
      provider: 'antom',
      paymentId: payment.paymentId,
      amount: payment.amount,
      idempotencyKey: key,
    });
    const resolve = () =>
      f.client.resolve({ provider: 'antom', paymentId: payment.paymentId, idempotencyKey: key });
    expect((await resolve())._unsafeUnwrap().status).toBe('pending');
    const done = (await resolve())._unsafeUnwrap();
    expect(done).toMatchObject({
      status: 'succeeded',
      amount: { currency: 'USD', value: 700n },
      final: true,
    });
    await eventually(
      () => f.events.find((e) => e.idempotencyKey === key),
      'notifyCapture after the U',
    );
  });

  it('a U that ends in F: resolve says failed with the code, and notifyCapture reports F', async () => {
    const payment = await f.sim.authorize({ amount: 700n, currency: 'USD' });
    const key = `uf-${payment.paymentId}`;
    f.sim.injectResult({ resultCode: 'UNKNOWN_EXCEPTION' });
    // A U result injection is stored as PROCESSING; make its final result a refusal by over-capturing.
    const r = await f.client.capture({
      provider: 'antom',
      paymentId: payment.paymentId,
      amount: { currency: 'USD', value: 900n },
      idempotencyKey: key,
    });
    expect(r._unsafeUnwrapErr().outcome).toBe('unknown');
    await f.sim.settle();
    const resolved = await f.client.resolve({
      provider: 'antom',
      paymentId: payment.paymentId,
      idempotencyKey: key,
    });
    expect(resolved._unsafeUnwrapErr()).toMatchObject({
      code: 'amount_exceeds_authorized',
      outcome: 'failed',
      providerCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
    });
    const event = await eventually(
      () => f.events.find((e) => e.idempotencyKey === key),
      'F notification',
    );
    expect(event).toMatchObject({
      type: 'capture.failed',
      providerCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
      id: `${key}:F`,
    });
  });

  it('AUTOMATIC payments capture themselves and only notify', async () => {
    const payment = await f.sim.authorize({
      amount: 1_500n,
      currency: 'USD',
      captureMode: 'AUTOMATIC',
    });
    const event = await eventually(
      () => f.events.find((e) => e.paymentId === payment.paymentId),
      'auto notify',
    );
    expect(event).toMatchObject({
      type: 'capture.succeeded',
      amount: { currency: 'USD', value: 1_500n },
    });
    expect((await f.sim.payment(payment.paymentId)).capturedTotal).toBe(1_500n);
    expect(f.sim.requests.filter((r) => r.body.includes(payment.paymentId))).toHaveLength(0);
  });

  it('cancel after a capture is refused; cancel twice replays success', async () => {
    const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
    const once = await rawCall(f, 'v1/payments/cancel', { paymentId: payment.paymentId });
    const twice = await rawCall(f, 'v1/payments/cancel', { paymentId: payment.paymentId });
    expect(twice.json).toEqual(once.json);
    const captured = await f.sim.authorize({ amount: 100n, currency: 'USD' });
    await f.client.capture({
      provider: 'antom',
      paymentId: captured.paymentId,
      amount: captured.amount,
    });
    const refused = await rawCall(f, 'v1/payments/cancel', { paymentId: captured.paymentId });
    expect(refused.json.result.resultCode).toBe('ORDER_STATUS_INVALID');
  });
});

describe('Antom simulator: notifyCapture retries', () => {
  it('retries on a wrong acknowledgement until the exact body comes back, re-signing each attempt', async () => {
    const f = await startAntomFixture();
    let calls = 0;
    const receiver = await startLoopback((_req, res) => {
      calls += 1;
      if (calls < 3) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"result":{"resultStatus":"S"}}');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}');
    });
    f.sim.setWebhookUrl(`${receiver.url}/notify`);
    const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
    await f.client.capture({
      provider: 'antom',
      paymentId: payment.paymentId,
      amount: payment.amount,
    });
    await f.sim.settle();
    const [notification] = f.sim.notifications;
    expect(notification?.attempts).toHaveLength(3);
    expect(notification?.state).toBe('delivered');

    calls = -100; // never acknowledged
    const other = await f.sim.authorize({ amount: 100n, currency: 'USD' });
    await f.client.capture({ provider: 'antom', paymentId: other.paymentId, amount: other.amount });
    await f.sim.settle();
    expect(f.sim.notifications[1]?.attempts).toHaveLength(8);
    expect(f.sim.notifications[1]?.state).toBe('failed');
    await receiver.close();
    await f.close();
  });

  it('the library handler answers the exact acknowledgement body', async () => {
    const f = await startAntomFixture();
    const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
    await f.client.capture({
      provider: 'antom',
      paymentId: payment.paymentId,
      amount: payment.amount,
    });
    await f.sim.settle();
    expect(f.sim.notifications[0]?.attempts).toEqual([
      {
        status: 200,
        body: '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}',
      },
    ]);
    await f.close();
  });
});

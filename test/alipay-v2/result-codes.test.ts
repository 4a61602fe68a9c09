import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import {
  ALIPAY_V2_RESULT_CODES,
  type AlipayV2ResultCode,
  alipayV2,
} from '../../src/providers/alipay-v2/index.js';
import { DAY_MS } from '../../src/testing/manual-clock.js';
import { rawRequest, startWallet, type WalletFixture } from './wallet-fixture.js';

let wallet: WalletFixture;
beforeAll(async () => {
  wallet = await startWallet({ prefix: '/api' });
});
afterAll(() => wallet.close());

const usd = (value: bigint) => ({ currency: 'USD', value });
const CAPTURE_PATH = '/api/v2/payments/capture';

function expectMapped(error: unknown, providerCode: AlipayV2ResultCode, via = 'capture') {
  const mapping = ALIPAY_V2_RESULT_CODES[providerCode];
  // Through capture(), "this key is already in use" is no decline: the request already
  // under the key may have moved money, so the capture's outcome is unknown. (An inquiry
  // that finds THIS capture failed with it is the provider's word: failed.)
  if (mapping.code === 'idempotency_conflict' && via === 'capture') {
    expect(error).toMatchObject({ providerCode, code: 'outcome_unknown', outcome: 'unknown' });
    return;
  }
  expect(error).toMatchObject({ providerCode, code: mapping.code, outcome: mapping.outcome });
}

describe('every seed code is reachable by state, and mapped end to end', () => {
  it('AUTH_NOT_FOUND for an unknown paymentId', async () => {
    const result = await wallet.client.capture({
      provider: 'wallet',
      paymentId: '2019000000000000000',
      amount: usd(1n),
    });
    expectMapped(result._unsafeUnwrapErr(), 'AUTH_NOT_FOUND');
  });

  it('AUTH_CANCELLED after cancel', async () => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    expect(wallet.sim.cancelPayment(payment.paymentId)).toBe('SUCCESS');
    const result = await wallet.client.capture({
      provider: 'wallet',
      paymentId: payment.paymentId,
    });
    expectMapped(result._unsafeUnwrapErr(), 'AUTH_CANCELLED');
  });

  it('AUTH_CANCELLED after cancel over HTTP, and ORDER_NOT_EXIST for an unknown payment', async () => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    const cancelled = await rawRequest(wallet.sim, {
      path: '/api/v2/payments/cancel',
      body: JSON.stringify({ paymentId: payment.paymentId }),
    });
    expect(cancelled.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
    expect(cancelled.signed).toBe(true);
    expect((await wallet.sim.payment(payment.paymentId)).status).toBe('CANCELLED');
    const unknown = await rawRequest(wallet.sim, {
      path: '/api/v2/payments/cancel',
      body: JSON.stringify({ paymentId: 'nope' }),
    });
    expect(unknown.body.result?.resultCode).toBe('ORDER_NOT_EXIST');
  });

  it('AUTH_EXPIRED once the clock passes the authorization window', async () => {
    const fixture = await startWallet();
    try {
      const payment = await fixture.sim.authorize({ amount: 1000n });
      fixture.sim.advanceClock(8 * DAY_MS);
      const result = await fixture.client.capture({
        provider: 'wallet',
        paymentId: payment.paymentId,
      });
      expectMapped(result._unsafeUnwrapErr(), 'AUTH_EXPIRED');
      expect((await fixture.sim.payment(payment.paymentId)).status).toBe('EXPIRED');
    } finally {
      await fixture.close();
    }
  });

  it('CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT for an over-capture', async () => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    const result = await wallet.client.capture({
      provider: 'wallet',
      paymentId: payment.paymentId,
      amount: usd(1001n),
    });
    expectMapped(result._unsafeUnwrapErr(), 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT');
    expect((await wallet.sim.payment(payment.paymentId)).capturedTotal).toBe(0n);
  });

  it('REPEAT_REQ_INCONSISTENT for the same key with a different amount; a true replay is identical', async () => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    const request = {
      provider: 'wallet',
      paymentId: payment.paymentId,
      amount: usd(400n),
      final: false,
      idempotencyKey: `${payment.paymentId}-k`,
    };
    const first = (await wallet.client.capture(request))._unsafeUnwrap();
    const replay = (await wallet.client.capture(request))._unsafeUnwrap();
    expect(replay.captureId).toBe(first.captureId);
    // In-process the journal refuses the conflict before sending…
    const refused = await wallet.client.capture({ ...request, amount: usd(500n) });
    expect(refused._unsafeUnwrapErr()).toMatchObject({
      code: 'idempotency_conflict',
      outcome: 'not_attempted',
    });
    // …and a restarted process (a fresh client) reaches the wallet, which refuses it too.
    const restarted = createCaptureClient({
      providers: { wallet: alipayV2({ ...wallet.sim.credentials, baseUrl: wallet.sim.baseUrl }) },
    });
    const conflict = await restarted.capture({ ...request, amount: usd(500n) });
    await restarted.close();
    expectMapped(conflict._unsafeUnwrapErr(), 'REPEAT_REQ_INCONSISTENT');
    expect((await wallet.sim.payment(payment.paymentId)).captures).toHaveLength(1);
  });

  it('CURRENCY_NOT_SUPPORT when the currency differs from the authorization', async () => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    const result = await wallet.client.capture({
      provider: 'wallet',
      paymentId: payment.paymentId,
      amount: { currency: 'EUR', value: 100n },
    });
    expectMapped(result._unsafeUnwrapErr(), 'CURRENCY_NOT_SUPPORT');
  });

  it('CLIENT_INVALID, KEY_NOT_FOUND and SIGNATURE_INVALID arrive unsigned and fail as authentication_failed', async () => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const cases: [Record<string, unknown>, AlipayV2ResultCode][] = [
      [{ clientId: 'SOMEONE_ELSE' }, 'CLIENT_INVALID'],
      [{ keyVersion: 2 }, 'KEY_NOT_FOUND'],
      [{ privateKey: otherKey }, 'SIGNATURE_INVALID'],
    ];
    for (const [override, code] of cases) {
      const client = createCaptureClient({
        providers: {
          wallet: alipayV2({ ...wallet.sim.credentials, baseUrl: wallet.sim.baseUrl, ...override }),
        },
      });
      const result = await client.capture({ provider: 'wallet', paymentId: payment.paymentId });
      await client.close();
      const error = result._unsafeUnwrapErr();
      expectMapped(error, code);
      expect(error.outcome).toBe('failed');
    }
    expect((await wallet.sim.payment(payment.paymentId)).capturedTotal).toBe(0n);
  });

  it('METHOD_NOT_SUPPORTED for GET, MEDIA_TYPE_NOT_ACCEPTABLE for text/plain, INVALID_API for an unknown path', async () => {
    const get = await rawRequest(wallet.sim, { method: 'GET', path: CAPTURE_PATH });
    expect(get.body.result).toMatchObject({
      resultCode: 'METHOD_NOT_SUPPORTED',
      resultStatus: 'F',
    });
    const text = await rawRequest(wallet.sim, {
      path: CAPTURE_PATH,
      body: '{}',
      contentType: 'text/plain',
    });
    expect(text.body.result).toMatchObject({
      resultCode: 'MEDIA_TYPE_NOT_ACCEPTABLE',
      resultStatus: 'F',
    });
    const api = await rawRequest(wallet.sim, { path: '/api/v2/payments/refund', body: '{}' });
    expect(api.body.result).toMatchObject({ resultCode: 'INVALID_API', resultStatus: 'F' });
    expect([get.signed, text.signed, api.signed]).toEqual([true, true, true]);
  });

  it('INVALID_API reaches the adapter when baseUrl has the wrong prefix', async () => {
    const client = createCaptureClient({
      providers: {
        wallet: alipayV2({ ...wallet.sim.credentials, baseUrl: `${wallet.sim.url}/api/open` }),
      },
    });
    const result = await client.capture({ provider: 'wallet', paymentId: 'p1' });
    await client.close();
    const error = result._unsafeUnwrapErr();
    expectMapped(error, 'INVALID_API');
    expect(error.message).toContain('/acl/api');
  });

  it.each([
    ['isLastCapture as a string other than "true"/"false"', { isLastCapture: 'no' }],
    ['captureAmount.value as a JSON number', { captureAmount: { currency: 'USD', value: 100 } }],
    ['captureAmount.value of zero', { captureAmount: { currency: 'USD', value: '0' } }],
    ['extendInfo longer than 4096', { extendInfo: 'x'.repeat(4097) }],
    ['no captureRequestId', { captureRequestId: undefined }],
  ])('PARAM_ILLEGAL for %s', async (_name, override) => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    const body = JSON.stringify({
      captureRequestId: `${payment.paymentId}-raw`,
      paymentId: payment.paymentId,
      ...override,
    });
    const answer = await rawRequest(wallet.sim, { path: CAPTURE_PATH, body });
    expect(answer.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
    expect(answer.signed).toBe(true);
  });

  it('PARAM_ILLEGAL for a Request-Time without an offset', async () => {
    const answer = await rawRequest(wallet.sim, {
      path: CAPTURE_PATH,
      body: '{}',
      requestTime: '2019-04-04 12:08:56',
    });
    expect(answer.body.result?.resultCode).toBe('PARAM_ILLEGAL');
  });

  it('CAPTURE_IN_PROCESS for a replay while the first attempt is still processing', async () => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    wallet.sim.injectFault({ kind: 'unknown_status' });
    const request = {
      provider: 'wallet',
      paymentId: payment.paymentId,
      idempotencyKey: `${payment.paymentId}-u`,
    };
    expectMapped((await wallet.client.capture(request))._unsafeUnwrapErr(), 'UNKNOWN_EXCEPTION');
    expectMapped((await wallet.client.capture(request))._unsafeUnwrapErr(), 'CAPTURE_IN_PROCESS');
    await wallet.sim.settle();
    expect((await wallet.client.capture(request))._unsafeUnwrap().status).toBe('succeeded');
    expect((await wallet.sim.payment(payment.paymentId)).captures).toHaveLength(1);
  });
});

describe('every code is reachable by failNextCapture, and mapped end to end', () => {
  const codes = Object.keys(ALIPAY_V2_RESULT_CODES).filter(
    (code) => code !== 'ORDER_NOT_EXIST',
  ) as AlipayV2ResultCode[];

  it.each(codes)('%s', async (code) => {
    const payment = await wallet.sim.authorize({ amount: 1000n });
    wallet.sim.failNextCapture(code);
    const key = `${payment.paymentId}-forced`;
    const result = await wallet.client.capture({
      provider: 'wallet',
      paymentId: payment.paymentId,
      idempotencyKey: key,
    });
    const error = result._unsafeUnwrapErr();
    expectMapped(error, code);
    expect(error.idempotencyKey).toBe(key);
    const state = await wallet.sim.payment(payment.paymentId);
    if (ALIPAY_V2_RESULT_CODES[code].status === 'U') {
      expect(state.captures[0]?.status).toBe('processing');
    } else {
      expect(state.capturedTotal).toBe(0n);
      // A declined attempt replays the same answer and resolves to the same failure.
      expectMapped(
        (
          await wallet.client.capture({
            provider: 'wallet',
            paymentId: payment.paymentId,
            idempotencyKey: key,
          })
        )._unsafeUnwrapErr(),
        code,
      );
      const resolved = await wallet.client.resolve({
        provider: 'wallet',
        paymentId: payment.paymentId,
        idempotencyKey: key,
      });
      expectMapped(resolved._unsafeUnwrapErr(), code, 'resolve');
    }
  });

  it('refuses a code that is not an F or U code', () => {
    expect(() => wallet.sim.failNextCapture('SUCCESS')).toThrow(/not an F or U/);
    expect(() => wallet.sim.failNextCapture('MADE_UP')).toThrow(/not an F or U/);
  });
});

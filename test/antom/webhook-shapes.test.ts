import { afterAll, describe, expect, it } from 'vitest';
import {
  antomWebhookClient,
  NOTIFY_CLIENT_ID,
  NOTIFY_PATH,
  signedNotification,
} from './antom-fixture.js';
import { SEED_NOTIFY_CAPTURE } from './seed-fixtures.js';

/*
 * notifyCapture bodies of the usual shape are checked by hand; zod decides every other
 * body, and its refusal reads exactly as before. The event's fields keep their order, and
 * the path with its query string is still tried when the path without it does not verify.
 */

const _CLIENT_ID = NOTIFY_CLIENT_ID;
const PATH = NOTIFY_PATH;
const TIME = '1733989443000';

const { client, antomPrivateKey } = antomWebhookClient();
afterAll(() => client.close());

const notification = (body: string, options: Parameters<typeof signedNotification>[2] = {}) =>
  signedNotification(antomPrivateKey, body, { time: TIME, ...options });

const UNEXPECTED_SHAPE = {
  code: 'invalid_payload',
  message: 'notifyCapture body has an unexpected shape.',
  verified: true,
  kind: 'antom',
  provider: 'antom',
};

describe('parseWebhook(antom): shapes', () => {
  it('the usual body gives the event with its fields in their usual order', async () => {
    const event = (
      await client.parseWebhook('antom', notification(SEED_NOTIFY_CAPTURE))
    )._unsafeUnwrap();
    expect(Object.keys(event)).toEqual([
      'kind',
      'id',
      'type',
      'paymentId',
      'captureId',
      'idempotencyKey',
      'amount',
      'occurredAt',
      'raw',
      'provider',
    ]);
    expect(event.raw).toStrictEqual(JSON.parse(SEED_NOTIFY_CAPTURE));
  });

  it('a failure keeps providerCode between occurredAt and raw', async () => {
    const body = JSON.stringify({
      notifyType: 'CAPTURE_RESULT',
      result: { resultCode: 'PROCESS_FAIL', resultStatus: 'F' },
      captureRequestId: 'key-1',
      paymentId: 'P1',
    });
    const event = (await client.parseWebhook('antom', notification(body)))._unsafeUnwrap();
    expect(Object.keys(event)).toEqual([
      'kind',
      'id',
      'type',
      'paymentId',
      'idempotencyKey',
      'occurredAt',
      'providerCode',
      'raw',
      'provider',
    ]);
  });

  it.each([
    ['captureAmount.value as an object', { captureAmount: { currency: 'USD', value: {} } }],
    ['captureAmount as a string', { captureAmount: 'USD 20.00' }],
    ['result as a string', { result: 'SUCCESS' }],
    ['result.resultStatus as a number', { result: { resultStatus: 1 } }],
    ['paymentId as a number', { paymentId: 20241212 }],
    ['notifyType as an object', { notifyType: { type: 'CAPTURE_RESULT' } }],
  ])('%s: zod decides, and refuses as before', async (_name, change) => {
    const body = JSON.stringify({ ...JSON.parse(SEED_NOTIFY_CAPTURE), ...change });
    expect(
      (await client.parseWebhook('antom', notification(body)))._unsafeUnwrapErr(),
    ).toStrictEqual(UNEXPECTED_SHAPE);
  });

  it('a body that is a JSON array or string: zod refuses it as before', async () => {
    for (const body of ['[]', '"CAPTURE_RESULT"', 'null']) {
      expect(
        (await client.parseWebhook('antom', notification(body)))._unsafeUnwrapErr(),
      ).toStrictEqual(UNEXPECTED_SHAPE);
    }
  });

  it('an amount sent as a JSON number is read (the schema allows it)', async () => {
    const body = JSON.stringify({
      ...JSON.parse(SEED_NOTIFY_CAPTURE),
      captureAmount: { currency: 'USD', value: 2000 },
    });
    const event = (await client.parseWebhook('antom', notification(body)))._unsafeUnwrap();
    expect(event.amount).toEqual({ currency: 'USD', value: 2000n });
  });
});

describe('parseWebhook(antom): which path is verified', () => {
  it('a signature over the path with its query string still verifies', async () => {
    const path = `${PATH}?shop=1`;
    const request = notification(SEED_NOTIFY_CAPTURE, { path, signedPath: path });
    expect((await client.parseWebhook('antom', request)).isOk()).toBe(true);
  });

  it('with a query string, a signature over neither path is refused with the same message', async () => {
    const request = notification(SEED_NOTIFY_CAPTURE, {
      path: `${PATH}?shop=1`,
      signedPath: '/elsewhere',
    });
    expect((await client.parseWebhook('antom', request))._unsafeUnwrapErr()).toStrictEqual({
      code: 'signature_invalid',
      message:
        'notifyCapture signature did not verify with antom({ antomPublicKey }) over the path it arrived on; refused.',
      verified: false,
      kind: 'antom',
      provider: 'antom',
    });
  });

  it('with a query string and no signature header: the "no signature" refusal', async () => {
    const request = notification(SEED_NOTIFY_CAPTURE, { path: `${PATH}?a=b`, signature: null });
    expect((await client.parseWebhook('antom', request))._unsafeUnwrapErr()).toStrictEqual({
      code: 'signature_invalid',
      message: 'notifyCapture had no signature or request-time header; refused.',
      verified: false,
      kind: 'antom',
      provider: 'antom',
    });
  });
});

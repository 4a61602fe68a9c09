import { afterAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import type { WebhookRequest } from '../../src/core/webhook-types.js';
import { checkout, signCheckoutWebhook } from '../../src/providers/checkout/index.js';
import { PAYMENT_CAPTURED, SANDBOX_KEY } from './checkout-fixture.js';

/*
 * Checkout.com events of the usual shape are checked by hand; zod decides every other body,
 * and its refusal reads exactly as before. The event's fields keep their order.
 */

const SECRET = 'whsec_shapes_0123456789';
const client = createCaptureClient({
  providers: { cko: checkout({ secretKey: SANDBOX_KEY, webhookSecret: SECRET }) },
});
afterAll(() => client.close());

const captured = {
  ...PAYMENT_CAPTURED,
  data: { ...PAYMENT_CAPTURED.data, metadata: { capture_kit_idempotency_key: 'key-1' } },
};

function delivery(body: unknown): WebhookRequest {
  const rawBody = Buffer.from(JSON.stringify(body));
  return {
    method: 'POST',
    path: '/webhooks/cko',
    headers: { 'cko-signature': signCheckoutWebhook(rawBody, SECRET) },
    rawBody,
  };
}

const NO_ID_OR_TYPE = {
  code: 'invalid_payload',
  message: 'The webhook body has no event id or type, although its signature is valid.',
  verified: true,
  provider: 'cko',
  kind: 'checkout',
};

describe('parseWebhook(checkout): shapes', () => {
  it('the usual body gives the event with its fields in their usual order', async () => {
    const event = (await client.parseWebhook('cko', delivery(captured)))._unsafeUnwrap();
    expect(event).toStrictEqual({
      kind: 'checkout',
      id: captured.id,
      type: 'capture.succeeded',
      paymentId: captured.data.id,
      captureId: captured.data.action_id,
      idempotencyKey: 'key-1',
      amount: { currency: 'EUR', value: 6540n },
      occurredAt: captured.created_on,
      raw: captured,
      provider: 'cko',
    });
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
  });

  it('a declined capture keeps providerCode between occurredAt and raw', async () => {
    const declined = {
      ...captured,
      type: 'payment_capture_declined',
      created_on: undefined,
      data: { id: 'pay_1', response_code: '20051', processed_on: '2026-12-01T20:00:00Z' },
    };
    const event = (await client.parseWebhook('cko', delivery(declined)))._unsafeUnwrap();
    expect(Object.keys(event)).toEqual([
      'kind',
      'id',
      'type',
      'paymentId',
      'occurredAt',
      'providerCode',
      'raw',
      'provider',
    ]);
    expect(event).toMatchObject({
      type: 'capture.failed',
      providerCode: '20051',
      occurredAt: '2026-12-01T20:00:00Z',
    });
  });

  it.each([
    ['data.amount as a string', { data: { ...captured.data, amount: '6540' } }],
    ['data.currency as a number', { data: { ...captured.data, currency: 978 } }],
    ['data as an array', { data: [captured.data] }],
    ['data as a string', { data: 'pay_1' }],
    ['version as a number', { version: 1 }],
    ['created_on as an object', { created_on: {} }],
    ['an empty id', { id: '' }],
    ['type as a number', { type: 7 }],
  ])('%s: zod decides, and refuses as before', async (_name, change) => {
    expect(
      (await client.parseWebhook('cko', delivery({ ...captured, ...change })))._unsafeUnwrapErr(),
    ).toStrictEqual(NO_ID_OR_TYPE);
  });

  it('a body that is a JSON array, string or null: zod refuses it as before', async () => {
    for (const body of [[captured], 'payment_captured', null]) {
      expect((await client.parseWebhook('cko', delivery(body)))._unsafeUnwrapErr()).toStrictEqual(
        NO_ID_OR_TYPE,
      );
    }
  });

  it('null data is accepted by both checks, then refused for its missing payment id', async () => {
    expect(
      (await client.parseWebhook('cko', delivery({ ...captured, data: null })))._unsafeUnwrapErr(),
    ).toStrictEqual({
      code: 'invalid_payload',
      message: 'The payment_captured event has no data.id (payment id).',
      verified: true,
      eventType: 'payment_captured',
      provider: 'cko',
      kind: 'checkout',
    });
  });
});

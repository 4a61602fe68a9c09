import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import type { WebhookRequest } from '../../src/core/webhook-types.js';
import {
  checkout,
  signCheckoutWebhook,
  verifyCheckoutSignature,
} from '../../src/providers/checkout/index.js';
import {
  type CheckoutFixture,
  PAYMENT_CAPTURED,
  SANDBOX_KEY,
  startCheckoutFixture,
  waitFor,
} from './checkout-fixture.js';

const SECRET = 'whsec_test_0123456789';
const captured = {
  ...PAYMENT_CAPTURED,
  data: {
    ...PAYMENT_CAPTURED.data,
    balances: { total_authorized: 6540, total_captured: 6540, available_to_capture: 0 },
  },
  _links: {
    self: { href: 'https://api.checkout.com/workflows/events/evt_az5sblvku4ge3dwpztvyizgcau' },
  },
};

function delivery(body: unknown, headers: Record<string, string> = {}): WebhookRequest {
  const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    method: 'POST',
    path: '/webhooks/cko',
    headers: {
      'content-type': 'application/json',
      'cko-signature': signCheckoutWebhook(rawBody, SECRET),
      ...headers,
    },
    rawBody,
  };
}

describe('checkout webhook signature', () => {
  const client = createCaptureClient({
    providers: {
      cko: checkout({ secretKey: SANDBOX_KEY, webhookSecret: SECRET }),
      guarded: checkout({
        secretKey: SANDBOX_KEY,
        webhookSecret: SECRET,
        webhookAuthorization: 'hook-token-1',
      }),
      unconfigured: checkout({ secretKey: SANDBOX_KEY }),
    },
  });
  afterAll(() => client.close());

  it('is the lower-case hex HMAC-SHA256 of the raw body', () => {
    const raw = Buffer.from('{"id":"evt_1"}');
    expect(signCheckoutWebhook(raw, SECRET)).toBe(
      createHmac('sha256', SECRET).update(raw).digest('hex'),
    );
    expect(
      verifyCheckoutSignature(raw, signCheckoutWebhook(raw, SECRET).toUpperCase(), SECRET),
    ).toBe(true);
  });

  it('turns payment_captured into capture.succeeded keyed by the event id', async () => {
    const event = (await client.parseWebhook('cko', delivery(captured)))._unsafeUnwrap();
    expect(event).toEqual({
      provider: 'cko',
      kind: 'checkout',
      id: 'evt_az5sblvku4ge3dwpztvyizgcau',
      type: 'capture.succeeded',
      paymentId: 'pay_mbabizu24mvu3mela5njyhpit4',
      captureId: 'act_y3oqhf46pyzuxjbcn2giaqnb44',
      amount: { currency: 'EUR', value: 6540n },
      occurredAt: '2019-08-24T14:15:22Z',
      raw: captured,
    });
    expect(event.idempotencyKey).toBeUndefined();
  });

  it('reads idempotencyKey from the key the adapter put in the capture metadata', async () => {
    const withKey = {
      ...captured,
      data: {
        ...captured.data,
        metadata: { coupon: 'X', capture_kit_idempotency_key: 'order-1-c1' },
      },
    };
    const event = (await client.parseWebhook('cko', delivery(withKey)))._unsafeUnwrap();
    expect(event.idempotencyKey).toBe('order-1-c1');
  });

  it('turns payment_capture_declined into capture.failed with the response code', async () => {
    const declined = {
      ...captured,
      type: 'payment_capture_declined',
      data: { ...captured.data, response_code: '20051' },
    };
    const event = (await client.parseWebhook('cko', delivery(declined)))._unsafeUnwrap();
    expect(event).toMatchObject({ type: 'capture.failed', providerCode: '20051' });
  });

  it('a string body verifies like its bytes', async () => {
    const raw = JSON.stringify(captured);
    const result = await client.parseWebhook('cko', { ...delivery(raw), rawBody: raw });
    expect(result.isOk()).toBe(true);
  });

  it.each([
    ['wrong', () => '0'.repeat(64)],
    ['missing', () => undefined],
    ['truncated', (good: string) => good.slice(0, 63)],
    ['truncated to nothing', () => ''],
    ['padded', (good: string) => `${good}00`],
    ['non-hex', (good: string) => `${good.slice(0, 62)}zz`],
    [
      'signed with another secret',
      () => createHmac('sha256', 'other').update(JSON.stringify(captured)).digest('hex'),
    ],
  ])('rejects a %s signature, unverified', async (_name, make) => {
    const good = delivery(captured);
    const signature = make(String(good.headers['cko-signature']));
    const headers = { ...good.headers };
    if (signature === undefined) delete headers['cko-signature'];
    else headers['cko-signature'] = signature;
    const error = (await client.parseWebhook('cko', { ...good, headers }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'signature_invalid', verified: false });
    expect(error.message).not.toContain(SECRET);
  });

  it('rejects a body changed after signing', async () => {
    const good = delivery(captured);
    const tampered = Buffer.from(good.rawBody.toString().replace('6540', '6541'));
    const error = (
      await client.parseWebhook('cko', { ...good, rawBody: tampered })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('signature_invalid');
  });

  it('checks the Authorization header too when webhookAuthorization is set', async () => {
    expect(
      (
        await client.parseWebhook('guarded', delivery(captured, { authorization: 'hook-token-1' }))
      ).isOk(),
    ).toBe(true);
    for (const authorization of ['hook-token-2', 'hook-token-1x', '']) {
      const error = (
        await client.parseWebhook('guarded', delivery(captured, { authorization }))
      )._unsafeUnwrapErr();
      expect(error).toMatchObject({ code: 'signature_invalid', verified: false });
    }
    expect((await client.parseWebhook('guarded', delivery(captured)))._unsafeUnwrapErr().code).toBe(
      'signature_invalid',
    );
  });

  it('refuses everything without a webhookSecret, saying how to configure it', async () => {
    const error = (
      await client.parseWebhook('unconfigured', delivery(captured))
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'signature_invalid', verified: false });
    expect(error.message).toContain('checkout({ webhookSecret })');
  });

  it('ignores other verified event types with a typed result', async () => {
    const error = (
      await client.parseWebhook('cko', delivery({ ...captured, type: 'payment_approved' }))
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'event_ignored',
      verified: true,
      eventType: 'payment_approved',
    });
  });

  it('reports a verified but unreadable body as invalid_payload', async () => {
    expect(
      (await client.parseWebhook('cko', delivery('not json')))._unsafeUnwrapErr(),
    ).toMatchObject({
      code: 'invalid_payload',
      verified: true,
    });
    expect(
      (await client.parseWebhook('cko', delivery({ type: 'payment_captured' })))._unsafeUnwrapErr()
        .code,
    ).toBe('invalid_payload');
    const noPayment = { ...captured, data: { ...captured.data, id: undefined } };
    expect((await client.parseWebhook('cko', delivery(noPayment)))._unsafeUnwrapErr().code).toBe(
      'invalid_payload',
    );
  });

  it('acknowledges with 200 and an empty body', () => {
    expect(checkout({ secretKey: SANDBOX_KEY, webhookSecret: SECRET }).webhookAck()).toEqual({
      status: 200,
      headers: {},
      body: '',
    });
  });
});

describe('checkout webhooks from the simulator', () => {
  let fx: CheckoutFixture;
  beforeAll(async () => {
    fx = await startCheckoutFixture();
  });
  afterAll(() => fx.close());

  async function capturedPayment() {
    const payment = await fx.sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'visa' });
    return payment;
  }

  it('a duplicate delivery is acknowledged twice and reaches onEvent once (same event id)', async () => {
    const payment = await capturedPayment();
    fx.sim.injectFault({ kind: 'webhook_duplicate' });
    const capture = (
      await fx.client.capture({ provider: 'cko', paymentId: payment.paymentId })
    )._unsafeUnwrap();
    await fx.sim.settle();
    const deliveries = await waitFor(() => {
      const found = fx.sim.webhookDeliveries.filter((d) => d.paymentId === payment.paymentId);
      return found.length >= 2 ? found : undefined;
    }, 'two deliveries');
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    const events = fx.events.filter((e) => e.paymentId === payment.paymentId);
    expect(events).toHaveLength(1);
    expect(events[0]?.captureId).toBe(capture.captureId);
  });

  it('a badly signed delivery gets 401 from the handler and no event', async () => {
    const payment = await capturedPayment();
    fx.sim.injectFault({ kind: 'webhook_bad_signature' });
    await fx.client.capture({ provider: 'cko', paymentId: payment.paymentId });
    await fx.sim.settle();
    const delivery = fx.sim.webhookDeliveries.find((d) => d.paymentId === payment.paymentId);
    expect(delivery).toMatchObject({ signed: false, status: 401 });
    expect(fx.events.filter((e) => e.paymentId === payment.paymentId)).toEqual([]);
    expect(fx.errors).toContainEqual(expect.objectContaining({ code: 'signature_invalid' }));
  });

  it('a void produces payment_voided, acknowledged and ignored', async () => {
    const payment = await capturedPayment();
    const response = await fetch(`${fx.sim.baseUrl}/payments/${payment.paymentId}/voids`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fx.sim.credentials.secretKey}`,
        'content-type': 'application/json',
      },
      body: '{"reference":"void-1"}',
    });
    expect(response.status).toBe(202);
    await fx.sim.settle();
    const delivery = fx.sim.webhookDeliveries.find((d) => d.paymentId === payment.paymentId);
    expect(delivery).toMatchObject({ type: 'payment_voided', status: 200 });
    expect(fx.events.filter((e) => e.paymentId === payment.paymentId)).toEqual([]);
  });

  it('a declined capture arrives as capture.failed', async () => {
    const payment = await capturedPayment();
    fx.sim.declineNextCapture('20051', 'Insufficient Funds');
    const capture = (
      await fx.client.capture({ provider: 'cko', paymentId: payment.paymentId })
    )._unsafeUnwrap();
    expect(capture.status).toBe('pending');
    const event = await waitFor(
      () => fx.events.find((e) => e.paymentId === payment.paymentId),
      'the decline',
    );
    expect(event).toMatchObject({
      type: 'capture.failed',
      providerCode: '20051',
      captureId: capture.captureId,
    });
  });
});

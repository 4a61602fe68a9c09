import { describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import { checkout } from '../../src/providers/checkout/index.js';
import { SANDBOX_KEY, useCannedCheckout } from './checkout-fixture.js';

// The seed's two request examples and its 202 / 422 response examples, byte for byte.
const SEED_FULL =
  '{"reference":"ORD-5023-4E88","metadata":{"coupon_code":"NY2018","partner_id":123989}}';
const SEED_PARTIAL =
  '{"amount":3500,"reference":"ORD-5023-4E89","metadata":{"coupon_code":"NY2018","partner_id":123989}}';
const SEED_202 =
  '{"action_id":"act_3kfr4betasbelhjdk346yutxvu","reference":"ORD-5023-4E89","_links":{"payment":{"href":"https://api.sandbox.checkout.com/payments/pay_kladqdb6hm5ebggtq45rtzjati"}}}';
const SEED_422 =
  '{"request_id":"0HL80RJLS76I7","error_type":"request_invalid","error_codes":["payment_source_required"]}';
const PAYMENT = 'pay_kladqdb6hm5ebggtq45rtzjati';

/**
 * A seed body with the idempotency key the adapter adds to `metadata` (last), so resolve()
 * can find this exact capture; everything else stays byte for byte the seed's.
 */
const withKey = (seed: string, key: string) =>
  seed.replace(/}}$/, `,"capture_kit_idempotency_key":${JSON.stringify(key)}}}`);

describe('checkout wire format', () => {
  const canned = useCannedCheckout({ webhookSecret: 'whsec' });

  const last = () => {
    const request = canned.server.received.at(-1);
    if (!request) throw new Error('nothing was sent');
    return request;
  };

  it('sends the seed full-capture example byte for byte, with the documented headers', async () => {
    canned.server.answer(202, SEED_202);
    await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      idempotencyKey: 'order-5023-capture-1',
      reference: 'ORD-5023-4E88',
      metadata: { coupon_code: 'NY2018', partner_id: 123989 },
    });
    const sent = last();
    expect(sent.body.toString('utf8')).toBe(withKey(SEED_FULL, 'order-5023-capture-1'));
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe(`/payments/${PAYMENT}/captures`);
    expect(sent.headers.authorization).toBe(`Bearer ${SANDBOX_KEY}`);
    expect(sent.headers['cko-idempotency-key']).toBe('order-5023-capture-1');
    expect(sent.headers['content-type']).toBe('application/json');
  });

  it('sends the seed partial-capture example byte for byte', async () => {
    canned.server.answer(202, SEED_202);
    await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      amount: { currency: 'EUR', value: 3500n },
      reference: 'ORD-5023-4E89',
      metadata: { coupon_code: 'NY2018', partner_id: 123989 },
    });
    const sent = last();
    expect(sent.body.toString('utf8')).toBe(
      withKey(SEED_PARTIAL, String(sent.headers['cko-idempotency-key'])),
    );
  });

  it('maps the seed 202 example to Ok(pending) with the action id', async () => {
    canned.server.answer(202, SEED_202);
    const result = await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      amount: { currency: 'EUR', value: 3500n },
      idempotencyKey: 'k-202',
      reference: 'ORD-5023-4E89',
    });
    expect(result.isOk()).toBe(true);
    const capture = result._unsafeUnwrap();
    expect(capture).toMatchObject({
      provider: 'cko',
      kind: 'checkout',
      status: 'pending',
      paymentId: PAYMENT,
      captureId: 'act_3kfr4betasbelhjdk346yutxvu',
      idempotencyKey: 'k-202',
      amount: { currency: 'EUR', value: 3500n },
      final: true,
      providerMetadata: {
        actionId: 'act_3kfr4betasbelhjdk346yutxvu',
        reference: 'ORD-5023-4E89',
        httpStatus: 202,
      },
    });
    expect(capture.raw).toEqual(JSON.parse(SEED_202));
    // Every field, in the order users see in logs and JSON (the adapter's, then provider).
    expect(Object.keys(capture)).toEqual([
      'kind',
      'status',
      'paymentId',
      'captureId',
      'idempotencyKey',
      'amount',
      'final',
      'providerMetadata',
      'raw',
      'provider',
    ]);
  });

  it('maps the seed 422 example to Err(invalid_request, failed) keeping the provider code', async () => {
    canned.server.answer(422, SEED_422);
    const result = await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      idempotencyKey: 'k-422',
    });
    const error = result._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'invalid_request',
      outcome: 'failed',
      retryable: false,
      providerCode: 'payment_source_required',
      httpStatus: 422,
      idempotencyKey: 'k-422',
      kind: 'checkout',
    });
    expect(error.message).toContain('payment_source_required');
    expect(error.message).toContain('0HL80RJLS76I7');
  });

  it('sends capture_type NonFinal only for final: false, and the key as reference when none is given', async () => {
    canned.server.answer(202, SEED_202);
    await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      amount: { currency: 'EUR', value: 1000n },
      final: false,
      idempotencyKey: 'order-5023-capture-2',
      context: { cardBrand: 'visa' },
    });
    expect(last().body.toString('utf8')).toBe(
      '{"amount":1000,"capture_type":"NonFinal","reference":"order-5023-capture-2","metadata":{"capture_kit_idempotency_key":"order-5023-capture-2"}}',
    );
  });

  it('passes providerOptions.checkout fields after the neutral ones', async () => {
    canned.server.answer(202, SEED_202);
    await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      idempotencyKey: 'k-opts',
      reference: 'R1',
      providerOptions: {
        checkout: {
          description: 'Order 5023',
          billing_descriptor: { name: 'SHOP', city: 'London' },
        },
      },
    });
    expect(last().body.toString('utf8')).toBe(
      '{"reference":"R1","metadata":{"capture_kit_idempotency_key":"k-opts"},"description":"Order 5023","billing_descriptor":{"name":"SHOP","city":"London"}}',
    );
  });

  it('refuses unknown providerOptions.checkout keys by name, sending nothing', async () => {
    const before = canned.server.received.length;
    const result = await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      providerOptions: { checkout: { capture_type: 'NonFinal', descripton: 'typo' } },
    });
    const error = result._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'invalid_request', outcome: 'not_attempted' });
    expect(error.message).toContain('"descripton"');
    expect(error.message).toContain('"capture_type"');
    expect(canned.server.received.length).toBe(before);
  });

  it('refuses a wrongly shaped option with its path', async () => {
    const result = await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      providerOptions: { checkout: { items: 'socks' } },
    });
    expect(result._unsafeUnwrapErr().message).toContain('providerOptions.checkout.items');
  });

  it.each([
    [{ currency: 'KWD', value: 1005n }, 'must end in 0'],
    [{ currency: 'EUR', value: 1_000_000_000n }, 'more than 9 digits'],
  ])('refuses %o before sending (%s)', async (amount, words) => {
    const before = canned.server.received.length;
    const result = await canned.client.capture({ provider: 'cko', paymentId: PAYMENT, amount });
    const error = result._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'invalid_request', outcome: 'not_attempted' });
    expect(error.message).toContain(words);
    expect(canned.server.received.length).toBe(before);
  });

  it('accepts a three-decimal amount ending in 0 and Checkout.com zero-decimal currencies', async () => {
    canned.server.answer(202, SEED_202);
    const kwd = await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      amount: { currency: 'KWD', value: 1010n },
    });
    expect(kwd.isOk()).toBe(true);
    expect(last().body.toString('utf8')).toContain('"amount":1010');
    const jpy = await canned.client.capture({
      provider: 'cko',
      paymentId: PAYMENT,
      amount: { currency: 'JPY', value: 1200 },
    });
    expect(jpy.isOk()).toBe(true);
  });

  it('sends a previous-platform UUID-style key bare', async () => {
    const legacy = 'sk_test_0b9b5db6-f223-49d0-b68f-f6643dd4f808';
    const legacyClient = createCaptureClient({
      providers: { cko: checkout({ secretKey: legacy, baseUrl: canned.server.url }) },
    });
    canned.server.answer(202, SEED_202);
    await legacyClient.capture({ provider: 'cko', paymentId: PAYMENT });
    expect(last().headers.authorization).toBe(legacy);
    await legacyClient.close();
  });

  it('escapes the payment id in the path', async () => {
    canned.server.answer(404, '');
    await canned.client.capture({ provider: 'cko', paymentId: 'pay_a/../b?c' });
    expect(last().path).toBe('/payments/pay_a%2F..%2Fb%3Fc/captures');
  });

  it('keeps the base path prefix of baseUrl', async () => {
    const prefixed = createCaptureClient({
      providers: {
        cko: checkout({ secretKey: SANDBOX_KEY, baseUrl: `${canned.server.url}/proxy/cko/` }),
      },
    });
    canned.server.answer(202, SEED_202);
    await prefixed.capture({ provider: 'cko', paymentId: PAYMENT });
    expect(last().path).toBe(`/proxy/cko/payments/${PAYMENT}/captures`);
    await prefixed.close();
  });

  it('treats a 2xx without action_id as unknown: the capture may have been accepted', async () => {
    canned.server.answer(202, '{}');
    const error = (
      await canned.client.capture({ provider: 'cko', paymentId: PAYMENT })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'provider_error', outcome: 'unknown', retryable: true });
  });
});

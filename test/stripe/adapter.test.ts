import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import {
  mapStripeError,
  STRIPE_CODE_TABLE,
  signStripeWebhook,
  stripe,
  stripeCapabilities,
  stripeCaptureMarker,
} from '../../src/providers/stripe/index.js';
import { type StripeSimulator, startStripeSimulator } from '../../src/testing/simulators/stripe.js';

describe('the code table', () => {
  it('walks every row: each code maps to its row, through the body Stripe sends', () => {
    for (const [key, row] of Object.entries(STRIPE_CODE_TABLE)) {
      const [code, declineCode] = key.split('/');
      const isType =
        key.endsWith('_error') && key !== 'idempotency_error' ? true : key === 'idempotency_error';
      const body = isType
        ? { type: key }
        : {
            type: 'invalid_request_error',
            code,
            ...(declineCode ? { decline_code: declineCode } : {}),
          };
      const mapped = mapStripeError(Number(row.status), body);
      expect({ key, code: mapped.code, outcome: mapped.outcome }).toEqual({
        key,
        code: row.code,
        outcome: row.outcome,
      });
      expect(mapped.message.length, key).toBeGreaterThan(20);
    }
  });

  it('maps the capture-relevant codes as an independent list says', () => {
    const expected: Record<string, [string, string]> = {
      amount_too_large: ['amount_exceeds_authorized', 'failed'],
      payment_intent_unexpected_state: ['invalid_payment_state', 'failed'],
      resource_missing: ['payment_not_found', 'failed'],
      charge_expired_for_capture: ['authorization_expired', 'failed'],
      idempotency_key_in_use: ['capture_in_progress', 'unknown'],
      rate_limit: ['rate_limited', 'failed'],
    };
    for (const [code, [normalized, outcome]] of Object.entries(expected)) {
      const mapped = mapStripeError(400, { type: 'invalid_request_error', code });
      expect([code, mapped.code, mapped.outcome]).toEqual([code, normalized, outcome]);
    }
    expect(mapStripeError(400, { type: 'idempotency_error' })).toMatchObject({
      code: 'idempotency_conflict',
      outcome: 'unknown',
    });
    expect(
      mapStripeError(402, {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
      }).code,
    ).toBe('insufficient_funds');
    expect(
      mapStripeError(400, {
        type: 'invalid_request_error',
        code: 'payment_intent_invalid_parameter',
        param: 'final_capture',
      }).code,
    ).toBe('multiple_captures_not_supported');
  });

  it('never guesses failed: 5xx, 409 without a known code, and unreadable bodies are unknown', () => {
    expect(mapStripeError(500, { type: 'api_error' }).outcome).toBe('unknown');
    expect(mapStripeError(503, undefined).outcome).toBe('unknown');
    expect(
      mapStripeError(409, { type: 'invalid_request_error', code: 'something_new' }).outcome,
    ).toBe('unknown');
    expect(mapStripeError(400, undefined).outcome).toBe('unknown');
    expect(
      mapStripeError(400, { type: 'invalid_request_error', code: 'brand_new_code' }).outcome,
    ).toBe('failed');
    expect(mapStripeError(401, { type: 'invalid_request_error' }).code).toBe(
      'authentication_failed',
    );
  });
});

describe('settings', () => {
  const key = 'sk_test_1234567890abcdef';
  it('refuses unknown keys, publishable keys, a /v1 baseUrl and too many captures, naming the setting', () => {
    expect(() => stripe({ secretKey: key, webhookSecrets: 'x' } as never)).toThrow(
      /stripe\(\{ webhookSecrets \}\) is not a setting: did you mean webhookSecret\?/,
    );
    expect(() => stripe({ secretKey: 'pk_test_1234567890abcdef' })).toThrow(/publishable key/);
    expect(() => stripe({ secretKey: key, baseUrl: 'https://api.stripe.com/v1' })).toThrow(
      /adds \/v1/,
    );
    expect(() => stripe({ secretKey: key, maxCaptures: 51 })).toThrow(
      /stripe\(\{ maxCaptures \}\)/,
    );
    expect(() => stripe({ secretKey: key, timeoutMs: 0 })).toThrow(/stripe\(\{ timeoutMs \}\)/);
  });
  it('never puts the key in a message', () => {
    const secret = 'sk_live_SECRETVALUE';
    try {
      stripe({ secretKey: `${secret}!` });
    } catch (error) {
      expect(String(error)).not.toContain('SECRETVALUE');
    }
  });
});

describe('capabilities', () => {
  it('explain every false flag', () => {
    const jcb = stripeCapabilities({ cardBrand: 'jcb' }, { maxCaptures: 50, webhooks: false });
    expect(jcb.multipleCaptures).toBe(false);
    expect(jcb.reasons.join(' ')).toMatch(/jcb/);
    expect(jcb.reasons.join(' ')).toMatch(/webhookSecret/);
    const visa = stripeCapabilities({ cardBrand: 'Visa' }, { maxCaptures: 50, webhooks: true });
    expect(visa).toMatchObject({ multipleCaptures: true, finalCaptureFlag: true, maxCaptures: 50 });
  });
});

describe('the adapter against the simulator', () => {
  let sim: StripeSimulator;
  const client = () => {
    const adapter = stripe({ ...sim.credentials, baseUrl: sim.baseUrl, timeoutMs: 2000 });
    return {
      adapter,
      client: createCaptureClient({ providers: { stripe: adapter }, inFlightGraceMs: 0 }),
    };
  };
  beforeAll(async () => {
    sim = await startStripeSimulator();
  });
  afterAll(() => sim.close());

  it('sends the documented wire form: /v1 path, Bearer key, pinned Stripe-Version, form body, Idempotency-Key', async () => {
    const { client: c } = client();
    const { paymentId } = await sim.authorize({ amount: 5000n, currency: 'EUR' });
    const result = await c.capture({
      provider: 'stripe',
      paymentId,
      amount: { currency: 'EUR', value: 2000n },
      final: false,
      idempotencyKey: 'wire-1',
      metadata: { order: 'ORD-1' },
    });
    expect(result.isOk()).toBe(true);
    const post = sim.requests.find((r) => r.method === 'POST');
    expect(post?.path).toBe(`/v1/payment_intents/${paymentId}/capture`);
    expect(post?.headers.authorization).toBe(`Bearer ${sim.credentials.secretKey}`);
    expect(post?.headers['stripe-version']).toBe('2026-10-28.endive');
    expect(post?.headers['idempotency-key']).toBe('wire-1');
    expect(post?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(post?.body);
    expect(form.get('amount_to_capture')).toBe('2000');
    expect(form.get('final_capture')).toBe('false');
    expect(form.get('metadata[order]')).toBe('ORD-1');
    expect(form.get(`metadata[${stripeCaptureMarker('wire-1')}]`)).toBe('2000|more|wire-1');
    // The PaymentIntent's client_secret (the browser's key) never reaches raw.
    expect(JSON.stringify(result.isOk() && result.value.raw)).not.toContain('_secret_');
    const resolved = await c.resolve({ provider: 'stripe', paymentId, idempotencyKey: 'wire-1' });
    expect(JSON.stringify(resolved.isOk() && resolved.value.raw)).not.toContain('_secret_');
    await c.close();
  });

  it('a saved 500 stays unknown on the same key (Stripe replays it); resolve() reads the PaymentIntent: not found', async () => {
    const { client: c } = client();
    const { paymentId } = await sim.authorize({ amount: 5000n, currency: 'EUR' });
    sim.failNextCapture('api_error');
    const request = { provider: 'stripe', paymentId, idempotencyKey: 'saved-500' } as const;
    const first = await c.capture(request);
    expect(first.isErr() && [first.error.code, first.error.outcome]).toEqual([
      'provider_error',
      'unknown',
    ]);
    const again = await c.capture(request);
    expect(again.isErr() && again.error.outcome).toBe('unknown');
    expect(again.isErr() && again.error.message).toMatch(/replaying the first answer/);
    const resolved = await c.resolve(request);
    expect(
      resolved.isErr() && [resolved.error.code, resolved.error.outcome, resolved.error.retryable],
    ).toEqual(['capture_not_found', 'failed', true]);
    expect((await sim.payment(paymentId)).capturedTotal).toBe(0n);
    await c.close();
  });

  it('declines are failed with their code; final: false without multicapture is multiple_captures_not_supported', async () => {
    const { client: c } = client();
    const a = await sim.authorize({ amount: 5000n, currency: 'EUR' });
    sim.failNextCapture('insufficient_funds');
    const declined = await c.capture({ provider: 'stripe', paymentId: a.paymentId });
    expect(declined.isErr() && [declined.error.code, declined.error.outcome]).toEqual([
      'insufficient_funds',
      'failed',
    ]);
    const b = await sim.authorize({ amount: 5000n, currency: 'EUR', multicapture: false });
    const refused = await c.capture({
      provider: 'stripe',
      paymentId: b.paymentId,
      amount: { currency: 'EUR', value: 1000n },
      final: false,
    });
    expect(refused.isErr() && [refused.error.code, refused.error.outcome]).toEqual([
      'multiple_captures_not_supported',
      'failed',
    ]);
    await c.close();
  });

  it('refuses a currency other than the PaymentIntent’s before sending the capture', async () => {
    const { client: c } = client();
    const { paymentId } = await sim.authorize({ amount: 5000n, currency: 'EUR' });
    const before = sim.requests.filter((r) => r.method === 'POST').length;
    const result = await c.capture({
      provider: 'stripe',
      paymentId,
      amount: { currency: 'USD', value: 100n },
    });
    expect(result.isErr() && [result.error.code, result.error.outcome]).toEqual([
      'currency_mismatch',
      'not_attempted',
    ]);
    expect(sim.requests.filter((r) => r.method === 'POST').length).toBe(before);
    await c.close();
  });

  it('a second request under a key still running is capture_in_progress, unknown', async () => {
    const { adapter } = client();
    const { paymentId } = await sim.authorize({ amount: 5000n, currency: 'EUR' });
    sim.injectFault({ kind: 'delay', ms: 200 });
    const request = { paymentId, final: true, idempotencyKey: 'in-use' };
    const [first, second] = await Promise.all([
      adapter.doCapture(request),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => adapter.doCapture(request)),
    ]);
    expect(first.isOk()).toBe(true);
    expect(second.isErr() && [second.error.code, second.error.outcome]).toEqual([
      'capture_in_progress',
      'unknown',
    ]);
    await adapter.close?.();
  });

  it('resolve() keeps a failed inquiry unknown', async () => {
    const { client: c } = client();
    const { paymentId } = await sim.authorize({ amount: 5000n, currency: 'EUR' });
    await c.capture({ provider: 'stripe', paymentId, idempotencyKey: 'inq-1' });
    sim.injectInquiryFault({ kind: 'server_error', status: 503 });
    const resolved = await c.resolve({ provider: 'stripe', paymentId, idempotencyKey: 'inq-1' });
    // The journal already holds this key as succeeded, so ask the adapter directly.
    expect(resolved.isOk()).toBe(true);
    const { adapter } = client();
    sim.injectInquiryFault({ kind: 'server_error', status: 503 });
    const direct = await adapter.doResolve({ paymentId, idempotencyKey: 'inq-1' });
    expect(direct.isErr() && [direct.error.outcome, direct.error.httpStatus]).toEqual([
      'unknown',
      503,
    ]);
    await c.close();
    await adapter.close?.();
  });
});

describe('webhooks', () => {
  const secret = 'whsec_unit';
  const adapter = stripe({
    secretKey: 'sk_test_1234567890abcdef',
    webhookSecret: ['whsec_old', secret],
  });
  const event = (type: string, metadata: Record<string, string>) =>
    JSON.stringify({
      id: 'evt_9',
      object: 'event',
      type,
      created: 1_764_547_200,
      data: {
        object: {
          id: 'pi_9',
          object: 'payment_intent',
          amount: 5000,
          amount_received: 5000,
          currency: 'eur',
          status: 'succeeded',
          client_secret: 'pi_9_secret_abc',
          metadata,
        },
      },
    });
  const deliver = (body: string, signer = secret, t = Math.floor(Date.now() / 1000)) =>
    adapter.doParseWebhook({
      method: 'POST',
      path: '/hook',
      headers: { 'stripe-signature': signStripeWebhook(body, [signer], t) },
      rawBody: body,
    });

  it('payment_intent.succeeded settles the final capture named by its marker', async () => {
    const marker = stripeCaptureMarker('k-final');
    const parsed = await deliver(
      event('payment_intent.succeeded', {
        [stripeCaptureMarker('k-part')]: '2000|more|k-part',
        [marker]: '|final|k-final',
      }),
    );
    expect(parsed.isOk() && parsed.value).toMatchObject({
      id: 'evt_9',
      type: 'capture.succeeded',
      paymentId: 'pi_9',
      captureId: marker,
      idempotencyKey: 'k-final',
      amount: { currency: 'EUR', value: 3000n },
    });
    expect(JSON.stringify(parsed.isOk() && parsed.value.raw)).not.toContain('pi_9_secret_abc');
  });

  it('ignores other events (verified), refuses stale, unsigned or foreign deliveries', async () => {
    const ignored = await deliver(event('payment_intent.amount_capturable_updated', {}));
    expect(ignored.isErr() && [ignored.error.code, ignored.error.verified]).toEqual([
      'event_ignored',
      true,
    ]);
    const stale = await deliver(
      event('payment_intent.succeeded', {}),
      secret,
      Math.floor(Date.now() / 1000) - 600,
    );
    expect(stale.isErr() && [stale.error.code, stale.error.verified]).toEqual([
      'signature_invalid',
      false,
    ]);
    const foreign = await deliver(event('payment_intent.succeeded', {}), 'whsec_attacker');
    expect(foreign.isErr() && foreign.error.code).toBe('signature_invalid');
    const rotated = await deliver(
      event('payment_intent.amount_capturable_updated', {}),
      'whsec_old',
    );
    expect(rotated.isErr() && rotated.error.code).toBe('event_ignored');
  });
});

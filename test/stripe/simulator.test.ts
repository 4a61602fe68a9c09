import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import { stripe } from '../../src/providers/stripe/index.js';
import { DAY_MS } from '../../src/testing/manual-clock.js';
import { type StripeSimulator, startStripeSimulator } from '../../src/testing/simulators/stripe.js';

// The simulator's rules on the wire, as any HTTP client sees them.
describe('the Stripe simulator', () => {
  let sim: StripeSimulator;
  beforeAll(async () => {
    sim = await startStripeSimulator({ maxCaptures: 3 });
  });
  afterAll(() => sim.close());

  const post = (paymentId: string, form: Record<string, string>, key?: string, secret?: string) =>
    fetch(`${sim.url}/v1/payment_intents/${paymentId}/capture`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret ?? sim.credentials.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: new URLSearchParams(form).toString(),
    });

  it('replays a key’s first answer with Idempotent-Replayed, and refuses other parameters under it', async () => {
    const { paymentId } = await sim.authorize({ amount: 5000n });
    const first = await post(
      paymentId,
      { amount_to_capture: '1000', final_capture: 'false' },
      'k-1',
    );
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await post(
      paymentId,
      { amount_to_capture: '1000', final_capture: 'false' },
      'k-1',
    );
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toMatchObject({ amount_received: 1000, status: 'requires_capture' });
    const other = await post(
      paymentId,
      { amount_to_capture: '2000', final_capture: 'false' },
      'k-1',
    );
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: { type: 'idempotency_error' } });
    expect((await sim.payment(paymentId)).capturedTotal).toBe(1000n);
  });

  it('saves a 500 from inside the endpoint (replayed), but not one from in front of it', async () => {
    const { paymentId } = await sim.authorize({ amount: 5000n });
    sim.failNextCapture('api_error');
    expect((await post(paymentId, {}, 'k-500')).status).toBe(500);
    const replay = await post(paymentId, {}, 'k-500');
    expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([500, 'true']);
    sim.injectFault({ kind: 'server_error', status: 502 });
    expect((await post(paymentId, {}, 'k-edge')).status).toBe(502);
    expect((await post(paymentId, {}, 'k-edge')).status).toBe(200);
  });

  it('enforces the amount, the final capture, multicapture availability and the capture limit', async () => {
    const { paymentId } = await sim.authorize({ amount: 5000n, cardBrand: 'jcb' });
    const notMulti = await post(paymentId, { amount_to_capture: '100', final_capture: 'false' });
    expect(await notMulti.json()).toMatchObject({
      error: { code: 'payment_intent_invalid_parameter', param: 'final_capture' },
    });
    const tooMuch = await post(paymentId, { amount_to_capture: '9000' });
    expect(await tooMuch.json()).toMatchObject({ error: { code: 'amount_too_large' } });
    expect((await post(paymentId, { amount_to_capture: '100' })).status).toBe(200);
    const after = await post(paymentId, { amount_to_capture: '100' });
    expect(await after.json()).toMatchObject({
      error: { code: 'payment_intent_unexpected_state' },
    });

    const multi = await sim.authorize({ amount: 5000n });
    for (const n of [1, 2, 3]) {
      expect(
        (await post(multi.paymentId, { amount_to_capture: '10', final_capture: 'false' })).status,
        `capture ${n}`,
      ).toBe(200);
    }
    const fourth = await post(multi.paymentId, { amount_to_capture: '10', final_capture: 'false' });
    expect(fourth.status).toBe(400);
  });

  it('cancels a PaymentIntent not captured within 7 days; refuses a wrong key', async () => {
    const { paymentId } = await sim.authorize({ amount: 5000n });
    expect((await post(paymentId, {}, undefined, 'sk_test_wrong')).status).toBe(401);
    sim.advanceClock(7 * DAY_MS + 1);
    const late = await post(paymentId, {});
    expect(await late.json()).toMatchObject({ error: { code: 'payment_intent_unexpected_state' } });
    expect((await sim.payment(paymentId)).status).toBe('canceled');
  });

  it('the adapter refuses a capture past stripe({ maxCaptures }) before sending it', async () => {
    const adapter = stripe({ ...sim.credentials, baseUrl: sim.baseUrl, maxCaptures: 2 });
    const client = createCaptureClient({ providers: { stripe: adapter }, inFlightGraceMs: 0 });
    const { paymentId } = await sim.authorize({ amount: 5000n });
    for (const n of [1, 2]) {
      const ok = await client.capture({
        provider: 'stripe',
        paymentId,
        amount: { currency: 'EUR', value: 100n },
        final: false,
      });
      expect(ok.isOk(), `capture ${n}`).toBe(true);
    }
    const third = await client.capture({
      provider: 'stripe',
      paymentId,
      amount: { currency: 'EUR', value: 100n },
      final: false,
    });
    expect(third.isErr() && [third.error.code, third.error.outcome]).toEqual([
      'capture_limit_exceeded',
      'not_attempted',
    ]);
    expect((await sim.payment(paymentId)).captures).toHaveLength(2);
    await client.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, DAY_MS } from '../../src/testing/manual-clock.js';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';

describe('Checkout.com simulator', () => {
  const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
  let sim: CheckoutSimulator;
  let auth: string;

  beforeAll(async () => {
    sim = await startCheckoutSimulator({ clock });
    auth = `Bearer ${sim.credentials.secretKey}`;
  });
  afterAll(() => sim.close());

  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${sim.baseUrl}${path}`, {
      method,
      headers: {
        authorization: auth,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined
        ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
        : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      text,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  }
  const capture = (id: string, body: unknown, headers?: Record<string, string>) =>
    call('POST', `/payments/${id}/captures`, body, headers);
  const newPayment = (amount = 6540n, cardBrand = 'visa') =>
    sim.authorize({ amount, currency: 'EUR', cardBrand });

  it('generates sandbox-style credentials', () => {
    expect(sim.credentials.secretKey).toMatch(/^sk_sbox_[a-z2-7]{27}$/);
    expect(sim.credentials.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(sim.faults).not.toContain('unknown_status');
    expect(sim.faults).not.toContain('bad_signature');
    expect(sim.faults).toHaveLength(10);
  });

  it('answers 401 without the Bearer secret key', async () => {
    const { paymentId } = await newPayment();
    expect((await capture(paymentId, {}, { authorization: 'Bearer sk_sbox_wrong' })).status).toBe(
      401,
    );
    expect(
      (await capture(paymentId, {}, { authorization: sim.credentials.secretKey })).status,
    ).toBe(401);
    expect(
      (await call('GET', `/payments/${paymentId}`, undefined, { authorization: '' })).status,
    ).toBe(401);
    expect((await sim.payment(paymentId)).captures).toEqual([]);
  });

  it('answers 202 {action_id, reference, _links} and records the capture', async () => {
    const { paymentId } = await newPayment();
    const answer = await capture(
      paymentId,
      { amount: 3500, reference: 'ORD-1' },
      { 'cko-idempotency-key': 'k-202' },
    );
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({
      action_id: expect.stringMatching(/^act_[a-z2-7]{26}$/),
      reference: 'ORD-1',
      _links: { payment: { href: `${sim.url}/payments/${paymentId}` } },
    });
    const state = await sim.payment(paymentId);
    expect(state).toMatchObject({ capturedTotal: 3500n, status: 'Partially Captured' });
    expect(state.captures).toEqual([
      {
        idempotencyKey: 'k-202',
        captureId: answer.json?.action_id,
        amount: 3500n,
        status: 'succeeded',
        final: true,
      },
    ]);
  });

  it.each([
    [{ amount: 0 }, ['amount_invalid']],
    [{ amount: -5 }, ['amount_invalid']],
    [{ amount: 10.5 }, ['amount_invalid']],
    [{ amount: '3500' }, ['amount_invalid']],
    [{ amount: 1_000_000_000 }, ['amount_invalid']],
    [{ capture_type: 'Partial' }, ['capture_type_invalid']],
    [{ reference: 42 }, ['reference_invalid']],
    [{ metadata: { nested: { a: 1 } } }, ['metadata_invalid']],
    [{ amount: 0, metadata: [1] }, ['amount_invalid', 'metadata_invalid']],
  ])('validates the body: %j → 422 %j', async (body, codes) => {
    const { paymentId } = await newPayment();
    const answer = await capture(paymentId, body);
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({
      request_id: expect.any(String),
      error_type: 'request_invalid',
      error_codes: codes,
    });
  });

  it('answers 404 for an unknown payment', async () => {
    expect((await capture('pay_doesnotexistdoesnotexist00', {})).status).toBe(404);
    expect((await call('GET', '/payments/pay_doesnotexistdoesnotexist00/actions')).status).toBe(
      404,
    );
  });

  it('refuses over-capture with 422 and the documented codes', async () => {
    const { paymentId } = await newPayment(1000n);
    expect((await capture(paymentId, { amount: 1001 })).json?.error_codes).toEqual([
      'capture_value_greater_than_authorized',
    ]);
    expect((await capture(paymentId, { amount: 400, capture_type: 'NonFinal' })).status).toBe(202);
    expect((await capture(paymentId, { amount: 601 })).json?.error_codes).toEqual([
      'capture_value_greater_than_remaining_authorized',
    ]);
    expect((await capture(paymentId, { amount: 600 })).status).toBe(202);
    expect((await sim.payment(paymentId)).status).toBe('Captured');
  });

  it('answers 403 once the payment is fully captured, voided, auto-captured or expired', async () => {
    const full = await newPayment();
    expect((await capture(full.paymentId, {})).status).toBe(202);
    expect((await capture(full.paymentId, {})).status).toBe(403);

    const voided = await newPayment();
    expect(
      (await call('POST', `/payments/${voided.paymentId}/voids`, { reference: 'v' })).status,
    ).toBe(202);
    expect((await capture(voided.paymentId, {})).status).toBe(403);
    expect((await sim.payment(voided.paymentId)).status).toBe('Voided');

    const auto = await sim.authorize({ amount: 500n, currency: 'EUR', captureMode: 'AUTOMATIC' });
    expect((await capture(auto.paymentId, {})).status).toBe(403);
    expect((await sim.payment(auto.paymentId)).status).toBe('Captured');
  });

  it('a Final capture after a partial one voids the remainder', async () => {
    const { paymentId } = await newPayment(1000n);
    expect((await capture(paymentId, { amount: 300 })).status).toBe(202);
    expect((await capture(paymentId, { amount: 100 })).status).toBe(403);
    const details = await call('GET', `/payments/${paymentId}`);
    expect(details.json).toMatchObject({
      status: 'Partially Captured',
      balances: {
        total_authorized: 1000,
        total_captured: 300,
        total_voided: 700,
        available_to_capture: 0,
      },
    });
  });

  it('NonFinal only for Visa, Mastercard, Amex and Discover', async () => {
    for (const brand of ['visa', 'mastercard', 'amex', 'discover']) {
      const { paymentId } = await newPayment(1000n, brand);
      expect((await capture(paymentId, { amount: 100, capture_type: 'NonFinal' })).status).toBe(
        202,
      );
    }
    const jcb = await newPayment(1000n, 'jcb');
    const refused = await capture(jcb.paymentId, { amount: 100, capture_type: 'NonFinal' });
    expect(refused.json?.error_codes).toEqual(['capture_type_not_supported']);
  });

  it('allows at most 150 partial actions', async () => {
    const { paymentId } = await newPayment(1000n);
    for (let i = 0; i < 150; i += 1) {
      expect((await capture(paymentId, { amount: 1, capture_type: 'NonFinal' })).status).toBe(202);
    }
    const refused = await capture(paymentId, { amount: 1, capture_type: 'NonFinal' });
    expect(refused.json?.error_codes).toEqual(['partial_actions_limit_exceeded']);
    expect((await sim.payment(paymentId)).capturedTotal).toBe(150n);
  });

  it('replays a 2xx for the same key and body: identical status and bytes, nothing captured', async () => {
    const { paymentId } = await newPayment();
    const headers = { 'cko-idempotency-key': 'replay-1' };
    const first = await capture(paymentId, { amount: 1000, reference: 'R' }, headers);
    const second = await capture(paymentId, { amount: 1000, reference: 'R' }, headers);
    expect(second.status).toBe(first.status);
    expect(second.text).toBe(first.text);
    expect((await sim.payment(paymentId)).captures).toHaveLength(1);
  });

  it('refuses a key reused with a different body (ASSUMED 409 idempotency_key_reused)', async () => {
    const { paymentId } = await newPayment();
    const headers = { 'cko-idempotency-key': 'conflict-1' };
    expect((await capture(paymentId, { amount: 1000 }, headers)).status).toBe(202);
    const conflict = await capture(paymentId, { amount: 2000 }, headers);
    expect(conflict.status).toBe(409);
    expect(conflict.json?.error_codes).toEqual(['idempotency_key_reused']);
    expect((await sim.payment(paymentId)).capturedTotal).toBe(1000n);
  });

  it('does not keep 4xx answers: the same key is processed afresh', async () => {
    const { paymentId } = await newPayment(1000n);
    const headers = { 'cko-idempotency-key': 'after-4xx' };
    expect((await capture(paymentId, { amount: 0 }, headers)).status).toBe(422);
    expect((await capture(paymentId, { amount: 500 }, headers)).status).toBe(202);
  });

  it('lists actions latest first with the documented shape', async () => {
    const { paymentId } = await newPayment(1000n);
    const accepted = await capture(paymentId, {
      amount: 400,
      capture_type: 'NonFinal',
      reference: 'R1',
      metadata: { a: 1 },
    });
    const actions = (await call('GET', `/payments/${paymentId}/actions`)).json as unknown as Record<
      string,
      unknown
    >[];
    expect(actions.map((a) => a.type)).toEqual(['Capture', 'Authorization']);
    expect(actions[0]).toEqual({
      id: accepted.json?.action_id,
      type: 'Capture',
      processed_on: expect.any(String),
      amount: 400,
      approved: true,
      response_code: '10000',
      response_summary: 'Approved',
      reference: 'R1',
      metadata: { a: 1 },
    });
  });

  it('shows a declined capture as approved: false with its response code', async () => {
    const { paymentId } = await newPayment(1000n);
    sim.declineNextCapture('20051', 'Insufficient Funds');
    expect((await capture(paymentId, { amount: 400 })).status).toBe(202);
    const actions = (await call('GET', `/payments/${paymentId}/actions`)).json as unknown as Record<
      string,
      unknown
    >[];
    expect(actions[0]).toMatchObject({ type: 'Capture', approved: false, response_code: '20051' });
    const state = await sim.payment(paymentId);
    expect(state.capturedTotal).toBe(0n);
    expect(state.captures[0]?.status).toBe('failed');
    // A declined Final capture leaves the authorization open.
    expect((await capture(paymentId, { amount: 400 })).status).toBe(202);
  });

  it('refuses injecting faults it does not implement', () => {
    expect(() => sim.injectFault({ kind: 'unknown_status' })).toThrow(
      /cannot inject 'unknown_status'/,
    );
    expect(() => sim.injectFault({ kind: 'bad_signature' })).toThrow(/cannot inject/);
  });

  it('forgets a kept answer after 24 h and expires authorizations after 7 days (manual clock)', async () => {
    const { paymentId } = await newPayment(1000n);
    const headers = { 'cko-idempotency-key': 'day-old' };
    expect(
      (await capture(paymentId, { amount: 100, capture_type: 'NonFinal' }, headers)).status,
    ).toBe(202);
    sim.advanceClock(DAY_MS + 1);
    expect(
      (await capture(paymentId, { amount: 100, capture_type: 'NonFinal' }, headers)).status,
    ).toBe(202);
    expect((await sim.payment(paymentId)).captures).toHaveLength(2);

    const fresh = await newPayment(1000n);
    sim.advanceClock(7 * DAY_MS);
    expect((await capture(fresh.paymentId, {})).status).toBe(202);
    const late = await newPayment(1000n);
    sim.advanceClock(7 * DAY_MS + 1);
    expect((await capture(late.paymentId, {})).status).toBe(403);
    expect((await call('GET', `/payments/${late.paymentId}`)).json?.status).toBe('Expired');
  });
});

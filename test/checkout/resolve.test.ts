import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/testing/manual-clock.js';
import {
  type CheckoutFixture,
  startCheckoutFixture,
  useCannedCheckout,
} from './checkout-fixture.js';

describe('checkout resolve() against the simulator', () => {
  let fx: CheckoutFixture;
  beforeAll(async () => {
    fx = await startCheckoutFixture();
  });
  afterAll(() => fx.close());

  const authorize = () => fx.sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'visa' });
  const resolve = (
    paymentId: string,
    extra: { idempotencyKey: string; captureId?: string; reference?: string },
  ) => fx.client.resolve({ provider: 'cko', paymentId, ...extra });

  it('finds the capture by action id: Ok(succeeded) with amount, time and metadata', async () => {
    const { paymentId } = await authorize();
    const capture = (
      await fx.client.capture({
        provider: 'cko',
        paymentId,
        idempotencyKey: 'r-1',
        amount: { currency: 'EUR', value: 3500n },
        final: false,
        context: { cardBrand: 'visa' },
      })
    )._unsafeUnwrap();
    const resolved = (
      await resolve(paymentId, {
        idempotencyKey: 'r-1',
        ...(capture.captureId ? { captureId: capture.captureId } : {}),
      })
    )._unsafeUnwrap();
    expect(resolved).toMatchObject({
      provider: 'cko',
      kind: 'checkout',
      status: 'succeeded',
      paymentId,
      captureId: capture.captureId,
      idempotencyKey: 'r-1',
      amount: { currency: 'EUR', value: 3500n },
      final: false,
      capturedAt: expect.any(String),
      providerMetadata: {
        actionId: capture.captureId,
        responseCode: '10000',
        responseSummary: 'Approved',
        paymentStatus: 'Partially Captured',
        balances: expect.objectContaining({ total_captured: 3500, available_to_capture: 3040 }),
      },
    });
  });

  it('finds it by the idempotency key when the caller gave no reference (the key was sent as reference)', async () => {
    const { paymentId } = await authorize();
    fx.sim.injectFault({ kind: 'timeout_after_commit' });
    // No webhook: it would settle the capture before resolve() is asked.
    fx.sim.injectFault({ kind: 'webhook_missing' });
    const lost = await fx.client.capture({ provider: 'cko', paymentId, idempotencyKey: 'r-2' });
    expect(lost._unsafeUnwrapErr()).toMatchObject({ code: 'timeout', outcome: 'unknown' });
    const resolved = (await resolve(paymentId, { idempotencyKey: 'r-2' }))._unsafeUnwrap();
    expect(resolved).toMatchObject({
      status: 'succeeded',
      amount: { currency: 'EUR', value: 6540n },
      final: true,
    });
    // Answered by the inquiry, or from the journal when the webhook came first.
    expect(resolved.idempotencyKey).toBe('r-2');
    expect(resolved.captureId).toMatch(/^act_/);
  });

  it('finds it by the caller reference, or by the key it carries in metadata', async () => {
    const { paymentId } = await authorize();
    fx.sim.injectFault({ kind: 'reset_after_commit' });
    // No webhook: it would settle the capture before resolve() is asked.
    fx.sim.injectFault({ kind: 'webhook_missing' });
    const lost = await fx.client.capture({
      provider: 'cko',
      paymentId,
      idempotencyKey: 'r-3',
      reference: 'ORD-3',
    });
    expect(lost._unsafeUnwrapErr()).toMatchObject({ code: 'network_error', outcome: 'unknown' });
    expect(
      (await resolve(paymentId, { idempotencyKey: 'r-3', reference: 'ORD-3' }))._unsafeUnwrap()
        .status,
    ).toBe('succeeded');
    // The journal remembers that answer: asked again without the reference, and a retry
    // with the same key, both get the success without another capture.
    expect((await resolve(paymentId, { idempotencyKey: 'r-3' }))._unsafeUnwrap().status).toBe(
      'succeeded',
    );
    const again = await fx.client.capture({
      provider: 'cko',
      paymentId,
      idempotencyKey: 'r-3',
      reference: 'ORD-3',
    });
    expect(again._unsafeUnwrap().status).toBe('succeeded');
    expect((await fx.sim.payment(paymentId)).captures).toHaveLength(1);
  });

  it('reports capture_not_found (failed, retryable) when nothing was captured', async () => {
    const { paymentId } = await authorize();
    fx.sim.injectFault({ kind: 'timeout_before_commit' });
    await fx.client.capture({ provider: 'cko', paymentId, idempotencyKey: 'r-4' });
    const error = (await resolve(paymentId, { idempotencyKey: 'r-4' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'capture_not_found',
      outcome: 'failed',
      retryable: true,
      idempotencyKey: 'r-4',
    });
    expect(error.message).toContain('SAME idempotency key');
  });

  it('reports a declined capture as Err(failed) from its response code', async () => {
    const { paymentId } = await authorize();
    fx.sim.declineNextCapture('20051', 'Insufficient Funds');
    await fx.client.capture({ provider: 'cko', paymentId, idempotencyKey: 'r-5' });
    const error = (await resolve(paymentId, { idempotencyKey: 'r-5' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'insufficient_funds',
      outcome: 'failed',
      providerCode: '20051',
    });
    expect(error.message).toContain('Insufficient Funds');
  });

  it('says authorization_expired / authorization_cancelled where the payment says so', async () => {
    const voided = await authorize();
    await fetch(`${fx.sim.baseUrl}/payments/${voided.paymentId}/voids`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fx.sim.credentials.secretKey}` },
    });
    expect(
      (await resolve(voided.paymentId, { idempotencyKey: 'r-6' }))._unsafeUnwrapErr(),
    ).toMatchObject({
      code: 'authorization_cancelled',
      outcome: 'failed',
      retryable: false,
      providerStatus: 'Voided',
    });
    const old = await authorize();
    fx.sim.advanceClock(8 * DAY_MS);
    const capture = await fx.client.capture({
      provider: 'cko',
      paymentId: old.paymentId,
      idempotencyKey: 'r-7',
    });
    expect(capture._unsafeUnwrapErr()).toMatchObject({
      code: 'invalid_payment_state',
      outcome: 'failed',
      httpStatus: 403,
    });
    expect(
      (await resolve(old.paymentId, { idempotencyKey: 'r-7' }))._unsafeUnwrapErr(),
    ).toMatchObject({
      code: 'authorization_expired',
      outcome: 'failed',
      providerStatus: 'Expired',
    });
  });

  it('reports payment_not_found for an unknown payment', async () => {
    expect(
      (await resolve('pay_unknownunknownunknown000', { idempotencyKey: 'r-8' }))._unsafeUnwrapErr(),
    ).toMatchObject({
      code: 'payment_not_found',
      outcome: 'failed',
    });
  });
});

describe('checkout resolve() while the capture is processing', () => {
  let fx: CheckoutFixture;
  beforeAll(async () => {
    fx = await startCheckoutFixture({ processingDelayMs: 150 });
  });
  afterAll(() => fx.close());

  it('is Ok(pending) for an accepted capture not yet listed, then succeeded', async () => {
    const { paymentId } = await fx.sim.authorize({ amount: 6540n, currency: 'EUR' });
    const capture = (
      await fx.client.capture({ provider: 'cko', paymentId, idempotencyKey: 'p-1' })
    )._unsafeUnwrap();
    const request = {
      provider: 'cko',
      paymentId,
      idempotencyKey: 'p-1',
      ...(capture.captureId ? { captureId: capture.captureId } : {}),
    };
    const pending = (await fx.client.resolve(request))._unsafeUnwrap();
    expect(pending).toMatchObject({
      status: 'pending',
      captureId: capture.captureId,
      providerMetadata: { paymentStatus: 'Capture Pending' },
    });
    await fx.sim.settle();
    expect((await fx.client.resolve(request))._unsafeUnwrap().status).toBe('succeeded');
  });
});

describe('checkout resolve() when the inquiry itself fails', () => {
  const canned = useCannedCheckout();
  const resolve = () =>
    canned.client.resolve({ provider: 'cko', paymentId: 'pay_x', idempotencyKey: 'k' });

  it('a 5xx is Err(unknown): ask again', async () => {
    canned.server.answer(503, '');
    expect((await resolve())._unsafeUnwrapErr()).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
      retryable: true,
    });
  });

  it('a body that is not a list is Err(unknown)', async () => {
    canned.server.answer(200, '{"data":[]}');
    expect((await resolve())._unsafeUnwrapErr()).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
    });
  });

  // Issue 10, defect 1: a refused inquiry says nothing about the capture.
  it('401 is authentication_failed and 403 access_denied, both with outcome unknown', async () => {
    canned.server.answer(401, '');
    expect((await resolve())._unsafeUnwrapErr()).toMatchObject({
      code: 'authentication_failed',
      outcome: 'unknown',
      httpStatus: 401,
    });
    canned.server.answer(403, '');
    expect((await resolve())._unsafeUnwrapErr()).toMatchObject({
      code: 'access_denied',
      outcome: 'unknown',
      httpStatus: 403,
    });
  });

  it('reads the actions list and the payment with GETs to the documented paths', async () => {
    canned.server.answer(200, '[]');
    await resolve();
    const paths = canned.server.received
      .slice(-2)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(paths).toEqual(['GET /payments/pay_x', 'GET /payments/pay_x/actions']);
  });
});

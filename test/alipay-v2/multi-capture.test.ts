import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWallet, type WalletFixture } from './wallet-fixture.js';

let wallet: WalletFixture;
beforeAll(async () => {
  wallet = await startWallet({ prefix: '/acl/api' });
});
afterAll(() => wallet.close());

const usd = (value: bigint) => ({ currency: 'USD', value });
const captureUsd = (paymentId: string, value: bigint, final?: boolean) =>
  wallet.client.capture({
    provider: 'wallet',
    paymentId,
    amount: usd(value),
    ...(final !== undefined ? { final } : {}),
  });

async function captureParts(
  paymentId: string,
  parts: readonly { value: bigint; final: boolean }[],
) {
  const results = [];
  for (const [index, part] of parts.entries()) {
    results.push(
      await wallet.client.capture({
        provider: 'wallet',
        paymentId,
        amount: usd(part.value),
        final: part.final,
        idempotencyKey: `${paymentId}-part-${index + 1}`,
      }),
    );
  }
  return results;
}

describe('Alipay+ v2 multiple captures (isLastCapture)', () => {
  it('captures in three parts, the last final, then refuses a fourth', async () => {
    const payment = await wallet.sim.authorize({ amount: 9000n });
    const results = await captureParts(payment.paymentId, [
      { value: 2000n, final: false },
      { value: 3000n, final: false },
      { value: 4000n, final: true },
    ]);
    for (const [index, result] of results.entries()) {
      const capture = result._unsafeUnwrap();
      expect(capture.status).toBe('succeeded');
      expect(capture.final).toBe(index === 2);
      expect(capture.captureId).toMatch(/^\d+$/);
    }
    expect(results.map((r) => r._unsafeUnwrap().amount?.value)).toEqual([2000n, 3000n, 4000n]);

    const state = await wallet.sim.payment(payment.paymentId);
    expect(state.capturedTotal).toBe(9000n);
    expect(state.status).toBe('CLOSED');
    expect(state.captures.map((c) => c.final)).toEqual([false, false, true]);

    const sent = wallet.sim.requests
      .filter((r) => r.body.includes(payment.paymentId))
      .map((r) => JSON.parse(r.body) as { isLastCapture?: unknown });
    expect(sent.map((body) => body.isLastCapture)).toEqual([false, false, undefined]);

    const fourth = await captureUsd(payment.paymentId, 100n);
    const error = fourth._unsafeUnwrapErr();
    expect(error).toMatchObject({
      outcome: 'failed',
      code: 'amount_exceeds_authorized',
      providerCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
    });
    expect((await wallet.sim.payment(payment.paymentId)).captures).toHaveLength(3);
  });

  it('releases the remainder with the last capture: a later capture is AUTH_CANCELLED', async () => {
    const payment = await wallet.sim.authorize({ amount: 9000n });
    const results = await captureParts(payment.paymentId, [
      { value: 1000n, final: false },
      { value: 1000n, final: false },
      { value: 1000n, final: true },
    ]);
    expect(results.every((r) => r.isOk())).toBe(true);
    const state = await wallet.sim.payment(payment.paymentId);
    expect(state.capturedTotal).toBe(3000n);
    expect(state.status).toBe('CLOSED');
    const fourth = await captureUsd(payment.paymentId, 1000n);
    expect(fourth._unsafeUnwrapErr()).toMatchObject({
      outcome: 'failed',
      code: 'authorization_cancelled',
      providerCode: 'AUTH_CANCELLED',
    });
  });

  it('captures the whole remaining amount when amount is omitted', async () => {
    const payment = await wallet.sim.authorize({ amount: 5000n });
    const [first] = await captureParts(payment.paymentId, [{ value: 1500n, final: false }]);
    expect(first?.isOk()).toBe(true);
    const rest = await wallet.client.capture({ provider: 'wallet', paymentId: payment.paymentId });
    const capture = rest._unsafeUnwrap();
    expect(capture.amount).toEqual(usd(3500n));
    expect(capture.final).toBe(true);
    const last = wallet.sim.requests.at(-1);
    expect(JSON.parse(last?.body ?? '{}')).not.toHaveProperty('captureAmount');
    expect((await wallet.sim.payment(payment.paymentId)).capturedTotal).toBe(5000n);
  });

  it('refuses a non-final capture above what remains and keeps the payment open', async () => {
    const payment = await wallet.sim.authorize({ amount: 5000n });
    await captureParts(payment.paymentId, [{ value: 4000n, final: false }]);
    const over = await captureUsd(payment.paymentId, 1001n, false);
    expect(over._unsafeUnwrapErr()).toMatchObject({
      outcome: 'failed',
      code: 'amount_exceeds_authorized',
    });
    const state = await wallet.sim.payment(payment.paymentId);
    expect(state.capturedTotal).toBe(4000n);
    expect(state.status).toBe('PARTIALLY_CAPTURED');
    const fits = await captureUsd(payment.paymentId, 1000n);
    expect(fits._unsafeUnwrap().status).toBe('succeeded');
  });
});

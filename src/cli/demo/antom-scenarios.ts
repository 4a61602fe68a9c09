import type { DemoEnvironment } from './demo-environment.js';
import { describeOutcome, expectThat, type Scenario } from './scenario.js';

/** Antom: a full capture; a U answer resolved by inquiry; a partial refused before sending. */
export function antomScenarios(env: DemoEnvironment): Scenario[] {
  return [
    {
      provider: 'antom',
      name: 'full capture succeeds',
      async run() {
        const payment = await env.antom.authorize({ amount: 6540n, currency: 'USD' });
        const result = await env.client.capture({
          provider: 'antom',
          paymentId: payment.paymentId,
          amount: payment.amount,
          idempotencyKey: `demo-antom-full-${payment.paymentId}`,
        });
        const state = await env.antom.payment(payment.paymentId);
        expectThat(
          result.isOk() && result.value.status === 'succeeded',
          `expected succeeded, got ${describeOutcome(result)}`,
        );
        expectThat(
          state.capturedTotal === 6540n,
          `simulator holds ${state.capturedTotal}, expected 6540`,
        );
        return {
          outcome: describeOutcome(result),
          captured: { currency: 'USD', value: state.capturedTotal },
          passed: true,
          detail: 'S → succeeded',
        };
      },
    },
    {
      provider: 'antom',
      name: 'U answer resolved by inquiry, no second capture',
      async run() {
        const payment = await env.antom.authorize({ amount: 12000n, currency: 'USD' });
        const idempotencyKey = `demo-antom-u-${payment.paymentId}`;
        env.antom.injectFault({ kind: 'unknown_status', providerCode: 'UNKNOWN_EXCEPTION' });
        const first = await env.client.capture({
          provider: 'antom',
          paymentId: payment.paymentId,
          amount: payment.amount,
          idempotencyKey,
        });
        expectThat(
          first.isErr() && first.error.outcome === 'unknown',
          `expected unknown, got ${describeOutcome(first)}`,
        );
        let resolved = await env.client.resolve({
          provider: 'antom',
          paymentId: payment.paymentId,
          idempotencyKey,
        });
        for (let i = 0; i < 5 && resolved.isOk() && resolved.value.status === 'pending'; i++) {
          await env.antom.settle();
          resolved = await env.client.resolve({
            provider: 'antom',
            paymentId: payment.paymentId,
            idempotencyKey,
          });
        }
        const state = await env.antom.payment(payment.paymentId);
        expectThat(
          resolved.isOk() && resolved.value.status === 'succeeded',
          `resolve gave ${describeOutcome(resolved)}`,
        );
        expectThat(
          state.captures.length === 1,
          `simulator holds ${state.captures.length} captures, expected exactly 1`,
        );
        return {
          outcome: `${describeOutcome(first)} → ${describeOutcome(resolved)}`,
          captured: { currency: 'USD', value: state.capturedTotal },
          passed: true,
          detail: 'inquiryPayment found the capture; exactly one capture exists',
        };
      },
    },
    {
      provider: 'antom',
      name: 'partial capture refused before sending (full-only contract)',
      async run() {
        const payment = await env.antom.authorize({ amount: 8000n, currency: 'USD' });
        const result = await env.client.capture({
          provider: 'antom',
          paymentId: payment.paymentId,
          amount: { currency: 'USD', value: 3000n },
          authorizedAmount: payment.amount,
        });
        const state = await env.antom.payment(payment.paymentId);
        expectThat(
          result.isErr() &&
            result.error.code === 'unsupported' &&
            result.error.outcome === 'not_attempted',
          `expected not_attempted (unsupported), got ${describeOutcome(result)}`,
        );
        expectThat(state.captures.length === 0, 'the simulator must not have seen a capture');
        return {
          outcome: describeOutcome(result),
          captured: { currency: 'USD', value: state.capturedTotal },
          passed: true,
          detail: 'preflight refused; nothing sent',
        };
      },
    },
  ];
}

import type { DemoEnvironment } from './demo-environment.js';
import { describeOutcome, expectThat, type Scenario } from './scenario.js';
import { unknownOutcomeScenario } from './unknown-outcome-scenario.js';

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
    unknownOutcomeScenario(env, {
      name: 'U answer resolved by inquiry, no second capture',
      fault: { kind: 'unknown_status', providerCode: 'UNKNOWN_EXCEPTION' },
      amount: 12000n,
      detail: 'inquiryPayment found the capture; exactly one capture exists',
    }),
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

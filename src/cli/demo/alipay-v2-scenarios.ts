import type { DemoEnvironment } from './demo-environment.js';
import { describeOutcome, expectThat, type Scenario } from './scenario.js';

/** Alipay+ v2: three captures, the last with `final: true`; a fourth is refused. */
export function alipayV2Scenarios(env: DemoEnvironment): Scenario[] {
  return [
    {
      provider: 'wallet',
      name: 'three captures, the last final; a fourth refused',
      async run() {
        const payment = await env.alipayV2.authorize({ amount: 9000n, currency: 'USD' });
        const parts = [
          { value: 2000n, final: false },
          { value: 3000n, final: false },
          { value: 4000n, final: true },
        ];
        for (const [index, part] of parts.entries()) {
          const result = await env.client.capture({
            provider: 'wallet',
            paymentId: payment.paymentId,
            amount: { currency: 'USD', value: part.value },
            final: part.final,
            idempotencyKey: `demo-wallet-${payment.paymentId}-${index + 1}`,
          });
          expectThat(
            result.isOk() && result.value.status === 'succeeded',
            `capture ${index + 1} gave ${describeOutcome(result)}`,
          );
        }
        const fourth = await env.client.capture({
          provider: 'wallet',
          paymentId: payment.paymentId,
          amount: { currency: 'USD', value: 100n },
        });
        const state = await env.alipayV2.payment(payment.paymentId);
        expectThat(
          fourth.isErr() && fourth.error.outcome === 'failed',
          `fourth capture gave ${describeOutcome(fourth)}`,
        );
        expectThat(
          state.captures.length === 3,
          `simulator holds ${state.captures.length} captures, expected 3`,
        );
        return {
          outcome: `3 × succeeded, 4th ${describeOutcome(fourth)}`,
          captured: { currency: 'USD', value: state.capturedTotal },
          passed: true,
          detail: `isLastCapture closed the payment; 4th answered ${fourth.error.providerCode ?? fourth.error.code}`,
        };
      },
    },
  ];
}

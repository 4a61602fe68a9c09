import type { DemoEnvironment } from './demo-environment.js';
import { describeOutcome, expectThat, type Scenario } from './scenario.js';

/**
 * Stripe: a multicapture PaymentIntent captured in two parts (`final_capture=false`, then
 * final); `payment_intent.succeeded` names the final capture's key through its marker.
 */
export function stripeScenarios(env: DemoEnvironment): Scenario[] {
  return [
    {
      provider: 'stripe',
      name: 'multicapture: 4000 with final_capture=false, then 3000 final; the webhook names it',
      async run() {
        const payment = await env.stripe.authorize({
          amount: 8000n,
          currency: 'EUR',
          cardBrand: 'visa',
        });
        const keys = [
          `demo-stripe-${payment.paymentId}-1`,
          `demo-stripe-${payment.paymentId}-2`,
        ] as const;
        const first = await env.client.capture({
          provider: 'stripe',
          paymentId: payment.paymentId,
          amount: { currency: 'EUR', value: 4000n },
          final: false,
          idempotencyKey: keys[0],
          context: payment.context,
        });
        expectThat(
          first.isOk() && first.value.status === 'succeeded',
          `first capture gave ${describeOutcome(first)}`,
        );
        const last = await env.client.capture({
          provider: 'stripe',
          paymentId: payment.paymentId,
          amount: { currency: 'EUR', value: 3000n },
          final: true,
          idempotencyKey: keys[1],
          context: payment.context,
        });
        expectThat(
          last.isOk() && last.value.status === 'succeeded',
          `final capture gave ${describeOutcome(last)}`,
        );
        const event = await env.waitForEvent((e) => e.paymentId === payment.paymentId);
        expectThat(
          event.type === 'capture.succeeded' && event.idempotencyKey === keys[1],
          `the webhook named ${event.idempotencyKey ?? 'no key'}, expected ${keys[1]}`,
        );
        const state = await env.stripe.payment(payment.paymentId);
        expectThat(
          state.capturedTotal === 7000n,
          `simulator holds ${state.capturedTotal}, expected 7000`,
        );
        return {
          outcome: 'succeeded, succeeded → capture.succeeded',
          captured: { currency: 'EUR', value: state.capturedTotal },
          passed: true,
          detail: `PaymentIntent ${state.status}; 1000 released by the final capture; payment_intent.succeeded named the final key`,
        };
      },
    },
  ];
}

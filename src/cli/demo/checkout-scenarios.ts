import type { DemoEnvironment } from './demo-environment.js';
import { describeOutcome, expectThat, type Scenario } from './scenario.js';

/**
 * Checkout.com: NonFinal partial → pending → webhook → succeeded; the final rest; an
 * over-capture refused by the provider.
 */
export function checkoutScenarios(env: DemoEnvironment): Scenario[] {
  let paymentId = '';
  const authorized = 6540n;
  const firstPart = 3500n;
  return [
    {
      provider: 'cko',
      name: 'partial NonFinal capture → pending → webhook → succeeded',
      async run() {
        const payment = await env.checkout.authorize({
          amount: authorized,
          currency: 'EUR',
          cardBrand: 'visa',
        });
        paymentId = payment.paymentId;
        const result = await env.client.capture({
          provider: 'cko',
          paymentId,
          amount: { currency: 'EUR', value: firstPart },
          final: false,
          context: payment.context,
          reference: 'ORD-5023-4E89',
        });
        expectThat(
          result.isOk() && result.value.status === 'pending',
          `expected pending, got ${describeOutcome(result)}`,
        );
        const captureId = result.value.captureId;
        const event = await env.waitForEvent(
          (e) => e.provider === 'cko' && e.captureId === captureId,
        );
        expectThat(event.type === 'capture.succeeded', `webhook said ${event.type}`);
        const state = await env.checkout.payment(paymentId);
        return {
          outcome: `pending → ${event.type}`,
          captured: { currency: 'EUR', value: state.capturedTotal },
          passed: true,
          detail: `payment_captured verified by the webhook handler (event ${event.id})`,
        };
      },
    },
    {
      provider: 'cko',
      name: 'final capture of the rest',
      async run() {
        expectThat(paymentId, 'the partial capture scenario must run first');
        const result = await env.client.capture({
          provider: 'cko',
          paymentId,
          amount: { currency: 'EUR', value: authorized - firstPart },
          final: true,
          context: { cardBrand: 'visa' },
        });
        expectThat(
          result.isOk() && result.value.status === 'pending',
          `expected pending, got ${describeOutcome(result)}`,
        );
        const captureId = result.value.captureId;
        const event = await env.waitForEvent(
          (e) => e.provider === 'cko' && e.captureId === captureId,
        );
        const state = await env.checkout.payment(paymentId);
        expectThat(
          state.capturedTotal === authorized,
          `simulator holds ${state.capturedTotal}, expected ${authorized}`,
        );
        return {
          outcome: `pending → ${event.type}`,
          captured: { currency: 'EUR', value: state.capturedTotal },
          passed: true,
          detail: 'the whole authorization is captured',
        };
      },
    },
    {
      provider: 'cko',
      name: 'over-capture refused by the provider',
      async run() {
        const payment = await env.checkout.authorize({
          amount: 1000n,
          currency: 'EUR',
          cardBrand: 'visa',
        });
        const result = await env.client.capture({
          provider: 'cko',
          paymentId: payment.paymentId,
          amount: { currency: 'EUR', value: 1500n },
        });
        const state = await env.checkout.payment(payment.paymentId);
        expectThat(
          result.isErr() &&
            result.error.outcome === 'failed' &&
            result.error.code === 'amount_exceeds_authorized',
          `expected failed (amount_exceeds_authorized), got ${describeOutcome(result)}`,
        );
        return {
          outcome: describeOutcome(result),
          captured: { currency: 'EUR', value: state.capturedTotal },
          passed: true,
          detail: `422 ${result.error.providerCode ?? ''}`.trim(),
        };
      },
    },
  ];
}

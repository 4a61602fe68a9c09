import type { DemoEnvironment } from './demo-environment.js';
import { describeOutcome, expectThat, type Scenario } from './scenario.js';

/**
 * Adyen: 201 received → pending; the CAPTURE webhook (HMAC per item, answered `[accepted]`)
 * settles it; resolve() then answers from the journal.
 */
export function adyenScenarios(env: DemoEnvironment): Scenario[] {
  return [
    {
      provider: 'adyen',
      name: 'capture → 201 received (pending) → CAPTURE webhook → succeeded',
      async run() {
        const payment = await env.adyen.authorize({ amount: 6540n, currency: 'EUR' });
        const request = {
          provider: 'adyen',
          paymentId: payment.paymentId,
          amount: { currency: 'EUR', value: 6540n },
          reference: 'ORD-5023',
        };
        const result = await env.client.capture(request);
        expectThat(
          result.isOk() && result.value.status === 'pending',
          `expected pending, got ${describeOutcome(result)}`,
        );
        const captureId = result.value.captureId;
        // Adyen processes the capture after answering; the simulator does it on settle().
        await env.adyen.settle();
        const event = await env.waitForEvent(
          (e) => e.provider === 'adyen' && e.captureId === captureId,
        );
        expectThat(event.type === 'capture.succeeded', `webhook said ${event.type}`);
        const resolved = await env.client.resolve({
          ...request,
          idempotencyKey: result.value.idempotencyKey,
        });
        expectThat(
          resolved.isOk() && resolved.value.status === 'succeeded',
          `resolve() after the webhook: ${describeOutcome(resolved)}`,
        );
        const state = await env.adyen.payment(payment.paymentId);
        return {
          outcome: `pending → ${event.type}`,
          captured: { currency: 'EUR', value: state.capturedTotal },
          passed: true,
          detail: `CAPTURE ${captureId} verified (HMAC) and acknowledged with [accepted]`,
        };
      },
    },
  ];
}

import type { DemoEnvironment } from './demo-environment.js';
import { describeOutcome, expectThat, type Scenario } from './scenario.js';

/**
 * A timeout after the provider committed the capture: the library must say `unknown`,
 * `resolve()` must find the capture, and exactly one capture may exist.
 */
export function timeoutScenario(env: DemoEnvironment): Scenario {
  return {
    provider: 'antom',
    name: 'timeout after commit → unknown → resolved, exactly one capture',
    async run() {
      const payment = await env.antom.authorize({ amount: 4200n, currency: 'USD' });
      const idempotencyKey = `demo-timeout-${payment.paymentId}`;
      env.antom.injectFault({ kind: 'timeout_after_commit' });
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
      const resolved = await env.client.resolve({
        provider: 'antom',
        paymentId: payment.paymentId,
        idempotencyKey,
      });
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
        detail: 'exactly one capture exists at the provider',
      };
    },
  };
}

import { resolveUntilFinal } from '../../core/resolve-until-final.js';
import type { Fault } from '../../testing/harness.js';
import type { DemoEnvironment } from './demo-environment.js';
import { describeOutcome, expectThat, type Scenario } from './scenario.js';

/**
 * An Antom capture whose answer is lost or inconclusive (`fault`): the library must say
 * `unknown`, `resolve()` must find the committed capture by inquiry without sending it
 * again, and exactly one capture may exist at the provider.
 */
export function unknownOutcomeScenario(
  env: DemoEnvironment,
  options: {
    readonly name: string;
    readonly fault: Fault;
    readonly amount: bigint;
    readonly detail: string;
  },
): Scenario {
  return {
    provider: 'antom',
    name: options.name,
    async run() {
      const payment = await env.antom.authorize({ amount: options.amount, currency: 'USD' });
      const request = {
        provider: 'antom',
        paymentId: payment.paymentId,
        amount: payment.amount,
        idempotencyKey: `demo-${options.fault.kind}-${payment.paymentId}`,
      };
      env.antom.injectFault(options.fault);
      // No notifyCapture for this one: it would settle the capture before the answer is
      // lost, and the point here is resolving an unknown one.
      if (options.fault.kind === 'timeout_after_commit') {
        env.antom.injectFault({ kind: 'webhook_missing' });
      }
      const first = await env.client.capture(request);
      expectThat(
        first.isErr() && first.error.outcome === 'unknown',
        `expected unknown, got ${describeOutcome(first)}`,
      );
      const trace = await resolveUntilFinal(env.client, request, {
        settle: () => env.antom.settle(),
      });
      const state = await env.antom.payment(payment.paymentId);
      expectThat(
        trace.result.isOk() && trace.result.value.status === 'succeeded',
        `resolve gave ${describeOutcome(trace.result)}`,
      );
      expectThat(
        trace.steps.every((step) => step.action === 'resolve'),
        'the inquiry must find the committed capture; nothing may be sent twice',
      );
      expectThat(
        state.captures.length === 1,
        `simulator holds ${state.captures.length} captures, expected exactly 1`,
      );
      return {
        outcome: `${describeOutcome(first)} → ${describeOutcome(trace.result)}`,
        captured: { currency: 'USD', value: state.capturedTotal },
        passed: true,
        detail: options.detail,
      };
    },
  };
}

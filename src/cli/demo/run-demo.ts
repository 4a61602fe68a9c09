import { adyenScenarios } from './adyen-scenarios.js';
import { alipayV2Scenarios } from './alipay-v2-scenarios.js';
import { antomScenarios } from './antom-scenarios.js';
import {
  type CapabilityRow,
  capabilityMatrix,
  capabilityScenario,
} from './capability-scenarios.js';
import { checkoutScenarios } from './checkout-scenarios.js';
import { startDemoEnvironment } from './demo-environment.js';
import { durabilityScenario } from './durability-scenario.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { stripeScenarios } from './stripe-scenarios.js';
import { timeoutScenario } from './timeout-scenario.js';

/** What one demo run produced. */
interface DemoReport {
  /** True when every scenario ended as expected. */
  readonly passed: boolean;
  readonly capabilities: readonly CapabilityRow[];
  readonly scenarios: readonly ScenarioResult[];
  readonly totalMs: number;
}

/** Hooks for progress output; all optional. */
interface DemoProgress {
  onStart?(scenario: Scenario): void;
  onEnd?(result: ScenarioResult): void;
}

/**
 * Runs every demo scenario against in-process simulators, in order, and always closes
 * them. A scenario that throws becomes a failed row; the run goes on.
 */
export async function runDemo(progress: DemoProgress = {}): Promise<DemoReport> {
  const started = performance.now();
  const env = await startDemoEnvironment();
  try {
    const scenarios: Scenario[] = [
      capabilityScenario(env),
      ...antomScenarios(env),
      ...checkoutScenarios(env),
      ...alipayV2Scenarios(env),
      ...stripeScenarios(env),
      ...adyenScenarios(env),
      timeoutScenario(env),
      durabilityScenario(env),
    ];
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      progress.onStart?.(scenario);
      const t0 = performance.now();
      let result: ScenarioResult;
      try {
        const outcome = await scenario.run();
        result = {
          provider: scenario.provider,
          scenario: scenario.name,
          ms: performance.now() - t0,
          ...outcome,
        };
      } catch (error) {
        result = {
          provider: scenario.provider,
          scenario: scenario.name,
          ms: performance.now() - t0,
          outcome: 'error',
          passed: false,
          detail: error instanceof Error ? error.message : String(error),
        };
      }
      results.push(result);
      progress.onEnd?.(result);
    }
    return {
      passed: results.every((r) => r.passed),
      capabilities: capabilityMatrix(env),
      scenarios: results,
      totalMs: performance.now() - started,
    };
  } finally {
    await env.close();
  }
}

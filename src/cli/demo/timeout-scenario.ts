import type { DemoEnvironment } from './demo-environment.js';
import type { Scenario } from './scenario.js';
import { unknownOutcomeScenario } from './unknown-outcome-scenario.js';

/**
 * A timeout after the provider committed the capture: the library must say `unknown`,
 * `resolve()` must find the capture, and exactly one capture may exist.
 */
export function timeoutScenario(env: DemoEnvironment): Scenario {
  return unknownOutcomeScenario(env, {
    name: 'timeout after commit → unknown → resolved, exactly one capture',
    fault: { kind: 'timeout_after_commit' },
    amount: 4200n,
    detail: 'exactly one capture exists at the provider',
  });
}

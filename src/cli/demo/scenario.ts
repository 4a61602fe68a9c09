import type { Result } from 'neverthrow';
import type { Money } from '../../core/money.js';

/** One line of the demo's summary. */
export interface ScenarioResult {
  readonly provider: string;
  readonly scenario: string;
  /** What the library answered in the end: `succeeded`, `pending`, or an error outcome + code. */
  readonly outcome: string;
  /** What the simulator holds as captured for the payment after the scenario. */
  readonly captured?: Money;
  readonly ms: number;
  /** True when the scenario ended exactly as the demo expects. */
  readonly passed: boolean;
  /** What was checked, or what went wrong. */
  readonly detail: string;
}

/** A scenario: a name and a function that performs it and says whether it ended as expected. */
export interface Scenario {
  readonly provider: string;
  readonly name: string;
  run(): Promise<Omit<ScenarioResult, 'provider' | 'scenario' | 'ms'>>;
}

/** Throws with `message` when `condition` is false; the runner turns it into a failed row. */
export function expectThat(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Describes a capture/resolve Result for the summary's outcome column. */
export function describeOutcome(
  result: Result<{ readonly status: string }, { readonly outcome: string; readonly code: string }>,
): string {
  return result.match(
    (value) => value.status,
    (error) => `${error.outcome} (${error.code})`,
  );
}

import { ok, type Result } from 'neverthrow';
import type { CaptureDiagnostic } from './capture-diagnostic.js';
import type { CaptureError, CaptureErrorInit } from './errors.js';
import type { CaptureJournal } from './journal.js';
import type { CaptureProviderV1 } from './spec.js';

/** What every pipeline step may use: the registry, the journal, the clock, diagnostics. */
export interface PipelineContext {
  readonly providers: ReadonlyMap<string, CaptureProviderV1>;
  readonly journal: CaptureJournal;
  readonly now: () => number;
  readonly publish: (message: CaptureDiagnostic) => void;
  /** How long after an attempt ended without an answer the provider may still process it. */
  readonly inFlightGraceMs: number;
}

/** An error before the idempotency key is attached: each pipeline adds its own key. */
export type Fail = Omit<CaptureErrorInit, 'idempotencyKey'>;

/** How a step ends the pipeline with an error (the key is the pipeline's). */
export type FailWith = (init: Fail) => Result<never, CaptureError>;

/** How far past an adapter's deadline the client stops the call itself. */
export const DEADLINE_SLACK_MS = 250;
/** Adapters that do not declare `timeoutMs` are assumed to give up within this. */
const DEFAULT_ADAPTER_TIMEOUT_MS = 30_000;

/** Looks up a registered adapter by the caller's name for it. */
export function findAdapter(
  ctx: PipelineContext,
  name: string,
  fail: FailWith,
): Result<CaptureProviderV1, CaptureError> {
  const adapter = ctx.providers.get(name);
  if (adapter) return ok(adapter);
  return fail({
    code: 'unknown_provider',
    outcome: 'not_attempted',
    message: `provider ${JSON.stringify(name)} is not registered; registered: ${[...ctx.providers.keys()].join(', ')}.`,
  });
}

/** The whole `doCapture` call's deadline: the adapter's timeout (all its exchanges together). */
export function adapterDeadlineMs(adapter: CaptureProviderV1): number {
  return adapter.timeoutMs ?? DEFAULT_ADAPTER_TIMEOUT_MS;
}

import { type TracingChannel, tracingChannel } from 'node:diagnostics_channel';
import type { Result } from 'neverthrow';
import type { Capture } from './capture.js';
import type { CaptureDiagnostic } from './capture-diagnostic.js';
import type { CaptureError } from './errors.js';
import { peek } from './peek.js';

/**
 * What capture-kit traces: one `capture` or `resolve` per call, one `reconcile` per intent
 * reconciled, one `webhook` per delivery received.
 *
 * @example
 * ```ts
 * const operations: CaptureOperation[] = ['capture', 'resolve', 'reconcile', 'webhook'];
 * ```
 */
export type CaptureOperation = 'capture' | 'resolve' | 'reconcile' | 'webhook';

/**
 * Names of the `node:diagnostics_channel` tracing channels, one per operation. Each is a
 * `TracingChannel` (`tracing:<name>:start`, `:end`, `:asyncStart`, `:asyncEnd`, `:error`)
 * whose message is a {@link CaptureTrace}. `start` is published, through `runStores`, when
 * the operation begins, so a store bound to it (an APM's async context) stays active for all
 * the operation's async work, including its HTTP requests; `asyncEnd` when it has finished.
 * `capture-kit/otel` turns them into OpenTelemetry spans; nothing is published while nobody
 * subscribes.
 *
 * @example
 * ```ts
 * import { tracingChannel } from 'node:diagnostics_channel';
 * tracingChannel(TRACING_CHANNELS.capture).subscribe({
 *   start: (m) => console.log('capture started', (m as CaptureTrace).provider),
 *   end: () => {},
 *   asyncStart: () => {},
 *   asyncEnd: (m) => console.log('capture ended', (m as CaptureTrace).outcome),
 *   error: () => {},
 * });
 * ```
 */
export const TRACING_CHANNELS = {
  capture: 'capture-kit:capture',
  resolve: 'capture-kit:resolve',
  reconcile: 'capture-kit:reconcile',
  webhook: 'capture-kit:webhook',
} as const satisfies Record<CaptureOperation, string>;

/**
 * The message of a {@link TRACING_CHANNELS} trace. One object travels through every event of
 * one operation: the fields known at the start are set on `start`, the rest are filled in
 * before `asyncEnd`. It never carries a secret, a body, a reference or metadata.
 *
 * @example
 * ```ts
 * import { tracingChannel } from 'node:diagnostics_channel';
 * tracingChannel(TRACING_CHANNELS.webhook).subscribe({
 *   start: () => {}, end: () => {}, asyncStart: () => {}, error: () => {},
 *   asyncEnd(message) {
 *     const trace = message as CaptureTrace;
 *     if (trace.status === 401) alerts.count('webhook_signature_invalid', { provider: trace.provider });
 *   },
 * });
 * ```
 */
export interface CaptureTrace {
  readonly operation: CaptureOperation;
  /** The client's name for the provider (`cko`), when the request named one. */
  provider?: string;
  /** The adapter kind (`checkout`), once known. */
  kind?: string;
  paymentId?: string;
  idempotencyKey?: string;
  /** 1 for the first dispatch of an intent, 2+ for same-key retries, when known. */
  attempt?: number;
  /** `succeeded` / `pending` on success, else the error's outcome; for a webhook event, its result. */
  outcome?: CaptureDiagnostic['result'];
  /** The normalized error code (`CaptureErrorCode`, or a webhook rejection such as `signature_invalid`). */
  code?: string;
  /** The provider's own result code (`20051`, `RISK_REJECT`). */
  providerCode?: string;
  /** How long the provider asked to wait before the next call. */
  retryAfterMs?: number;
  /** Webhook: the event type (`capture.succeeded`) or, for an ignored event, the provider's. */
  eventType?: string;
  /** Webhook: the event's dedupe id. */
  eventId?: string;
  /** Webhook: the HTTP status answered to the provider. */
  status?: number;
  /** Set (tracing-channel convention) when the traced function threw, which capture-kit's do not. */
  error?: unknown;
}

type Channels = TracingChannel<unknown, CaptureTrace>;

const channels = Object.fromEntries(
  Object.entries(TRACING_CHANNELS).map(([operation, name]) => [
    operation,
    tracingChannel<unknown, CaptureTrace>(name),
  ]),
) as Record<CaptureOperation, Channels>;

/** Node 20's TracingChannel has no `hasSubscribers` of its own (added in 22). */
function observed(traces: Channels): boolean {
  return (
    traces.start.hasSubscribers ||
    traces.end.hasSubscribers ||
    traces.asyncStart.hasSubscribers ||
    traces.asyncEnd.hasSubscribers ||
    traces.error.hasSubscribers
  );
}

/**
 * Runs `run` as one traced `operation` on its {@link TRACING_CHANNELS} channel: `start`
 * through `runStores` (so bound stores, and with them an APM's active span, cover all of
 * `run`'s async work), `end` when `run` returned its promise, then `asyncStart`/`asyncEnd`
 * once it settled, after `settle` filled in the outcome. When nobody subscribes it is
 * just `run(undefined)`: no message is built.
 *
 * `run` receives the message (or `undefined`) to add what it learns on the way.
 */
export function traced<T>(
  operation: CaptureOperation,
  describe: () => Omit<CaptureTrace, 'operation'>,
  run: (trace: CaptureTrace | undefined) => Promise<T>,
  settle?: (value: T, trace: CaptureTrace) => void,
): Promise<T> {
  const traces = channels[operation];
  if (!observed(traces)) return run(undefined);
  let message: CaptureTrace;
  try {
    message = { ...describe(), operation };
  } catch {
    message = { operation };
  }
  const finish = () => {
    traces.asyncStart.publish(message);
    traces.asyncEnd.publish(message);
  };
  return traces.start.runStores(message, () => {
    let promise: Promise<T>;
    try {
      promise = run(message);
    } catch (error) {
      message.error = error;
      traces.error.publish(message);
      throw error;
    } finally {
      traces.end.publish(message);
    }
    return promise.then(
      (value) => {
        try {
          settle?.(value, message);
        } catch {
          // Describing the outcome must never change it.
        }
        finish();
        return value;
      },
      (error: unknown) => {
        message.error = error;
        traces.error.publish(message);
        finish();
        throw error;
      },
    );
  });
}

/** Fills a trace from a capture or resolve answer (the same fields the diagnostics message has). */
export function recordCaptureResult(
  result: Result<Capture, CaptureError>,
  trace: CaptureTrace,
): void {
  if (result.isOk()) {
    const capture = result.value;
    trace.outcome = capture.status;
    trace.kind = capture.kind;
    trace.paymentId = capture.paymentId;
    trace.idempotencyKey = capture.idempotencyKey;
    return;
  }
  const error = result.error;
  trace.outcome = error.outcome;
  trace.code = error.code;
  if (error.kind) trace.kind = error.kind;
  if (error.providerCode) trace.providerCode = error.providerCode;
  if (error.paymentId) trace.paymentId = error.paymentId;
  if (error.idempotencyKey) trace.idempotencyKey = error.idempotencyKey;
  if (error.retryAfterMs !== undefined) trace.retryAfterMs = error.retryAfterMs;
}

/** What a trace can say about a request before it is validated: only plain string fields. */
export function describeRequest(input: unknown): Omit<CaptureTrace, 'operation'> {
  const trace: { -readonly [K in keyof CaptureTrace]?: CaptureTrace[K] } = {};
  for (const key of ['provider', 'paymentId', 'idempotencyKey'] as const) {
    const value = peek(input, key);
    if (typeof value === 'string' && value.length > 0) trace[key] = value;
  }
  return trace;
}

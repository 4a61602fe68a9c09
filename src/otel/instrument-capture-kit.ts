import { AsyncLocalStorage } from 'node:async_hooks';
import { channel, type TracingChannelSubscribers, tracingChannel } from 'node:diagnostics_channel';
import type { Attributes, Context, Span, TracerProvider } from '@opentelemetry/api';
import { type CaptureOperation, type CaptureTrace, TRACING_CHANNELS } from '../core/diagnostics.js';
import { loadOpenTelemetryApi } from './load-api.js';

/**
 * The span attributes `capture-kit/otel` sets, by name. Only these: never a secret, a
 * body, a reference, an amount or metadata.
 *
 * @example
 * ```ts
 * const declined = exporter.getFinishedSpans().filter(
 *   (span) => span.attributes[CAPTURE_KIT_ATTRIBUTES.outcome] === 'failed',
 * );
 * ```
 */
export const CAPTURE_KIT_ATTRIBUTES = {
  /** `capture`, `resolve`, `reconcile` or `webhook`. */
  operation: 'capture_kit.operation',
  /** The client's name for the provider (`cko`). */
  provider: 'capture_kit.provider',
  /** The adapter kind (`checkout`, `antom`, `alipayV2`). */
  kind: 'capture_kit.provider.kind',
  paymentId: 'capture_kit.payment_id',
  idempotencyKey: 'capture_kit.idempotency_key',
  /** `succeeded`, `pending`, `not_attempted`, `failed` or `unknown`. */
  outcome: 'capture_kit.outcome',
  /** The normalized error code (`rate_limited`, `signature_invalid`, …). */
  code: 'capture_kit.code',
  /** The provider's own result code (`20051`, `RISK_REJECT`). */
  providerCode: 'capture_kit.provider_code',
  /** 1 for the first dispatch of an intent, 2+ for same-key retries (when the journal knows). */
  attempt: 'capture_kit.attempt',
  retryAfterMs: 'capture_kit.retry_after_ms',
  /** Webhook: `capture.succeeded`, `capture.failed`, or the provider's type of an ignored event. */
  eventType: 'capture_kit.webhook.event_type',
  /** Webhook: the event's dedupe id. */
  eventId: 'capture_kit.webhook.event_id',
  /** Webhook: the HTTP status answered to the provider. */
  status: 'http.response.status_code',
} as const;

/**
 * Settings for {@link instrumentCaptureKit}.
 *
 * @example
 * ```ts
 * const options: InstrumentCaptureKitOptions = { tracerProvider: sdk.tracerProvider, operations: ['capture'] };
 * ```
 */
export interface InstrumentCaptureKitOptions {
  /**
   * Where the spans go. Default: the globally registered provider, looked up for every
   * span, so one registered after this call is still used.
   */
  readonly tracerProvider?: TracerProvider;
  /** Which operations become spans. Default: all four. */
  readonly operations?: readonly CaptureOperation[];
}

/**
 * A running instrumentation; {@link instrumentCaptureKit} returns it.
 *
 * @example
 * ```ts
 * const instrumentation: CaptureKitInstrumentation = instrumentCaptureKit();
 * process.on('SIGTERM', () => instrumentation.disable());
 * ```
 */
export interface CaptureKitInstrumentation {
  /** Stops creating spans (spans already started still end). Calling it again does nothing. */
  disable(): void;
}

/**
 * Turns capture-kit's tracing channels into OpenTelemetry spans: one `capture-kit.capture`
 * or `capture-kit.resolve` span per call, `capture-kit.reconcile` per intent reconciled,
 * `capture-kit.webhook` per delivery. Each span starts when the operation starts, ends
 * when its answer is known, and is the ACTIVE span for all the operation's async work, so
 * the HTTP client spans of the call (`@opentelemetry/instrumentation-undici`) and anything
 * an adapter or `onEvent` traces become its children. Attributes are listed in
 * {@link CAPTURE_KIT_ATTRIBUTES}; an error outcome (`failed`, `unknown`, `not_attempted`,
 * or a webhook answered 4xx/5xx) sets the span status to ERROR with the code.
 *
 * Needs the optional peer dependency `@opentelemetry/api` (throws, naming it, when it is
 * missing) and a context manager (the Node SDK registers one) for spans to nest.
 *
 * @example
 * ```ts
 * // instrumentation.ts, loaded before the app
 * import { NodeSDK } from '@opentelemetry/sdk-node';
 * import { instrumentCaptureKit } from 'capture-kit/otel';
 *
 * new NodeSDK({ instrumentations: [new UndiciInstrumentation()] }).start();
 * const instrumentation = instrumentCaptureKit();
 * // ... later, on shutdown:
 * instrumentation.disable();
 * ```
 */
export function instrumentCaptureKit(
  options: InstrumentCaptureKitOptions = {},
): CaptureKitInstrumentation {
  const api = loadOpenTelemetryApi();
  const { context, trace, SpanKind, SpanStatusCode } = api;
  const operations = options.operations ?? (Object.keys(TRACING_CHANNELS) as CaptureOperation[]);
  for (const operation of operations) {
    if (!Object.hasOwn(TRACING_CHANNELS, operation)) {
      throw new TypeError(
        `instrumentCaptureKit: operations contains ${JSON.stringify(operation)}; use ${Object.keys(TRACING_CHANNELS).join(', ')}.`,
      );
    }
  }
  const tracer = () =>
    (options.tracerProvider ?? trace.getTracerProvider()).getTracer('capture-kit');
  const spans = new WeakMap<CaptureTrace, Span>();

  const store = new ActiveContextStore((value, next) => context.with(value, next));
  if (!runStoresCallsRun()) {
    api.diag.warn(
      'capture-kit/otel: this Node.js version does not enter bound stores through run(); capture-kit spans are recorded but will not be the parents of the HTTP spans of their calls.',
    );
  }

  const startSpan = (message: CaptureTrace): Context => {
    const parent = context.active();
    try {
      const span = tracer().startSpan(
        `capture-kit.${message.operation}`,
        { kind: SpanKind.INTERNAL, attributes: attributesOf(message) },
        parent,
      );
      spans.set(message, span);
      return trace.setSpan(parent, span);
    } catch {
      // A tracer that throws must not break a capture: run it in the caller's context.
      return parent;
    }
  };

  const endSpan = (message: CaptureTrace) => {
    const span = spans.get(message);
    if (!span) return;
    spans.delete(message);
    span.setAttributes(attributesOf(message));
    const failed =
      message.error !== undefined
        ? 'threw'
        : message.operation === 'webhook'
          ? message.status !== undefined && message.status >= 400
            ? (message.code ?? `http_${message.status}`)
            : undefined
          : message.outcome === 'failed' ||
              message.outcome === 'unknown' ||
              message.outcome === 'not_attempted'
            ? (message.code ?? message.outcome)
            : undefined;
    if (failed !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: failed });
    span.end();
  };

  const subscribers: TracingChannelSubscribers<CaptureTrace> = {
    start() {},
    // After a synchronous throw `error` comes before `end` and there is no `asyncEnd`.
    end(message) {
      if (message.error !== undefined) endSpan(message);
    },
    asyncStart() {},
    asyncEnd: endSpan,
    error() {},
  };

  const channels = operations.map((operation) =>
    tracingChannel<unknown, CaptureTrace>(TRACING_CHANNELS[operation]),
  );
  for (const channel of channels) {
    channel.start.bindStore(store, startSpan as (message: unknown) => Context);
    channel.subscribe(subscribers);
  }
  let enabled = true;
  return {
    disable() {
      if (!enabled) return;
      enabled = false;
      for (const channel of channels) {
        channel.start.unbindStore(store);
        channel.unsubscribe(subscribers);
      }
    },
  };
}

/**
 * The store `capture-kit/otel` binds to each operation's `start` channel. runStores()
 * enters a bound store with `store.run(value, next)`; this one hands that to whatever
 * context manager the application registered, through the public OpenTelemetry API, so the
 * operation's span is the active one for everything `next` starts, awaits included. (An
 * AsyncLocalStorage of our own would be invisible to OpenTelemetry, whose own is private.)
 * It never uses its own storage.
 */
class ActiveContextStore extends AsyncLocalStorage<Context> {
  readonly #enter: <R>(value: Context, next: () => R) => R;

  constructor(enter: <R>(value: Context, next: () => R) => R) {
    super();
    this.#enter = enter;
  }

  override run<R, TArgs extends unknown[]>(
    value: Context,
    callback: (...args: TArgs) => R,
    ...args: TArgs
  ): R {
    return this.#enter(value, () => callback(...args));
  }
}

/** Whether this Node.js enters bound stores through `run()`, which the store above relies on. */
function runStoresCallsRun(): boolean {
  let entered = false;
  const probe = channel(Symbol('capture-kit/otel probe'));
  const store = new ActiveContextStore((_value, next) => {
    entered = true;
    return next();
  });
  probe.bindStore(store, () => ({}) as Context);
  try {
    probe.runStores({}, () => {});
  } finally {
    probe.unbindStore(store);
  }
  return entered;
}

/** The span attributes for what the message knows so far. */
function attributesOf(message: CaptureTrace): Attributes {
  const names = CAPTURE_KIT_ATTRIBUTES;
  const attributes: Attributes = { [names.operation]: message.operation };
  const put = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') attributes[name] = value;
  };
  put(names.provider, message.provider);
  put(names.kind, message.kind);
  put(names.paymentId, message.paymentId);
  put(names.idempotencyKey, message.idempotencyKey);
  put(names.outcome, message.outcome);
  put(names.code, message.code);
  put(names.providerCode, message.providerCode);
  put(names.attempt, message.attempt);
  put(names.retryAfterMs, message.retryAfterMs);
  put(names.eventType, message.eventType);
  put(names.eventId, message.eventId);
  put(names.status, message.status);
  return attributes;
}

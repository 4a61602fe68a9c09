import { channel } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { err, ok, type Result, ResultAsync } from 'neverthrow';
import type { CapabilityContext, CaptureCapabilities } from './capabilities.js';
import type { Capture } from './capture.js';
import type { CaptureRequest, ResolveRequest } from './capture-request.js';
import { describeRequest, recordCaptureResult, traced } from './diagnostics.js';
import type { CaptureError, WebhookError } from './errors.js';
import { createFetchWebhookHandler } from './fetch-webhook-handler.js';
import type { CaptureIntent } from './intents.js';
import { type CaptureJournal, type IntentQuery, memoryJournal } from './journal.js';
import { describe, type PipelineContext, runCapture } from './pipeline.js';
import { type ReconcileOptions, type ReconcileReport, runReconcile } from './reconcile.js';
import { runResolve } from './resolve-pipeline.js';
import type { CaptureProviderV1 } from './spec.js';
import { settleFromWebhook } from './webhook-intents.js';
import type { CaptureEvent, WebhookRequest } from './webhook-types.js';
import {
  createWebhookHandler,
  type WebhookHandlerOptions,
  type WebhookHandlerParts,
} from './webhooks.js';

/**
 * Name of the `node:diagnostics_channel` channel that gets one message per capture or resolve.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(CAPTURE_CHANNEL, (message) => console.log(message)); // a CaptureDiagnostic per call
 * ```
 */
export const CAPTURE_CHANNEL = 'capture-kit:capture';

/**
 * The message published on {@link CAPTURE_CHANNEL}. It carries no secret, no body and no
 * metadata: only what an operator needs to count and time calls.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(CAPTURE_CHANNEL, (m) => metrics.observe((m as CaptureDiagnostic).durationMs));
 * ```
 */
export interface CaptureDiagnostic {
  /** `capture` and `resolve` are published per call; `reconcile` and `webhook` per item. */
  readonly operation: 'capture' | 'resolve' | 'reconcile' | 'webhook';
  readonly provider: string;
  readonly kind?: string;
  readonly paymentId?: string;
  readonly idempotencyKey: string;
  /** `succeeded` / `pending` on success, else the error's outcome. */
  readonly result: 'succeeded' | 'pending' | 'not_attempted' | 'failed' | 'unknown';
  readonly code?: string;
  readonly providerCode?: string;
  readonly durationMs: number;
}

/**
 * Settings for {@link createCaptureClient}.
 *
 * @example
 * ```ts
 * const options: CaptureClientOptions = {
 *   providers: { cko: checkout({ secretKey, webhookSecret }), antom: antom(antomSettings) },
 * };
 * const client = createCaptureClient(options);
 * ```
 */
export interface CaptureClientOptions {
  /** Your names for configured adapters: `{ cko: checkout({...}), antom: antom({...}) }`. */
  readonly providers: Readonly<Record<string, CaptureProviderV1>>;
  /**
   * Where capture intents are remembered (DESIGN §8). Default: a fresh `memoryJournal()`
   * for this client — every promise holds while the process lives. For crash safety and
   * many instances, `postgresJournal()` from `capture-kit/journal/postgres`.
   */
  readonly journal?: CaptureJournal;
  /** The clock (epoch ms), for tests. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * How long after a capture attempt ended without an answer (timeout, reset) the provider
   * may still be processing it. Until then an inquiry that finds nothing proves nothing
   * (`capture_in_progress`, `unknown`) and `reconcile()` leaves the intent alone. Default
   * 5,000 ms. Tests against the shipped simulators may set 0: they commit at once.
   */
  readonly inFlightGraceMs?: number;
}

/**
 * One API over every configured acquirer.
 *
 * @example
 * ```ts
 * const client = createCaptureClient({ providers: { cko: checkout({ secretKey, webhookSecret }) } });
 * const result = await client.capture({ provider: 'cko', paymentId: 'pay_123', final: true });
 * ```
 */
export interface CaptureClient {
  /** The registered provider names. */
  readonly providers: readonly string[];
  /**
   * What `provider` allows for a payment with these facts. Throws a `TypeError` for a
   * provider name that was never registered (a programming error, not a runtime outcome).
   */
  capabilities(provider: string, context?: CapabilityContext): CaptureCapabilities;
  /**
   * Validates, preflights, records the intent and sends one capture. Never throws; never
   * rejects. The outcome describes the capture under this key across calls, not the last
   * HTTP exchange: once `unknown`, it stays `unknown` until an authoritative answer.
   */
  capture(request: CaptureRequest): ResultAsync<Capture, CaptureError>;
  /**
   * Asks the provider what became of a capture (after `unknown` or `pending`) and answers
   * about the capture: a failed inquiry is `unknown`, never `failed`. Accepts the very
   * object passed to `capture()`.
   */
  resolve(request: ResolveRequest): ResultAsync<Capture, CaptureError>;
  /**
   * Resolves the journal's open intents (`sending` past its deadline, `unknown`,
   * `pending`), sending a capture again with the SAME key only when the provider
   * authoritatively has none under it. Run it on a schedule with a durable journal.
   */
  reconcile(options?: ReconcileOptions): Promise<ReconcileReport>;
  /** What the journal holds, oldest first: operators look here for what is open. */
  intents(query?: IntentQuery): Promise<readonly CaptureIntent[]>;
  /**
   * Verifies and parses one webhook delivery (exact raw bytes). Fails closed. A delivery
   * that batches several capture events (Adyen) settles every one of them and returns the
   * first; use {@link CaptureClient.parseWebhookBatch} to get them all.
   */
  parseWebhook(provider: string, request: WebhookRequest): ResultAsync<CaptureEvent, WebhookError>;
  /**
   * Verifies and parses one webhook delivery into every capture event it carries, in order
   * (one for most providers; several for an Adyen batch). Fails closed: one item that does
   * not verify refuses the whole delivery.
   *
   * @example
   * ```ts
   * const events = await client.parseWebhookBatch('adyen', { method: 'POST', path, headers, rawBody });
   * events.map((list) => list.map((event) => event.id));
   * ```
   */
  parseWebhookBatch(
    provider: string,
    request: WebhookRequest,
  ): ResultAsync<readonly CaptureEvent[], WebhookError>;
  /**
   * A `node:http` request handler that verifies, parses, calls `onEvent`, then acks.
   * If `onEvent` throws, it answers 500 so the provider delivers again.
   */
  webhookHandler(
    provider: string,
    onEvent: (event: CaptureEvent) => void | Promise<void>,
    options?: WebhookHandlerOptions,
  ): (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * The same handler for web-standard runtimes: `(request: Request) => Promise<Response>`
   * (a Next.js route handler, Hono, Bun, Deno). Streams the body and stops at
   * `maxBodyBytes` (413); 401 when the exact bytes do not verify; the provider's ack only
   * after `onEvent` resolved; 500 when it throws. Throws a `TypeError` for an unregistered
   * provider, as {@link CaptureClient.webhookHandler} does.
   *
   * @example
   * ```ts
   * // app/webhooks/cko/route.ts
   * export const POST = client.fetchWebhookHandler('cko', async (event) => {
   *   await orders.markCaptured(event.paymentId, event.id); // idempotent: deliveries repeat
   * });
   * ```
   */
  fetchWebhookHandler(
    provider: string,
    onEvent: (event: CaptureEvent) => void | Promise<void>,
    options?: WebhookHandlerOptions,
  ): (request: Request) => Promise<Response>;
  /** Closes every adapter's connection pool, and the journal. */
  close(): Promise<void>;
}

/**
 * Creates the client. Throws at construction when an adapter is not a
 * `CaptureProviderV1`, naming the offending `providers.<name>` entry. Without a `journal`,
 * the client keeps its own `memoryJournal()`.
 *
 * @example
 * ```ts
 * import { createCaptureClient } from 'capture-kit';
 * import { antom } from 'capture-kit/antom';
 * import { checkout } from 'capture-kit/checkout';
 *
 * const client = createCaptureClient({
 *   providers: {
 *     antom: antom({ clientId, privateKey, antomPublicKey }),
 *     cko: checkout({ secretKey, webhookSecret }),
 *   },
 * });
 * const result = await client.capture({ provider: 'cko', paymentId: 'pay_123',
 *   amount: { currency: 'EUR', value: 3500n }, final: false, context: { cardBrand: 'visa' } });
 * result.match(
 *   (capture) => console.log(capture.status),
 *   (error) => console.log(error.outcome, error.message),
 * );
 * ```
 */
export function createCaptureClient(options: CaptureClientOptions): CaptureClient {
  const providers = new Map<string, CaptureProviderV1>();
  if (!options || typeof options.providers !== 'object' || options.providers === null) {
    throw new TypeError(
      'createCaptureClient: providers must be an object such as { cko: checkout({...}) }.',
    );
  }
  for (const [name, adapter] of Object.entries(options.providers)) {
    const problem = adapterProblem(adapter);
    if (problem) {
      throw new TypeError(
        `createCaptureClient: providers.${name} is not a capture-kit v1 adapter (${problem}); create it with a factory such as checkout({...}).`,
      );
    }
    providers.set(name, adapter);
  }
  if (providers.size === 0) {
    throw new TypeError('createCaptureClient: providers is empty; register at least one adapter.');
  }
  const journal = options.journal ?? memoryJournal();
  if (typeof journal.begin !== 'function' || typeof journal.apply !== 'function') {
    throw new TypeError(
      'createCaptureClient: journal is not a CaptureJournal; use memoryJournal() or postgresJournal({...}).',
    );
  }
  const diagnostics = channel(CAPTURE_CHANNEL);
  const ctx: PipelineContext = {
    providers,
    journal,
    now: options.now ?? Date.now,
    inFlightGraceMs: graceSetting(options.inFlightGraceMs),
    publish: (message) => {
      if (diagnostics.hasSubscribers) diagnostics.publish(message);
    },
  };

  async function runParseWebhook(
    providerName: string,
    request: WebhookRequest,
  ): Promise<Result<CaptureEvent, WebhookError>> {
    const batch = await runParseWebhookBatch(providerName, request);
    if (batch.isErr()) return err(batch.error);
    const [first] = batch.value;
    return first
      ? ok(first)
      : err({
          code: 'invalid_payload',
          verified: false,
          provider: providerName,
          message: `The ${providerName} adapter returned no event for a delivery it accepted; refused.`,
        });
  }

  async function runParseWebhookBatch(
    providerName: string,
    request: WebhookRequest,
  ): Promise<Result<readonly CaptureEvent[], WebhookError>> {
    const adapter = providers.get(providerName);
    if (!adapter) {
      return err({
        code: 'unknown_provider',
        verified: false,
        message: `provider ${JSON.stringify(providerName)} is not registered; registered: ${[...providers.keys()].join(', ')}.`,
      });
    }
    let events: readonly CaptureEvent[];
    try {
      if (!request || (typeof request.rawBody !== 'string' && !Buffer.isBuffer(request.rawBody))) {
        return err({
          code: 'invalid_payload',
          verified: false,
          provider: providerName,
          kind: adapter.kind,
          message:
            'rawBody must be the exact bytes received, as a Buffer or string (not a parsed object).',
        });
      }
      const result = adapter.doParseWebhookBatch
        ? await adapter.doParseWebhookBatch(request)
        : (await adapter.doParseWebhook(request)).map((event) => [event]);
      if (result.isErr())
        return err({ ...result.error, provider: providerName, kind: adapter.kind });
      if (result.value.length === 0) {
        // Fail closed: an accepted delivery must name what it accepted.
        return err({
          code: 'invalid_payload',
          verified: false,
          provider: providerName,
          kind: adapter.kind,
          message: `The ${adapter.kind} adapter returned an empty event list; refused.`,
        });
      }
      events = result.value.map((event) => ({ ...event, provider: providerName }));
    } catch (error) {
      // Fail closed: an adapter bug must never turn into an accepted webhook.
      return err({
        code: 'invalid_payload',
        verified: false,
        provider: providerName,
        kind: adapter.kind,
        message: `The ${adapter.kind} adapter could not parse the webhook (${describe(error)}).`,
        cause: error,
      });
    }
    // A verified event is the provider's word about a capture: settle its intent.
    for (const event of events) await settleFromWebhook(ctx, event);
    return ok(events);
  }

  function registered(method: string, provider: string): CaptureProviderV1 {
    const adapter = providers.get(provider);
    if (!adapter) {
      throw new TypeError(
        `${method}: provider ${JSON.stringify(provider)} is not registered; registered: ${[...providers.keys()].join(', ')}.`,
      );
    }
    return adapter;
  }

  /** What both webhook handlers need for `provider`; throws for an unregistered one. */
  function webhookParts(
    method: string,
    provider: string,
    onEvent: WebhookHandlerParts['onEvent'],
    handlerOptions: WebhookHandlerOptions | undefined,
  ): WebhookHandlerParts {
    const adapter = registered(method, provider);
    return {
      parse: (request) => runParseWebhook(provider, request),
      parseBatch: (request) => runParseWebhookBatch(provider, request),
      ack: () => adapter.webhookAck(),
      // Deliveries repeat: an event id already handled is acknowledged without onEvent,
      // and remembered only once onEvent resolved (a throw gets 500 and a redelivery).
      onEvent: async (event) => {
        if (await journal.hasEvent(provider, event.id).catch(() => false)) return;
        await onEvent(event);
        await journal.rememberEvent(provider, event.id, ctx.now()).catch(() => {});
      },
      provider,
      kind: adapter.kind,
      ...(handlerOptions ? { options: handlerOptions } : {}),
    };
  }

  const client: CaptureClient = {
    providers: [...providers.keys()],
    capabilities: (provider, context = {}) =>
      registered('capabilities', provider).capabilities(context),
    capture: (request) =>
      new ResultAsync(
        traced(
          'capture',
          () => describeRequest(request),
          () => runCapture(ctx, request),
          recordCaptureResult,
        ),
      ),
    resolve: (request) =>
      new ResultAsync(
        traced(
          'resolve',
          () => describeRequest(request),
          () => runResolve(ctx, request),
          recordCaptureResult,
        ),
      ),
    reconcile: (reconcileOptions) => runReconcile(ctx, reconcileOptions),
    intents: (query = {}) => journal.list(query),
    parseWebhook: (provider, request) => new ResultAsync(runParseWebhook(provider, request)),
    parseWebhookBatch: (provider, request) =>
      new ResultAsync(runParseWebhookBatch(provider, request)),
    webhookHandler: (provider, onEvent, handlerOptions) =>
      createWebhookHandler(webhookParts('webhookHandler', provider, onEvent, handlerOptions)),
    fetchWebhookHandler: (provider, onEvent, handlerOptions) =>
      createFetchWebhookHandler(
        webhookParts('fetchWebhookHandler', provider, onEvent, handlerOptions),
      ),
    async close() {
      await Promise.all([...providers.values()].map((adapter) => adapter.close?.()));
      await journal.close();
    },
  };
  return client;
}

function graceSetting(value: number | undefined): number {
  if (value === undefined) return 5_000;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(
      `createCaptureClient: inFlightGraceMs must be a whole number of milliseconds ≥ 0; got ${String(value)}.`,
    );
  }
  return value;
}

/** Why `adapter` is not a usable {@link CaptureProviderV1}, or `undefined` when it is. */
function adapterProblem(adapter: unknown): string | undefined {
  if (!adapter || typeof adapter !== 'object')
    return `got ${adapter === null ? 'null' : typeof adapter}`;
  const candidate = adapter as Partial<Record<keyof CaptureProviderV1, unknown>>;
  if (candidate.specificationVersion !== 'v1') return 'specificationVersion is not "v1"';
  if (typeof candidate.kind !== 'string' || candidate.kind.length === 0) return 'kind is missing';
  const timeout = candidate.timeoutMs;
  if (
    timeout !== undefined &&
    (typeof timeout !== 'number' || !Number.isSafeInteger(timeout) || timeout <= 0)
  ) {
    return 'timeoutMs must be a positive whole number of milliseconds';
  }
  const methods = [
    'capabilities',
    'doCapture',
    'doResolve',
    'doParseWebhook',
    'webhookAck',
  ] as const;
  const missing = methods.filter((method) => typeof candidate[method] !== 'function');
  return missing.length > 0 ? `missing ${missing.map((m) => `${m}()`).join(', ')}` : undefined;
}

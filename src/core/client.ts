import { channel } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { type CapabilityContext, type CaptureCapabilities, preflight } from './capabilities.js';
import type { Capture } from './capture.js';
import {
  type CaptureRequest,
  captureRequestSchema,
  describeIssues,
  generateIdempotencyKey,
  type ResolveRequest,
  resolveRequestSchema,
} from './capture-request.js';
import { describeRequest, recordCaptureResult, traced } from './diagnostics.js';
import {
  type CaptureError,
  captureError,
  UNKNOWN_OUTCOME_ADVICE,
  type WebhookError,
} from './errors.js';
import { createFetchWebhookHandler } from './fetch-webhook-handler.js';
import { type Money, toMoney } from './money.js';
import type { CaptureProviderV1 } from './spec.js';
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
  /** Validates, preflights and sends one capture. Never throws; never rejects. */
  capture(request: CaptureRequest): ResultAsync<Capture, CaptureError>;
  /** Asks the provider what became of a capture (after `unknown` or `pending`). */
  resolve(request: ResolveRequest): ResultAsync<Capture, CaptureError>;
  /** Verifies and parses one webhook delivery (exact raw bytes). Fails closed. */
  parseWebhook(provider: string, request: WebhookRequest): ResultAsync<CaptureEvent, WebhookError>;
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
  /** Closes every adapter's connection pool. */
  close(): Promise<void>;
}

/**
 * Creates the client. Throws at construction when an adapter is not a
 * `CaptureProviderV1`, naming the offending `providers.<name>` entry.
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
  const diagnostics = channel(CAPTURE_CHANNEL);

  function publish(message: CaptureDiagnostic): void {
    if (diagnostics.hasSubscribers) diagnostics.publish(message);
  }

  function unknownProvider(name: unknown, key: string): CaptureError {
    return captureError({
      code: 'unknown_provider',
      outcome: 'not_attempted',
      idempotencyKey: key,
      message: `provider ${JSON.stringify(name)} is not registered; registered: ${[...providers.keys()].join(', ')}.`,
    });
  }

  /** Reports one finished call on the diagnostics channel and hands the result back. */
  function reporter(operation: CaptureDiagnostic['operation'], input: unknown, key: string) {
    const started = performance.now();
    const provider = peek(input, 'provider');
    const paymentId = peek(input, 'paymentId');
    return (
      result: Result<Capture, CaptureError>,
      kind?: string,
    ): Result<Capture, CaptureError> => {
      publish({
        operation,
        provider: typeof provider === 'string' ? provider : '',
        ...(kind ? { kind } : {}),
        ...(typeof paymentId === 'string' ? { paymentId } : {}),
        idempotencyKey: key,
        result: result.isOk() ? result.value.status : result.error.outcome,
        ...(result.isErr()
          ? {
              code: result.error.code,
              ...(result.error.providerCode ? { providerCode: result.error.providerCode } : {}),
            }
          : {}),
        durationMs: performance.now() - started,
      });
      return result;
    };
  }

  async function runCapture(input: CaptureRequest): Promise<Result<Capture, CaptureError>> {
    const rawKey = peek(input, 'idempotencyKey');
    const key = typeof rawKey === 'string' && rawKey.length > 0 ? rawKey : generateIdempotencyKey();
    const finish = reporter('capture', input, key);
    const fail = (
      error: Omit<CaptureError, 'retryable'> & { retryable?: boolean },
      kind?: string,
    ) => finish(err(captureError({ ...error, idempotencyKey: key })), kind);
    // Whether doCapture was called: from then on, an unexpected throw means money may have moved.
    let dispatchedTo: string | undefined;
    try {
      const parsed = captureRequestSchema.safeParse(input);
      if (!parsed.success) {
        return fail({
          code: 'invalid_request',
          outcome: 'not_attempted',
          message: `Invalid capture request: ${describeIssues(parsed.error)}.`,
        });
      }
      const request = parsed.data;
      const adapter = providers.get(request.provider);
      if (!adapter) return finish(err(unknownProvider(request.provider, key)));
      const base = { provider: request.provider, kind: adapter.kind, paymentId: request.paymentId };

      let amount: Money | undefined;
      let authorizedAmount: Money | undefined;
      for (const field of ['amount', 'authorizedAmount'] as const) {
        const value = request[field];
        if (!value) continue;
        const money = toMoney(value, adapter.currencyExponents);
        if (money.isErr()) {
          return fail(
            {
              ...base,
              code: 'invalid_request',
              outcome: 'not_attempted',
              message: `${field}.${money.error}.`,
            },
            adapter.kind,
          );
        }
        if (money.value.value === 0n) {
          return fail(
            {
              ...base,
              code: 'invalid_request',
              outcome: 'not_attempted',
              message: `${field}.value must be greater than 0.`,
            },
            adapter.kind,
          );
        }
        if (field === 'amount') amount = money.value;
        else authorizedAmount = money.value;
      }
      const final = request.final ?? true;
      if (!final && !amount) {
        return fail(
          {
            ...base,
            code: 'invalid_request',
            outcome: 'not_attempted',
            message:
              'amount is required when final is false: a non-final capture must say how much it takes.',
          },
          adapter.kind,
        );
      }

      const context: CapabilityContext = {
        ...(request.context ?? {}),
        ...(request.context?.currency === undefined && amount ? { currency: amount.currency } : {}),
      } as CapabilityContext;
      let caps: CaptureCapabilities;
      try {
        caps = adapter.capabilities(context);
      } catch (error) {
        return fail(
          {
            ...base,
            code: 'provider_error',
            outcome: 'not_attempted',
            message: `The ${adapter.kind} adapter's capabilities() threw (${describe(error)}); nothing was sent.`,
            cause: error,
          },
          adapter.kind,
        );
      }
      const verdict = preflight(
        { final, ...(amount ? { amount } : {}), ...(authorizedAmount ? { authorizedAmount } : {}) },
        caps,
      );
      if (verdict.isErr()) return fail({ ...verdict.error, ...base }, adapter.kind);

      const options = request.providerOptions;
      let result: Result<Omit<Capture, 'provider'>, CaptureError>;
      try {
        dispatchedTo = adapter.kind;
        result = await adapter.doCapture({
          paymentId: request.paymentId,
          final,
          idempotencyKey: key,
          ...(amount ? { amount } : {}),
          ...(authorizedAmount ? { authorizedAmount } : {}),
          ...(request.reference !== undefined ? { reference: request.reference } : {}),
          ...(request.metadata !== undefined ? { metadata: request.metadata } : {}),
          ...(request.context !== undefined ? { context } : {}),
          // Own keys only: a kind such as 'constructor' must not pick up Object.prototype.
          ...(options && Object.hasOwn(options, adapter.kind) && options[adapter.kind] !== undefined
            ? { providerOptions: options[adapter.kind] }
            : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        });
      } catch (error) {
        return fail(
          {
            ...base,
            code: 'provider_error',
            outcome: 'unknown',
            message: `The ${adapter.kind} adapter threw unexpectedly (${describe(error)}). ${UNKNOWN_OUTCOME_ADVICE}`,
            cause: error,
          },
          adapter.kind,
        );
      }
      if (result.isErr()) return fail({ ...result.error, ...base }, adapter.kind);
      const capture: Capture = { ...result.value, provider: request.provider, idempotencyKey: key };
      const mismatch = integrityProblem(capture, request.paymentId, amount);
      if (mismatch) {
        return fail(
          {
            ...base,
            code: 'provider_error',
            outcome: 'unknown',
            retryable: false,
            message: `${mismatch} Money may have moved in a different amount than asked: reconcile with resolve() before doing anything else.`,
            cause: { captureId: capture.captureId, raw: capture.raw },
          },
          adapter.kind,
        );
      }
      return finish(ok(capture), adapter.kind);
    } catch (error) {
      // capture() must never reject: a request whose getters throw, or an adapter answer
      // that breaks while it is read, still ends as an Err with an honest outcome.
      return fail(
        dispatchedTo === undefined
          ? {
              code: 'invalid_request',
              outcome: 'not_attempted',
              message: `Invalid capture request: it could not be read (${describe(error)}); pass a plain object.`,
              cause: error,
            }
          : {
              code: 'provider_error',
              outcome: 'unknown',
              message: `The ${dispatchedTo} adapter's answer could not be read (${describe(error)}). ${UNKNOWN_OUTCOME_ADVICE}`,
              cause: error,
            },
        dispatchedTo,
      );
    }
  }

  async function runResolve(input: ResolveRequest): Promise<Result<Capture, CaptureError>> {
    const rawKey = peek(input, 'idempotencyKey');
    const key = typeof rawKey === 'string' ? rawKey : '';
    const finish = reporter('resolve', input, key);
    let dispatchedTo: string | undefined;
    try {
      const parsed = resolveRequestSchema.safeParse(input);
      if (!parsed.success) {
        return finish(
          err(
            captureError({
              code: 'invalid_request',
              outcome: 'not_attempted',
              idempotencyKey: key,
              message: `Invalid resolve request: ${describeIssues(parsed.error)}.`,
            }),
          ),
        );
      }
      const request = parsed.data;
      const adapter = providers.get(request.provider);
      if (!adapter) return finish(err(unknownProvider(request.provider, key)));
      const base = {
        provider: request.provider,
        kind: adapter.kind,
        paymentId: request.paymentId,
        idempotencyKey: key,
      };
      dispatchedTo = adapter.kind;
      const result = await adapter.doResolve({
        paymentId: request.paymentId,
        idempotencyKey: key,
        ...(request.captureId ? { captureId: request.captureId } : {}),
        ...(request.reference ? { reference: request.reference } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      if (result.isErr())
        return finish(err(captureError({ ...result.error, ...base })), adapter.kind);
      return finish(
        ok({ ...result.value, provider: request.provider, idempotencyKey: key }),
        adapter.kind,
      );
    } catch (error) {
      return finish(
        err(
          captureError(
            dispatchedTo === undefined
              ? {
                  code: 'invalid_request',
                  outcome: 'not_attempted',
                  idempotencyKey: key,
                  message: `Invalid resolve request: it could not be read (${describe(error)}); pass a plain object.`,
                  cause: error,
                }
              : {
                  code: 'provider_error',
                  outcome: 'unknown',
                  kind: dispatchedTo,
                  idempotencyKey: key,
                  message: `The ${dispatchedTo} adapter threw during resolve (${describe(error)}). Call resolve() again.`,
                  cause: error,
                },
          ),
        ),
        dispatchedTo,
      );
    }
  }

  async function runParseWebhook(
    providerName: string,
    request: WebhookRequest,
  ): Promise<Result<CaptureEvent, WebhookError>> {
    const adapter = providers.get(providerName);
    if (!adapter) {
      return err({
        code: 'unknown_provider',
        verified: false,
        message: `provider ${JSON.stringify(providerName)} is not registered; registered: ${[...providers.keys()].join(', ')}.`,
      });
    }
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
      const result = await adapter.doParseWebhook(request);
      if (result.isErr())
        return err({ ...result.error, provider: providerName, kind: adapter.kind });
      return ok({ ...result.value, provider: providerName });
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
  }

  /** What both webhook handlers need for `provider`; throws for an unregistered one. */
  function webhookParts(
    method: string,
    provider: string,
    onEvent: WebhookHandlerParts['onEvent'],
    handlerOptions: WebhookHandlerOptions | undefined,
  ): WebhookHandlerParts {
    const adapter = providers.get(provider);
    if (!adapter) {
      throw new TypeError(
        `${method}: provider ${JSON.stringify(provider)} is not registered; registered: ${[...providers.keys()].join(', ')}.`,
      );
    }
    return {
      parse: (request) => runParseWebhook(provider, request),
      ack: () => adapter.webhookAck(),
      onEvent,
      provider,
      kind: adapter.kind,
      ...(handlerOptions ? { options: handlerOptions } : {}),
    };
  }

  const client: CaptureClient = {
    providers: [...providers.keys()],
    capabilities(provider, context = {}) {
      const adapter = providers.get(provider);
      if (!adapter) {
        throw new TypeError(
          `capabilities: provider ${JSON.stringify(provider)} is not registered; registered: ${[...providers.keys()].join(', ')}.`,
        );
      }
      return adapter.capabilities(context);
    },
    capture: (request) =>
      new ResultAsync(
        traced(
          'capture',
          () => describeRequest(request),
          () => runCapture(request),
          recordCaptureResult,
        ),
      ),
    resolve: (request) =>
      new ResultAsync(
        traced(
          'resolve',
          () => describeRequest(request),
          () => runResolve(request),
          recordCaptureResult,
        ),
      ),
    parseWebhook: (provider, request) => new ResultAsync(runParseWebhook(provider, request)),
    webhookHandler: (provider, onEvent, handlerOptions) =>
      createWebhookHandler(webhookParts('webhookHandler', provider, onEvent, handlerOptions)),
    fetchWebhookHandler: (provider, onEvent, handlerOptions) =>
      createFetchWebhookHandler(
        webhookParts('fetchWebhookHandler', provider, onEvent, handlerOptions),
      ),
    async close() {
      await Promise.all([...providers.values()].map((adapter) => adapter.close?.()));
    },
  };
  return client;
}

/** Why `adapter` is not a usable {@link CaptureProviderV1}, or `undefined` when it is. */
function adapterProblem(adapter: unknown): string | undefined {
  if (!adapter || typeof adapter !== 'object')
    return `got ${adapter === null ? 'null' : typeof adapter}`;
  const candidate = adapter as Partial<Record<keyof CaptureProviderV1, unknown>>;
  if (candidate.specificationVersion !== 'v1') return 'specificationVersion is not "v1"';
  if (typeof candidate.kind !== 'string' || candidate.kind.length === 0) return 'kind is missing';
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

/** Reads one property of an untrusted value without letting a throwing getter escape. */
function peek(value: unknown, key: string): unknown {
  try {
    return value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)[key]
      : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    // e.g. an object without a prototype, or a throwing toString().
    return 'an unprintable value';
  }
}

function integrityProblem(
  capture: Capture,
  paymentId: string,
  amount: Money | undefined,
): string | undefined {
  if (capture.paymentId !== paymentId) {
    return `The provider answered for paymentId ${capture.paymentId}, but ${paymentId} was sent.`;
  }
  if (amount && capture.amount) {
    if (capture.amount.currency !== amount.currency || capture.amount.value !== amount.value) {
      return `The provider reports ${capture.amount.value} ${capture.amount.currency}, but ${amount.value} ${amount.currency} was requested.`;
    }
  }
  return undefined;
}

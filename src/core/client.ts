import { ResultAsync } from 'neverthrow';
import type { CaptureClient, CaptureClientOptions } from './capture-client.js';
import {
  CAPTURE_CHANNEL,
  type CaptureDiagnostic,
  publishDiagnostic,
} from './capture-diagnostic.js';
import { checkClientOptions } from './check-client-options.js';
import { describeRequest, recordCaptureResult, traced } from './diagnostics.js';
import { createFetchWebhookHandler } from './fetch-webhook-handler.js';
import { runParseWebhook, runParseWebhookBatch } from './parse-webhook.js';
import { type PipelineContext, runCapture } from './pipeline.js';
import { runReconcile } from './reconcile.js';
import { runResolve } from './resolve-pipeline.js';
import type { CaptureProviderV1 } from './spec.js';
import {
  createWebhookHandler,
  type WebhookHandlerOptions,
  type WebhookHandlerParts,
} from './webhooks.js';

export type { CaptureClient, CaptureClientOptions } from './capture-client.js';
export { CAPTURE_CHANNEL, type CaptureDiagnostic };

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
  const { providers, journal, inFlightGraceMs } = checkClientOptions(options);
  const ctx: PipelineContext = {
    providers,
    journal,
    now: options.now ?? Date.now,
    inFlightGraceMs,
    publish: publishDiagnostic,
  };

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
      parse: (request) => runParseWebhook(ctx, provider, request),
      parseBatch: (request) => runParseWebhookBatch(ctx, provider, request),
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
    parseWebhook: (provider, request) => new ResultAsync(runParseWebhook(ctx, provider, request)),
    parseWebhookBatch: (provider, request) =>
      new ResultAsync(runParseWebhookBatch(ctx, provider, request)),
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

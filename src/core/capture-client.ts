import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResultAsync } from 'neverthrow';
import type { CapabilityContext, CaptureCapabilities } from './capabilities.js';
import type { Capture } from './capture.js';
import type { CaptureRequest, ResolveRequest } from './capture-request.js';
import type { CaptureError, WebhookError } from './errors.js';
import type { CaptureIntent } from './intents.js';
import type { CaptureJournal, IntentQuery } from './journal.js';
import type { ReconcileOptions, ReconcileReport } from './reconcile.js';
import type { CaptureProviderV1 } from './spec.js';
import type { CaptureEvent, WebhookRequest } from './webhook-types.js';
import type { WebhookHandlerOptions } from './webhooks.js';

/**
 * Settings for `createCaptureClient()`.
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

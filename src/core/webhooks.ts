import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Result } from 'neverthrow';
import {
  answerWebhook,
  refuseMethod,
  type WebhookAnswer,
  type WebhookBody,
} from './answer-webhook.js';
import type { WebhookError } from './errors.js';
import type { CaptureEvent, WebhookAck, WebhookRequest } from './webhook-types.js';

export type {
  CaptureEvent,
  ProviderCaptureEvent,
  WebhookAck,
  WebhookRequest,
} from './webhook-types.js';
export { headerValue } from './webhook-types.js';

/**
 * Settings for `client.webhookHandler()` and `client.fetchWebhookHandler()`.
 *
 * @example
 * ```ts
 * client.webhookHandler('cko', onEvent, { maxBodyBytes: 64 * 1024, onError: (e) => log.warn(e) });
 * ```
 */
export interface WebhookHandlerOptions {
  /**
   * Largest body read, in bytes; larger requests get 413 and are read no further (a
   * `content-length` over the limit is refused unread). Default 1 MiB.
   */
  readonly maxBodyBytes?: number;
  /**
   * Called with every delivery that did not become an event (bad signature, bad payload,
   * a throwing `onEvent`, a body a framework had already parsed). Never receives secrets.
   * Must not throw.
   */
  readonly onError?: (
    error: WebhookError | { readonly code: 'handler_failed'; readonly cause: unknown },
  ) => void;
}

/**
 * What the handler needs from the client; kept separate so it can be tested alone.
 *
 * @example
 * ```ts
 * const handler = createWebhookHandler({
 *   parse: async (request) => client.parseWebhook('cko', request),
 *   ack: () => ({ status: 200, headers: {}, body: '' }),
 *   onEvent: async (event) => markCaptured(event.paymentId),
 *   options: { maxBodyBytes: 64 * 1024 },
 * });
 * ```
 */
export interface WebhookHandlerParts {
  readonly parse: (request: WebhookRequest) => Promise<Result<CaptureEvent, WebhookError>>;
  /**
   * Optional: parses a delivery that may batch several events (Adyen). When given, the
   * handler uses it instead of `parse`: every event reaches `onEvent` in order, and the
   * delivery is acknowledged once, after the last one; a throw answers 500 (the provider
   * delivers the whole batch again, and events already handled are deduplicated by id).
   */
  readonly parseBatch?: (
    request: WebhookRequest,
  ) => Promise<Result<readonly CaptureEvent[], WebhookError>>;
  readonly ack: () => WebhookAck;
  readonly onEvent: (event: CaptureEvent) => void | Promise<void>;
  readonly options?: WebhookHandlerOptions;
  /** The client's name for the provider, reported on diagnostics and traces. */
  readonly provider?: string;
  /** The adapter kind, reported on diagnostics and traces. */
  readonly kind?: string;
}

/**
 * Builds a `node:http` handler: reads the raw body (size-limited), verifies and parses it,
 * awaits `onEvent`, then answers the provider's ack. A delivery that fails verification
 * gets 401 and never reaches `onEvent`. If `onEvent` throws, the answer is 500 so the
 * provider delivers again: an event is never acknowledged before it was handled.
 * Never throws into the server.
 *
 * Behind a framework that already read the body as raw bytes (`express.raw()`, which
 * leaves a Buffer in `req.body`), it uses those bytes. A body that was already parsed
 * (`express.json()` ran first) cannot be verified: that delivery gets 500 and `onError`
 * says how to mount the route.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(client.webhookHandler('cko', async (event) => {
 *   if (await seen(event.id)) return; // deliveries repeat
 *   await markCaptured(event.paymentId, event.captureId);
 * })).listen(8080);
 * ```
 */
export function createWebhookHandler(
  parts: WebhookHandlerParts,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const write = (answer: WebhookAnswer) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(answer.status, {
        'content-length': Buffer.byteLength(answer.body).toString(),
        ...answer.headers,
      });
      res.end(answer.body);
    };
    const answered = (answer: WebhookAnswer) => {
      write(answer);
      // An unread body (405, 413) must not hold the connection: drop it when it is too
      // large to be worth reading, else drain it.
      if (req.readableEnded) return;
      if (answer.close) req.destroy();
      else req.resume();
    };
    const refused = refuseMethod(req.method ?? 'GET');
    if (refused) {
      answered(refused);
      return;
    }
    answerWebhook(parts, {
      method: req.method ?? 'GET',
      // Express rewrites req.url inside a mounted router (`/antom` under `/webhooks`) and
      // keeps the path the request arrived on, which Antom signs, in req.originalUrl.
      path: originalUrl(req) ?? req.url ?? '/',
      headers: req.headers,
      readBody: (limit) => readNodeBody(req, limit),
    })
      .then(answered)
      .catch((cause: unknown) => {
        // Only writing can fail here (answerWebhook never rejects).
        try {
          parts.options?.onError?.({ code: 'handler_failed', cause });
        } catch {
          // A logging callback must not break the answer.
        }
        try {
          answered({ status: 500, headers: {}, body: '', close: true });
        } catch {
          res.destroy();
        }
      });
  };
}

function originalUrl(req: IncomingMessage): string | undefined {
  const url = (req as { originalUrl?: unknown }).originalUrl;
  return typeof url === 'string' && url.startsWith('/') ? url : undefined;
}

/** A body some middleware already consumed, and how to get the bytes back. */
function alreadyRead(req: IncomingMessage): string | undefined {
  const body = (req as { body?: unknown }).body;
  if (body === undefined && !req.readableEnded) return undefined;
  const what =
    body === undefined
      ? 'the request body was already read by another handler'
      : `the request body was already parsed (req.body is ${Array.isArray(body) ? 'an array' : typeof body})`;
  return `${what}, so its exact bytes cannot be verified: mount the webhook route before any body parser (express.json(), bodyParser), or give it the raw bytes with express.raw({ type: '*/*' }).`;
}

/** Reads the body off `req`, stopping at `limit`; or takes a raw Buffer a framework left in `req.body`. */
function readNodeBody(req: IncomingMessage, limit: number): Promise<WebhookBody> {
  const preRead = (req as { body?: unknown }).body;
  if (preRead instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(preRead)
      ? preRead
      : Buffer.from(preRead.buffer, preRead.byteOffset, preRead.byteLength);
    return Promise.resolve(
      bytes.length > limit
        ? { kind: 'too_large', declared: bytes.length }
        : { kind: 'bytes', bytes },
    );
  }
  const problem = alreadyRead(req);
  if (problem) return Promise.resolve({ kind: 'unreadable', message: problem });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.resolve({ kind: 'too_large', declared });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (body: WebhookBody) => {
      if (done) return;
      done = true;
      resolve(body);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ kind: 'too_large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ kind: 'bytes', bytes: Buffer.concat(chunks, size) }));
    // The sender went away mid-body: nothing to verify, nobody to answer.
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => finish({ kind: 'aborted' }));
  });
}

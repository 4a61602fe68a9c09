import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Result } from 'neverthrow';
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
 * Settings for `client.webhookHandler()`.
 *
 * @example
 * ```ts
 * client.webhookHandler('cko', onEvent, { maxBodyBytes: 64 * 1024, onError: (e) => log.warn(e) });
 * ```
 */
export interface WebhookHandlerOptions {
  /** Largest body read, in bytes; larger requests get 413 unread. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * Called with every delivery that did not become an event (bad signature, bad payload,
   * a throwing `onEvent`). Never receives secrets. Must not throw.
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
  readonly ack: () => WebhookAck;
  readonly onEvent: (event: CaptureEvent) => void | Promise<void>;
  readonly options?: WebhookHandlerOptions;
}

/**
 * Builds a `node:http` handler: reads the raw body (size-limited), verifies and parses it,
 * awaits `onEvent`, then answers the provider's ack. A delivery that fails verification
 * gets 401 and never reaches `onEvent`. If `onEvent` throws, the answer is 500 so the
 * provider delivers again: an event is never acknowledged before it was handled.
 * Never throws into the server.
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
  const limit = parts.options?.maxBodyBytes ?? 1024 * 1024;
  const report = (error: Parameters<NonNullable<WebhookHandlerOptions['onError']>>[0]) => {
    try {
      parts.options?.onError?.(error);
    } catch {
      // A logging callback must not break the acknowledgement.
    }
  };

  return (req, res) => {
    const reply = (status: number, body = '', headers: Record<string, string> = {}) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { 'content-length': Buffer.byteLength(body).toString(), ...headers });
      res.end(body);
    };

    if (req.method !== 'POST') {
      reply(405, '', { allow: 'POST' });
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      report({
        code: 'body_too_large',
        verified: false,
        message: `Webhook body of ${declared} bytes exceeds maxBodyBytes (${limit}).`,
      });
      reply(413);
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        report({
          code: 'body_too_large',
          verified: false,
          message: `Webhook body exceeds maxBodyBytes (${limit}).`,
        });
        reply(413, '', { connection: 'close' });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      // The client went away; nothing to answer.
    });
    req.on('end', () => {
      if (tooLarge) return;
      const request: WebhookRequest = {
        method: req.method ?? 'POST',
        path: req.url ?? '/',
        headers: req.headers,
        rawBody: Buffer.concat(chunks, size),
      };
      handle(request).catch((cause) => {
        report({ code: 'handler_failed', cause });
        reply(500);
      });
    });

    async function handle(request: WebhookRequest): Promise<void> {
      const parsed = await parts.parse(request);
      if (parsed.isErr()) {
        const error = parsed.error;
        if (error.code === 'event_ignored' && error.verified) {
          const ack = parts.ack();
          reply(ack.status, ack.body, { ...ack.headers });
          return;
        }
        report(error);
        if (!error.verified) reply(401);
        else if (error.code === 'unsupported') reply(404);
        else reply(400);
        return;
      }
      try {
        await parts.onEvent(parsed.value);
      } catch (cause) {
        report({ code: 'handler_failed', cause });
        reply(500);
        return;
      }
      const ack = parts.ack();
      reply(ack.status, ack.body, { ...ack.headers });
    }
  };
}

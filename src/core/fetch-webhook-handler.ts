import { answerWebhook, refuseMethod, type WebhookBody } from './answer-webhook.js';
import type { WebhookHandlerParts } from './webhooks.js';

/**
 * Builds a web-standard webhook handler, `(request: Request) => Promise<Response>`, for
 * Next.js route handlers, Hono, Bun, Deno and other fetch-style runtimes. The same
 * guarantees as {@link createWebhookHandler}: the exact bytes are verified (the body is
 * streamed and reading stops at `maxBodyBytes`: 413), 401 when they do not verify, the
 * provider's ack only after `onEvent` resolved, 500 when it throws, 405 to anything but
 * POST. Never rejects.
 *
 * @example
 * ```ts
 * // app/webhooks/cko/route.ts (Next.js App Router)
 * export const POST = createFetchWebhookHandler({
 *   parse: (request) => client.parseWebhook('cko', request),
 *   ack: () => ({ status: 200, headers: {}, body: '' }),
 *   onEvent: async (event) => markCaptured(event.paymentId),
 * });
 * ```
 */
export function createFetchWebhookHandler(
  parts: WebhookHandlerParts,
): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      const refused = refuseMethod(request.method);
      if (refused) return new Response(null, { status: refused.status, headers: refused.headers });
      const url = new URL(request.url);
      const answer = await answerWebhook(parts, {
        method: request.method,
        path: `${url.pathname}${url.search}`,
        // Headers iterate with lower-case names, repeated ones joined by ', ' (as node:http).
        headers: Object.fromEntries(request.headers),
        readBody: (limit) => readRequestBody(request, limit),
      });
      // `connection` is the runtime's business in a fetch handler; a null body for 204/304.
      const { connection: _connection, ...headers } = answer.headers;
      return new Response(answer.body === '' ? null : answer.body, {
        status: answer.status,
        headers,
      });
    } catch (cause) {
      try {
        parts.options?.onError?.({ code: 'handler_failed', cause });
      } catch {
        // A logging callback must not break the answer.
      }
      return new Response(null, { status: 500 });
    }
  };
}

/**
 * Reads a Request body chunk by chunk and stops (cancelling the stream) as soon as it
 * passes `limit`, so an endless or huge body is never buffered.
 */
async function readRequestBody(request: Request, limit: number): Promise<WebhookBody> {
  if (request.bodyUsed) {
    return {
      kind: 'unreadable',
      message:
        'the Request body was already read (request.json(), request.text() or a body-parsing middleware ran first), so its exact bytes cannot be verified: pass the original, unread Request (c.req.raw in Hono) to the webhook handler.',
    };
  }
  const declared = Number(request.headers.get('content-length') ?? undefined);
  const stream = request.body;
  if (Number.isFinite(declared) && declared > limit) {
    stream?.cancel().catch(() => {});
    return { kind: 'too_large', declared };
  }
  if (!stream) return { kind: 'bytes', bytes: Buffer.alloc(0) };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => {});
        return { kind: 'too_large' };
      }
      chunks.push(value);
    }
  } catch {
    return { kind: 'aborted' };
  }
  return { kind: 'bytes', bytes: Buffer.concat(chunks, size) };
}

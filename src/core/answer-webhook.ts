import type { IncomingHttpHeaders } from 'node:http';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { publishDiagnostic } from './capture-diagnostic.js';
import { type CaptureTrace, traced } from './diagnostics.js';
import type { WebhookError } from './errors.js';
import type { CaptureEvent, WebhookAck, WebhookRequest } from './webhook-types.js';
import type { WebhookHandlerOptions, WebhookHandlerParts } from './webhooks.js';

/** Default `maxBodyBytes` of both webhook handlers: 1 MiB. */
export const DEFAULT_MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** What a handler reads off the wire before the common decision. */
export type WebhookBody =
  | { readonly kind: 'bytes'; readonly bytes: Buffer }
  /** Over `maxBodyBytes`; reading stopped (or never started, from `content-length`). */
  | { readonly kind: 'too_large'; readonly declared?: number }
  /** The bytes are gone (a framework parsed or read them first); says how to fix it. */
  | { readonly kind: 'unreadable'; readonly message: string }
  /** The sender went away mid-body: nobody to answer. */
  | { readonly kind: 'aborted' };

/** One delivery as a handler sees it, with its body still to read. */
export interface WebhookDelivery {
  readonly method: string;
  /** Path with query string, as the request line had it. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders | Readonly<Record<string, string | string[] | undefined>>;
  /** Reads at most `limit` bytes; never buffers past it. */
  readonly readBody: (limit: number) => Promise<WebhookBody>;
}

/** The answer to write back. `close`: drop the connection after answering (unread body). */
export interface WebhookAnswer extends WebhookAck {
  readonly close?: boolean;
}

type ReportedError = Parameters<NonNullable<WebhookHandlerOptions['onError']>>[0];

const empty = (status: number, headers: Record<string, string> = {}): WebhookAnswer => ({
  status,
  headers,
  body: '',
});

/**
 * The answer to a request that is not a webhook delivery at all (not a POST), decided before
 * anything is read; `undefined` for a POST. Synchronous, so a `node:http` handler answers
 * before the server parses whatever follows on the connection.
 */
export function refuseMethod(method: string): WebhookAnswer | undefined {
  return method === 'POST' ? undefined : empty(405, { allow: 'POST' });
}

/**
 * The one decision both webhook handlers (`node:http` and fetch) make for a delivery:
 * 405 to anything but POST; 413 over `maxBodyBytes`; the exact bytes to `parse`; 401 when
 * they do not verify; the provider's ack to a verified `event_ignored`; `onEvent` awaited,
 * then the ack, or 500 when it throws (so the provider delivers again). Never rejects: any
 * failure of its own is a 500. Traced as one `webhook` operation (body read included).
 */
export async function answerWebhook(
  parts: WebhookHandlerParts,
  delivery: WebhookDelivery,
): Promise<WebhookAnswer> {
  const refused = refuseMethod(delivery.method);
  if (refused) return refused;
  const report = (error: ReportedError) => {
    try {
      parts.options?.onError?.(error);
    } catch {
      // A logging callback must not break the acknowledgement.
    }
  };
  try {
    return await traced(
      'webhook',
      () => ({
        ...(parts.provider !== undefined ? { provider: parts.provider } : {}),
        ...(parts.kind !== undefined ? { kind: parts.kind } : {}),
      }),
      (trace) => decide(parts, delivery, report, trace),
      (answer, trace) => {
        trace.status = answer.status;
      },
    );
  } catch (cause) {
    report({ code: 'handler_failed', cause });
    return empty(500);
  }
}

async function decide(
  parts: WebhookHandlerParts,
  delivery: WebhookDelivery,
  report: (error: ReportedError) => void,
  trace: CaptureTrace | undefined,
): Promise<WebhookAnswer> {
  const started = performance.now();
  const limit = parts.options?.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BODY_BYTES;
  const note = (fields: Omit<CaptureTrace, 'operation'>) => {
    if (trace) Object.assign(trace, fields);
  };
  const failed = (cause: unknown) => {
    report({ code: 'handler_failed', cause });
    note({ code: 'handler_failed' });
    return empty(500);
  };
  try {
    const body = await delivery.readBody(limit);
    if (body.kind === 'aborted') {
      note({ code: 'aborted' });
      return empty(400, { connection: 'close' });
    }
    if (body.kind === 'too_large') {
      report({
        code: 'body_too_large',
        verified: false,
        message:
          body.declared !== undefined
            ? `Webhook body of ${body.declared} bytes exceeds maxBodyBytes (${limit}).`
            : `Webhook body exceeds maxBodyBytes (${limit}).`,
      });
      note({ code: 'body_too_large' });
      return { ...empty(413, { connection: 'close' }), close: true };
    }
    if (body.kind === 'unreadable') return failed(new TypeError(body.message));

    const request: WebhookRequest = {
      method: delivery.method,
      path: delivery.path,
      headers: delivery.headers,
      rawBody: body.bytes,
    };
    // A provider that batches events (Adyen) hands over all of them; others one.
    const parsed = parts.parseBatch
      ? await parts.parseBatch(request)
      : (await parts.parse(request)).map((event) => [event]);
    if (parsed.isErr()) {
      const error: WebhookError = parsed.error;
      note({
        code: error.code,
        ...(error.kind ? { kind: error.kind } : {}),
        ...(error.eventType ? { eventType: error.eventType } : {}),
      });
      if (error.code === 'event_ignored' && error.verified) return ack(parts);
      report(error);
      if (!error.verified) return empty(401);
      return empty(error.code === 'unsupported' ? 404 : 400);
    }
    const events = parsed.value;
    for (const event of events) {
      const outcome = event.type === 'capture.succeeded' ? 'succeeded' : 'failed';
      // The trace describes the last event handled (the only one, but for batches).
      note({
        kind: event.kind,
        paymentId: event.paymentId,
        eventType: event.type,
        eventId: event.id,
        outcome,
        ...(event.idempotencyKey ? { idempotencyKey: event.idempotencyKey } : {}),
        ...(event.providerCode ? { providerCode: event.providerCode } : {}),
      });
      try {
        await parts.onEvent(event);
      } catch (cause) {
        return failed(cause);
      }
    }
    // One acknowledgement for the delivery, after every event was handled.
    const answer = ack(parts);
    const durationMs = performance.now() - started;
    for (const event of events) {
      publishEvent(
        parts,
        event,
        event.type === 'capture.succeeded' ? 'succeeded' : 'failed',
        durationMs,
      );
    }
    return answer;
  } catch (cause) {
    // A throwing parse() or ack(), or an ack header Node would refuse to write.
    return failed(cause);
  }
}

/** The provider's ack, checked so that writing it cannot fail half-way. */
function ack(parts: WebhookHandlerParts): WebhookAnswer {
  const answer = parts.ack();
  for (const [name, value] of Object.entries(answer.headers)) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
  }
  return { status: answer.status, headers: { ...answer.headers }, body: answer.body };
}

/** One `webhook` message per acknowledged capture event on `CAPTURE_CHANNEL`. */
function publishEvent(
  parts: WebhookHandlerParts,
  event: CaptureEvent,
  outcome: 'succeeded' | 'failed',
  durationMs: number,
): void {
  publishDiagnostic({
    operation: 'webhook',
    provider: parts.provider ?? event.provider,
    kind: event.kind,
    paymentId: event.paymentId,
    idempotencyKey: event.idempotencyKey ?? '',
    result: outcome,
    ...(event.providerCode ? { providerCode: event.providerCode } : {}),
    durationMs,
  });
}

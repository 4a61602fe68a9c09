import type { IncomingHttpHeaders } from 'node:http';
import type { CaptureErrorCode } from './errors.js';
import type { Money } from './money.js';

/**
 * A verified capture notification, the same shape for every provider.
 *
 * @example
 * ```ts
 * const parsed = await client.parseWebhook('cko', request);
 * parsed.map((event) => (seen.has(event.id) ? 'duplicate' : event.type));
 * ```
 */
export interface CaptureEvent {
  readonly provider: string;
  readonly kind: string;
  /** The dedupe key: providers deliver at least once, so store and check it. */
  readonly id: string;
  readonly type: 'capture.succeeded' | 'capture.failed';
  readonly paymentId: string;
  /** Matches `Capture.captureId` (Checkout.com `action_id`, Antom `captureId`). */
  readonly captureId?: string;
  /** Matches `Capture.idempotencyKey` where the provider echoes it (Antom `captureRequestId`). */
  readonly idempotencyKey?: string;
  readonly amount?: Money;
  /** ISO-8601 time of the event according to the provider. */
  readonly occurredAt: string;
  /** Provider's own result code for a failure, e.g. `'20051'` or `'RISK_REJECT'`. */
  readonly providerCode?: string;
  /**
   * The normalized code of a `capture.failed`, where the adapter can map the provider's
   * reason (Adyen's `reason`); the journal keeps it so `resolve()` answers with it.
   */
  readonly code?: CaptureErrorCode;
  /** The parsed body. Never contains secrets. */
  readonly raw: unknown;
}

/**
 * A {@link CaptureEvent} as an adapter returns it; the client adds `provider`.
 *
 * @example
 * ```ts
 * const event: ProviderCaptureEvent = {
 *   kind: 'memory', id: 'evt_1', type: 'capture.succeeded', paymentId: 'pay_1',
 *   occurredAt: '2026-01-01T00:00:00Z', raw: {},
 * };
 * const answer = ok(event); // what an adapter's doParseWebhook() resolves to
 * ```
 */
export type ProviderCaptureEvent = Omit<CaptureEvent, 'provider'>;

/**
 * One webhook HTTP request, as received. `rawBody` must be the exact bytes: signatures are
 * computed over them, so never pass a re-serialized JSON object.
 *
 * @example
 * ```ts
 * const request: WebhookRequest = { method: 'POST', path: '/hooks/cko', headers: req.headers, rawBody };
 * ```
 */
export interface WebhookRequest {
  readonly method: string;
  /** Path (with query string, if any) the request was sent to, e.g. `/notify/antom`. */
  readonly path: string;
  /** Node-style headers with lower-case keys. */
  readonly headers: IncomingHttpHeaders | Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: Buffer | string;
}

/**
 * What the webhook handler answers after a verified delivery.
 *
 * @example
 * ```ts
 * const ack: WebhookAck = adapter.webhookAck();
 * res.writeHead(ack.status, ack.headers).end(ack.body);
 * ```
 */
export interface WebhookAck {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Reads one header case-insensitively; joins repeated headers with `, `.
 *
 * @example
 * ```ts
 * headerValue({ 'Content-Type': 'application/json' }, 'content-type'); // 'application/json'
 * headerValue({ 'x-tag': ['a', 'b'] }, 'X-Tag'); // 'a, b'
 * ```
 */
export function headerValue(headers: WebhookRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  // Node hands headers over with lower-case keys: look that up first, scan only otherwise.
  if (Object.hasOwn(headers, wanted)) {
    const value = headers[wanted];
    if (typeof value === 'string') return value;
    if (value !== undefined) return Array.isArray(value) ? value.join(', ') : String(value);
  }
  return scanHeaders(headers, wanted);
}

/**
 * The rare path of {@link headerValue}, apart so that the common one stays small enough for
 * V8 to inline (Antom's three lookups: 1 868 → 1 644 instructions; bench/FINDINGS.md, webhooks).
 */
function scanHeaders(headers: WebhookRequest['headers'], wanted: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(', ') : String(value);
  }
  return undefined;
}

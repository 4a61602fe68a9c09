import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import type { WebhookError } from '../../core/errors.js';
import type { Money } from '../../core/money.js';
import type { Mutable } from '../../core/mutable.js';
import {
  headerValue,
  type ProviderCaptureEvent,
  type WebhookAck,
  type WebhookRequest,
} from '../../core/webhook-types.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { CHECKOUT_IDEMPOTENCY_METADATA_KEY } from './build-capture-body.js';
import { webhookEventSchema } from './schemas.js';
import { sameSecret, verifyCheckoutSignature } from './signing.js';

/** What the webhook parser needs from the adapter settings. */
interface CheckoutWebhookSettings {
  readonly webhookSecret?: string;
  readonly webhookAuthorization?: string;
}

/**
 * `payment_captured` → `capture.succeeded`, `payment_capture_declined` → `capture.failed`.
 * Compared, not looked up: a type read from JSON is a fresh string, and using it as a key
 * makes V8 look it up in its string table on every delivery.
 */
function eventType(type: string): ProviderCaptureEvent['type'] | undefined {
  if (type === 'payment_captured') return 'capture.succeeded';
  if (type === 'payment_capture_declined') return 'capture.failed';
  return undefined;
}

/** Checkout.com retries until it gets a 2xx; the body is not read. */
export const CHECKOUT_WEBHOOK_ACK: WebhookAck = Object.freeze({
  status: 200,
  headers: Object.freeze({}),
  body: '',
});

function refuse(code: WebhookError['code'], message: string, eventType?: string): WebhookError {
  return {
    code,
    message,
    verified: code !== 'signature_invalid',
    ...(eventType !== undefined ? { eventType } : {}),
  };
}

function safeAmount(amount: number | null | undefined, currency: string | null | undefined) {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0 || !currency) {
    return undefined;
  }
  return { currency, value: BigInt(amount) } satisfies Money;
}

/**
 * Verifies one Checkout.com webhook delivery and turns it into a neutral event. Checks, in
 * order: a configured `webhookSecret`, the `Cko-Signature` HMAC over the raw bytes
 * (constant time), the `Authorization` header when `webhookAuthorization` is set, then the
 * body. `payment_captured` → `capture.succeeded`, `payment_capture_declined` →
 * `capture.failed`; any other verified type is `Err({ code: 'event_ignored', verified: true,
 * eventType })`, which the webhook handler acknowledges so Checkout.com stops retrying.
 *
 * The event `id` is the dedupe key (delivery is at least once); `data.action_id` is the
 * `captureId`. `idempotencyKey` is the key the adapter sent in the capture's metadata
 * (`data.metadata.capture_kit_idempotency_key`); it is not read from `data.reference`,
 * which is only the key when the caller gave no reference (it stays in `raw`).
 *
 * @example
 * ```ts
 * const parsed = parseCheckoutWebhook(request, { webhookSecret });
 * parsed.map((event) => event.type); // 'capture.succeeded'
 * ```
 */
export function parseCheckoutWebhook(
  request: WebhookRequest,
  settings: CheckoutWebhookSettings,
): Result<ProviderCaptureEvent, WebhookError> {
  if (settings.webhookSecret === undefined) {
    return err(
      refuse(
        'signature_invalid',
        'Cannot verify Checkout.com webhooks: configure checkout({ webhookSecret }) with the signature key shown for the webhook in the Dashboard.',
      ),
    );
  }
  const signature = headerValue(request.headers, 'cko-signature');
  if (!verifyCheckoutSignature(request.rawBody, signature, settings.webhookSecret)) {
    return err(
      refuse(
        'signature_invalid',
        signature === undefined
          ? 'The Cko-Signature header is missing: the request did not come from Checkout.com, or a proxy removed the header.'
          : 'The Cko-Signature header does not match the body: check checkout({ webhookSecret }) and that the raw bytes reach parseWebhook unchanged (no JSON re-serialization).',
      ),
    );
  }
  if (
    settings.webhookAuthorization !== undefined &&
    !sameSecret(headerValue(request.headers, 'authorization'), settings.webhookAuthorization)
  ) {
    return err(
      refuse(
        'signature_invalid',
        'The Authorization header does not match checkout({ webhookAuthorization }): check the value configured on the webhook in the Dashboard.',
      ),
    );
  }
  const body = readJsonBody(request.rawBody);
  if (body === undefined) {
    return err(
      refuse('invalid_payload', 'The webhook body is not JSON, although its signature is valid.'),
    );
  }
  const event = readWebhookEvent(body);
  if (!event) {
    return err(
      refuse(
        'invalid_payload',
        'The webhook body has no event id or type, although its signature is valid.',
      ),
    );
  }
  const type = eventType(event.type);
  if (type === undefined) {
    return err(
      refuse(
        'event_ignored',
        `Event type ${event.type} is not a capture result; acknowledged and ignored.`,
        event.type,
      ),
    );
  }
  const data = event.data;
  if (!data?.id) {
    return err(
      refuse('invalid_payload', `The ${event.type} event has no data.id (payment id).`, event.type),
    );
  }
  const amount = safeAmount(data.amount, data.currency);
  const metadata = data.metadata;
  const key =
    metadata && typeof metadata === 'object'
      ? (metadata as Record<string, unknown>)[CHECKOUT_IDEMPOTENCY_METADATA_KEY]
      : undefined;
  // Built field by field, in the order the fields always had, instead of an object literal
  // with conditional spreads: each spread was a runtime copy (bench/FINDINGS.md, webhooks).
  const captured: Mutable<ProviderCaptureEvent> = {
    kind: 'checkout',
    id: event.id,
    type,
    paymentId: data.id,
  } as Mutable<ProviderCaptureEvent>;
  if (data.action_id) captured.captureId = data.action_id;
  if (typeof key === 'string' && key !== '') captured.idempotencyKey = key;
  if (amount) captured.amount = amount;
  captured.occurredAt = event.created_on ?? data.processed_on ?? new Date().toISOString();
  if (type === 'capture.failed' && data.response_code) captured.providerCode = data.response_code;
  captured.raw = body;
  return ok(captured);
}

type WebhookEvent = z.infer<typeof webhookEventSchema>;

/**
 * The event, checked by hand for the shape every delivery has (the zod schema decides only
 * when something is off): zod was about 1 µs of a ~5 µs verification (bench/FINDINGS.md).
 * Accepts nothing the schema would refuse.
 */
function readWebhookEvent(body: unknown): WebhookEvent | undefined {
  if (commonEventShape(body)) return body as WebhookEvent;
  const parsed = webhookEventSchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

function commonEventShape(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const event = body as Record<string, unknown>;
  if (typeof event.id !== 'string' || event.id.length === 0) return false;
  if (typeof event.type !== 'string' || event.type.length === 0) return false;
  if (!nullishString(event.version) || !nullishString(event.created_on)) return false;
  const data = event.data;
  if (data === undefined || data === null) return true;
  if (typeof data !== 'object' || Array.isArray(data)) return false;
  const fields = data as Record<string, unknown>;
  // One named read per field (not a loop over names): each site then stays monomorphic.
  if (
    !nullishString(fields.id) ||
    !nullishString(fields.action_id) ||
    !nullishString(fields.reference) ||
    !nullishString(fields.currency) ||
    !nullishString(fields.response_code) ||
    !nullishString(fields.response_summary) ||
    !nullishString(fields.processed_on)
  ) {
    return false;
  }
  const amount = fields.amount;
  return (
    amount === undefined ||
    amount === null ||
    (typeof amount === 'number' && Number.isFinite(amount))
  );
}

function nullishString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

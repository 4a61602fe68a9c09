import { err, ok, type Result } from 'neverthrow';
import type { WebhookError } from '../../core/errors.js';
import type { Money } from '../../core/money.js';
import type { ProviderCaptureEvent, WebhookAck, WebhookRequest } from '../../core/webhook-types.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { mapAdyenWebhookFailure } from './map-adyen-result.js';
import {
  type AdyenNotificationItem,
  notificationItemSchema,
  notificationSchema,
} from './schemas.js';
import { verifyAdyenNotification } from './signing.js';

/**
 * Adyen's expected answer to a standard webhook: HTTP 200 with the body `[accepted]`
 * (without it Adyen retries the delivery).
 *
 * @example
 * ```ts
 * res.writeHead(ADYEN_WEBHOOK_ACK.status, ADYEN_WEBHOOK_ACK.headers).end(ADYEN_WEBHOOK_ACK.body);
 * ```
 */
export const ADYEN_WEBHOOK_ACK: WebhookAck = Object.freeze({
  status: 200,
  headers: Object.freeze({ 'content-type': 'text/plain; charset=utf-8' }),
  body: '[accepted]',
});

function refuse(
  code: WebhookError['code'],
  message: string,
  verified: boolean,
  eventType?: string,
): WebhookError {
  return { code, message, verified, ...(eventType !== undefined ? { eventType } : {}) };
}

function safeAmount(amount: AdyenNotificationItem['amount']): Money | undefined {
  const value = amount?.value;
  const currency = amount?.currency;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || !currency) {
    return undefined;
  }
  return { currency, value: BigInt(value) };
}

/**
 * The dedupe key of one notification item. Adyen items carry no event id; a retried
 * delivery repeats the same item, so the key is built from what identifies the event:
 * `eventCode` (CAPTURE and CAPTURE_FAILED are different events about one capture),
 * `pspReference` (the capture), `originalReference` (the payment) and `success` (Adyen may
 * report a capture again with another outcome, which is a new event). Dates and amounts
 * are left out: they describe the event, they do not tell two events apart.
 *
 * @example
 * ```ts
 * adyenEventId(item); // 'CAPTURE:QFQTPCQ8HXSKGK82:K4RFR5Z4FRJ2SZV5:true'
 * ```
 */
export function adyenEventId(item: AdyenNotificationItem): string {
  return [item.eventCode, item.pspReference, item.originalReference ?? '', item.success].join(':');
}

/** One verified capture item as a neutral event; `undefined` for other event codes. */
function toEvent(item: AdyenNotificationItem): ProviderCaptureEvent | undefined {
  const { eventCode } = item;
  if (eventCode !== 'CAPTURE' && eventCode !== 'CAPTURE_FAILED') return undefined;
  const succeeded = eventCode === 'CAPTURE' && item.success === 'true';
  const amount = safeAmount(item.amount);
  const reason = item.reason ?? undefined;
  const providerCode = eventCode === 'CAPTURE_FAILED' ? 'CAPTURE_FAILED' : reason;
  const { hmacSignature: _signature, ...additionalData } = item.additionalData ?? {};
  return {
    kind: 'adyen',
    id: adyenEventId(item),
    type: succeeded ? 'capture.succeeded' : 'capture.failed',
    // A capture notification names the payment in originalReference.
    paymentId: item.originalReference ?? '',
    captureId: item.pspReference,
    ...(amount ? { amount } : {}),
    occurredAt: isoDate(item.eventDate) ?? new Date().toISOString(),
    ...(!succeeded && providerCode ? { providerCode } : {}),
    ...(!succeeded ? { code: mapAdyenWebhookFailure(eventCode, reason) } : {}),
    raw: { ...item, additionalData },
  };
}

function isoDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * Verifies one Adyen standard webhook delivery and turns its capture items into neutral
 * events. Adyen signs each `NotificationRequestItem` (HMAC-SHA256 over eight fields, key
 * from `adyen({ hmacKey })`, base64 in `additionalData.hmacSignature`); EVERY item must
 * verify, or the whole delivery is refused (401, Adyen delivers it again) and nothing
 * reaches `onEvent`. `CAPTURE` with `success: "true"` → `capture.succeeded`; `CAPTURE` with
 * `success: "false"` and `CAPTURE_FAILED` → `capture.failed` (the reason in `providerCode`,
 * the normalized `code` from the code table). Other event codes are skipped; a delivery
 * with no capture item is `Err(event_ignored, verified)`, which the handler acknowledges.
 *
 * @example
 * ```ts
 * const parsed = parseAdyenWebhook(request, { hmacKey });
 * parsed.map((events) => events.map((event) => event.type)); // ['capture.succeeded']
 * ```
 */
export function parseAdyenWebhook(
  request: WebhookRequest,
  settings: { readonly hmacKey?: string },
): Result<readonly ProviderCaptureEvent[], WebhookError> {
  const { hmacKey } = settings;
  if (hmacKey === undefined) {
    return err(
      refuse(
        'signature_invalid',
        'Cannot verify Adyen webhooks: configure adyen({ hmacKey }) with the HMAC key of your standard webhook (Customer Area → Developers → Webhooks).',
        false,
      ),
    );
  }
  const body = notificationSchema.safeParse(readJsonBody(request.rawBody));
  if (!body.success) {
    return err(
      refuse(
        'signature_invalid',
        'The body is not an Adyen standard webhook (JSON with notificationItems), so no signature in it can be checked; refused.',
        false,
      ),
    );
  }
  const items: AdyenNotificationItem[] = [];
  for (const wrapper of body.data.notificationItems) {
    const item = notificationItemSchema.safeParse(wrapper.NotificationRequestItem);
    if (!item.success) {
      return err(
        refuse(
          'signature_invalid',
          'A NotificationRequestItem lacks the signed fields (pspReference, merchantAccountCode, eventCode, success), so its signature cannot be checked; the delivery is refused.',
          false,
        ),
      );
    }
    if (!verifyAdyenNotification(item.data, item.data.additionalData?.hmacSignature, hmacKey)) {
      return err(
        refuse(
          'signature_invalid',
          item.data.additionalData?.hmacSignature === undefined
            ? 'A NotificationRequestItem has no additionalData.hmacSignature: enable HMAC signing on the standard webhook in the Customer Area.'
            : 'A NotificationRequestItem signature does not match: check adyen({ hmacKey }) is the HMAC key of this webhook (a new key takes a few minutes to apply), and that the raw bytes reach parseWebhook unchanged.',
          false,
          item.data.eventCode,
        ),
      );
    }
    items.push(item.data);
  }
  const events: ProviderCaptureEvent[] = [];
  for (const item of items) {
    const event = toEvent(item);
    if (!event) continue;
    if (event.paymentId === '') {
      return err(
        refuse(
          'invalid_payload',
          `A verified ${item.eventCode} item has no originalReference (the payment's pspReference).`,
          true,
          item.eventCode,
        ),
      );
    }
    events.push(event);
  }
  if (events.length === 0) {
    const codes = [...new Set(items.map((item) => item.eventCode))].join(', ') || 'none';
    return err(
      refuse(
        'event_ignored',
        `No capture result in this delivery (event codes: ${codes}); acknowledged and ignored.`,
        true,
        items[0]?.eventCode,
      ),
    );
  }
  return ok(events);
}

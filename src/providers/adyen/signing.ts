import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The fields of a `NotificationRequestItem` that Adyen's HMAC signature covers, as Adyen
 * sends them. A missing `originalReference` or `merchantReference` counts as empty.
 *
 * @example
 * ```ts
 * const fields: AdyenSignedFields = { pspReference: 'QFQTPCQ8HXSKGK82', originalReference: 'K4RFR5Z4FRJ2SZV5',
 *   merchantAccountCode: 'ShopEU', merchantReference: 'ORD-5023', amount: { value: 3500, currency: 'EUR' },
 *   eventCode: 'CAPTURE', success: 'true' };
 * ```
 */
export interface AdyenSignedFields {
  readonly pspReference: string;
  readonly originalReference?: string | null | undefined;
  readonly merchantAccountCode: string;
  readonly merchantReference?: string | null | undefined;
  readonly amount?:
    | {
        readonly value?: number | null | undefined;
        readonly currency?: string | null | undefined;
      }
    | null
    | undefined;
  readonly eventCode: string;
  readonly success: string;
}

/**
 * The string Adyen signs: pspReference, originalReference, merchantAccountCode,
 * merchantReference, amount value, amount currency, eventCode and success, joined with `:`
 * (no escaping; an absent field is empty).
 *
 * @example
 * ```ts
 * adyenSignedPayload(item); // 'QFQTPCQ8HXSKGK82:K4RFR5Z4FRJ2SZV5:ShopEU:ORD-5023:3500:EUR:CAPTURE:true'
 * ```
 */
export function adyenSignedPayload(item: AdyenSignedFields): string {
  const value = item.amount?.value;
  return [
    item.pspReference,
    item.originalReference ?? '',
    item.merchantAccountCode,
    item.merchantReference ?? '',
    value === undefined || value === null ? '' : String(value),
    item.amount?.currency ?? '',
    item.eventCode,
    item.success,
  ].join(':');
}

/**
 * Computes a notification item's signature: base64 HMAC-SHA256 of
 * {@link adyenSignedPayload}, keyed with the hex-decoded HMAC key. This is the value of
 * `additionalData.hmacSignature`.
 *
 * @example
 * ```ts
 * item.additionalData = { hmacSignature: signAdyenNotification(item, hmacKey) };
 * ```
 */
export function signAdyenNotification(item: AdyenSignedFields, hmacKey: string): string {
  return createHmac('sha256', Buffer.from(hmacKey, 'hex'))
    .update(adyenSignedPayload(item), 'utf8')
    .digest('base64');
}

/**
 * Checks `additionalData.hmacSignature` of one item in constant time. Fails closed: a
 * missing, non-string, truncated or otherwise different signature is `false`.
 *
 * @example
 * ```ts
 * if (!verifyAdyenNotification(item, item.additionalData?.hmacSignature, hmacKey)) refuse();
 * ```
 */
export function verifyAdyenNotification(
  item: AdyenSignedFields,
  signature: unknown,
  hmacKey: string,
): boolean {
  if (typeof signature !== 'string' || signature === '') return false;
  const expected = Buffer.from(signAdyenNotification(item, hmacKey), 'base64');
  const given = Buffer.from(signature, 'base64');
  // Base64 decoding is lenient: compare the canonical re-encoding too.
  return (
    given.length === expected.length &&
    given.toString('base64') === signature &&
    timingSafeEqual(given, expected)
  );
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Computes Checkout.com's webhook signature: the lowercase hex HMAC-SHA256 of the raw body,
 * keyed with the webhook's signature key. This is the `Cko-Signature` header value.
 *
 * @example
 * ```ts
 * const signature = signCheckoutWebhook(rawBody, webhookSecret);
 * await fetch(url, { method: 'POST', headers: { 'cko-signature': signature }, body: rawBody });
 * ```
 */
export function signCheckoutWebhook(rawBody: Buffer | string, webhookSecret: string): string {
  return createHmac('sha256', webhookSecret).update(rawBody).digest('hex');
}

/**
 * Checks a `Cko-Signature` header against the raw body in constant time. Fails closed: a
 * missing, truncated, padded or non-hex value is `false`. Upper-case hex is accepted.
 *
 * @example
 * ```ts
 * if (!verifyCheckoutSignature(rawBody, req.headers['cko-signature'], webhookSecret)) res.writeHead(401);
 * ```
 */
export function verifyCheckoutSignature(
  rawBody: Buffer | string,
  header: string | undefined,
  webhookSecret: string,
): boolean {
  if (header === undefined) return false;
  const given = header.trim().toLowerCase();
  // The length and alphabet are public (64 hex digits); only the digits themselves are secret.
  if (!HEX_SHA256.test(given)) return false;
  const expected = Buffer.from(signCheckoutWebhook(rawBody, webhookSecret), 'hex');
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}

/**
 * Compares two secrets in constant time whatever their lengths (both are hashed first, so
 * the comparison never reveals where or whether the lengths differ).
 *
 * @example
 * ```ts
 * sameSecret(req.headers.authorization, settings.webhookAuthorization); // true | false
 * ```
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

import { hmacSha256Hex, verifyHmacSha256Hex } from '../../provider-kit/hmac.js';

export { sameSecret } from '../../provider-kit/hmac.js';

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
  return hmacSha256Hex(rawBody, webhookSecret);
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
  return verifyHmacSha256Hex(rawBody, header, webhookSecret);
}

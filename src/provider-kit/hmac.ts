import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Lowercase hex HMAC-SHA256 of `data` keyed with `secret`: the webhook signature of
 * Checkout.com and of most HMAC-signing acquirers.
 *
 * @example
 * ```ts
 * import { hmacSha256Hex } from 'capture-kit/provider';
 *
 * const signature = hmacSha256Hex(rawBody, webhookSecret);
 * ```
 */
export function hmacSha256Hex(data: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

/**
 * Checks a hex HMAC-SHA256 signature in constant time. Fails closed: a missing,
 * truncated, padded or non-hex value is `false`; upper-case hex is accepted.
 *
 * @example
 * ```ts
 * import { verifyHmacSha256Hex } from 'capture-kit/provider';
 *
 * if (!verifyHmacSha256Hex(rawBody, headers['x-signature'], webhookSecret)) return refuse();
 * ```
 */
export function verifyHmacSha256Hex(
  data: Buffer | string,
  signature: string | undefined,
  secret: string,
): boolean {
  if (signature === undefined) return false;
  const given = signature.trim();
  // The length and alphabet are public (64 hex digits); only the digits themselves are secret.
  // 64 characters that are 64 UTF-8 bytes are all ASCII; Node's hex decoder stops at the
  // first pair that is not hex (either case), so 32 bytes back means 64 hex digits. This
  // replaces a regular expression that cost more than the rest of the check (bench/FINDINGS.md).
  if (given.length !== 64 || Buffer.byteLength(given, 'utf8') !== 64) return false;
  if (GIVEN_DIGEST.write(given, 0, 32, 'hex') !== 32) return false;
  // The digest's bytes against the header's: no hex string made only to be decoded again.
  const expected = createHmac('sha256', secret).update(data).digest();
  return timingSafeEqual(GIVEN_DIGEST, expected);
}

/**
 * Where the header's digest is decoded: the check is synchronous, so one buffer serves every
 * call (it only ever holds the public header value).
 */
const GIVEN_DIGEST = Buffer.alloc(32);

/**
 * Compares two secrets in constant time whatever their lengths (both are hashed first, so
 * the comparison never reveals where or whether the lengths differ).
 *
 * @example
 * ```ts
 * import { sameSecret } from 'capture-kit/provider';
 *
 * sameSecret(req.headers.authorization, settings.webhookAuthorization); // true | false
 * ```
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

import { hmacSha256Hex, verifyHmacSha256Hex } from '../../provider-kit/hmac.js';

/**
 * Computes a `Stripe-Signature` header value for `payload` signed at `timestamp` (Unix
 * seconds): `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<payload>">`, one `v1` per
 * secret (as Stripe sends during a secret rotation). For simulators and tests.
 *
 * @example
 * ```ts
 * const header = signStripeWebhook(rawBody, ['whsec_…'], Math.floor(Date.now() / 1000));
 * ```
 */
export function signStripeWebhook(
  payload: Buffer | string,
  secrets: readonly string[],
  timestamp: number,
): string {
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), Buffer.from(payload)]);
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${hmacSha256Hex(signed, secret)}`)].join(
    ',',
  );
}

/**
 * Why a `Stripe-Signature` header did not verify.
 *
 * @example
 * ```ts
 * const problem: StripeSignatureProblem | undefined = verifyStripeSignature(body, header, secrets, 300);
 * if (problem === 'outside_tolerance') console.warn('check this server clock');
 * ```
 */
export type StripeSignatureProblem = 'missing' | 'malformed' | 'no_match' | 'outside_tolerance';

/**
 * Checks a `Stripe-Signature` header against the raw body: the header's `t` and every
 * `v1` (other schemes, such as `v0`, are ignored), each compared in constant time with the
 * HMAC under each of `secrets`; then the timestamp must lie within `toleranceSec` of `nowSec`.
 * Fails closed: returns the problem, or `undefined` when the delivery verifies.
 *
 * @example
 * ```ts
 * const problem = verifyStripeSignature(rawBody, req.headers['stripe-signature'], ['whsec_…'], 300);
 * if (problem) res.writeHead(401).end();
 * ```
 */
export function verifyStripeSignature(
  payload: Buffer | string,
  header: string | undefined,
  secrets: readonly string[],
  toleranceSec: number,
  nowSec: number = Math.floor(Date.now() / 1000),
): StripeSignatureProblem | undefined {
  if (header === undefined || header === '') return 'missing';
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === 't') timestamp = value;
    else if (name === 'v1') signatures.push(value);
  }
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) {
    return 'malformed';
  }
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), Buffer.from(payload)]);
  // Check every pair (no early exit) so the time taken says nothing about which one matched.
  let matched = false;
  for (const secret of secrets) {
    for (const signature of signatures) {
      if (verifyHmacSha256Hex(signed, signature, secret)) matched = true;
    }
  }
  if (!matched) return 'no_match';
  if (Math.abs(nowSec - Number(timestamp)) > toleranceSec) return 'outside_tolerance';
  return undefined;
}

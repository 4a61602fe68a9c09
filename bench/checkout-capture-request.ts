/**
 * The bytes every hand-written Checkout.com contender sends for one full capture of 10.00
 * EUR, as capture-kit's adapter sends them: `POST /payments/{id}/captures` with the secret
 * key, JSON accept/content types, the idempotency key, and
 * `{"amount":1000,"reference":"<key>"}` (capture-kit's body also carries the key in
 * `metadata`, so that `resolve()` can find the capture).
 *
 * @example
 * ```ts
 * const response = await pool.request(checkoutCaptureRequest(paymentId, key, `Bearer ${secretKey}`));
 * ```
 */
export function checkoutCaptureRequest(paymentId: string, key: string, authorization: string) {
  return {
    method: 'POST' as const,
    path: `/payments/${paymentId}/captures`,
    headers: {
      authorization,
      accept: 'application/json',
      'content-type': 'application/json',
      'cko-idempotency-key': key,
    },
    body: JSON.stringify({ amount: 1000, reference: key }),
  };
}

/**
 * Reads an HTTP `Retry-After` value as milliseconds to wait: delta-seconds (`"120"`) or an
 * HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`, counted from `now`, never below 0).
 * `undefined` when the header is absent or unreadable, so a garbled header never invents
 * a wait.
 *
 * @example
 * ```ts
 * parseRetryAfter('2'); // 2000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:30Z')); // 30000
 * parseRetryAfter('soon'); // undefined
 * ```
 */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const ms = Number(text) * 1000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  // Only the three HTTP-date forms (RFC 9110 §5.6.7), which all start with a day name:
  // Date.parse alone would read "1.5" or "2024" as dates.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/i.test(text)) return undefined;
  // HTTP dates are always GMT; the asctime form just does not say so.
  const at = Date.parse(/GMT$/i.test(text) ? text : `${text} GMT`);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * `retryAfterMs` for a `CaptureError` built from a response: an object to spread,
 * empty when the response carried no readable `Retry-After`.
 *
 * @example
 * ```ts
 * captureError({ code: 'rate_limited', outcome: 'failed', message: '…',
 *   ...retryAfterFrom(response.headers) });
 * ```
 */
export function retryAfterFrom(
  headers: Readonly<Record<string, string>>,
  now?: number,
): { readonly retryAfterMs?: number } {
  const ms = parseRetryAfter(headers['retry-after'], now);
  return ms === undefined ? {} : { retryAfterMs: ms };
}

import { err, ok, type Result } from 'neverthrow';
import { type CaptureError, captureError } from './errors.js';

/**
 * Serializes a request body to the exact JSON bytes to sign and send, BEFORE anything is
 * dispatched. A value that cannot be JSON (a bigint, a throwing `toJSON`, a cycle) is the
 * caller's `providerOptions`, since every neutral field was validated already: the answer is
 * `invalid_request` / `not_attempted` naming `providerOptions.<kind>.<path>`, and nothing is
 * sent (a throw here used to escape the adapter and read as `unknown`).
 *
 * @example
 * ```ts
 * const body = serializeRequestBody('checkout', { amount: 100, ...options }, options);
 * if (body.isErr()) return err(body.error); // nothing was sent
 * ```
 */
export function serializeRequestBody(
  kind: string,
  body: unknown,
  providerOptions: unknown,
): Result<string, CaptureError> {
  try {
    return ok(JSON.stringify(body));
  } catch (error) {
    const field =
      unserializablePath(providerOptions, `providerOptions.${kind}`, 0) ?? 'the request body';
    return err(
      captureError({
        code: 'invalid_request',
        outcome: 'not_attempted',
        kind,
        message: `${field} cannot be sent as JSON (${error instanceof Error ? error.message : String(error)}): use only strings, numbers, booleans, null, arrays and plain objects (send a bigint as a string). Nothing was sent.`,
        cause: error,
      }),
    );
  }
}

/** The deepest path under `value` that JSON.stringify refuses, or undefined if it is fine. */
function unserializablePath(value: unknown, path: string, depth: number): string | undefined {
  try {
    JSON.stringify(value);
    return undefined;
  } catch {
    // Below: find which part.
  }
  if (depth >= 8 || value === null || typeof value !== 'object') return path;
  // Its own toJSON is the culprit (or hides the fields): name the object itself.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return path;
  let entries: [string, unknown][];
  try {
    entries = Array.isArray(value)
      ? value.map((item, index): [string, unknown] => [`[${index}]`, item])
      : Object.entries(value).map(([key, item]): [string, unknown] => [`.${key}`, item]);
  } catch {
    return path;
  }
  for (const [step, item] of entries) {
    const found = unserializablePath(item, `${path}${step}`, depth + 1);
    if (found) return found;
  }
  return path;
}

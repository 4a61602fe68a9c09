/**
 * A body read as JSON, or `undefined` when it is empty or not JSON. Adapters decide what
 * an unreadable answer means (usually: no reliable answer, `unknown`).
 *
 * @example
 * ```ts
 * import { readJsonBody } from 'capture-kit/provider';
 *
 * readJsonBody(Buffer.from('{"ok":true}')); // { ok: true }
 * readJsonBody('<html>502</html>');         // undefined
 * ```
 */
export function readJsonBody(body: Buffer | string): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

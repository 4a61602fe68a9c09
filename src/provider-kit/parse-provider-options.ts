import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import { type CaptureError, captureError } from '../core/errors.js';
import { nearestKey } from './nearest-key.js';

/**
 * Validates `providerOptions.<kind>` of one request with a strict schema. Absent options
 * parse as `{}`. A problem is `invalid_request` / `not_attempted` naming the field
 * (`providerOptions.antom.transit.legs`); an unknown top-level key also names the fields
 * that exist and the nearest one. Values are never echoed.
 *
 * @example
 * ```ts
 * const options = parseProviderOptions('acme', z.object({ note: z.string().max(64) }).strict(),
 *   request.providerOptions);
 * if (options.isErr()) return err(options.error);
 * ```
 */
export function parseProviderOptions<S extends z.ZodType>(
  kind: string,
  schema: S,
  input: unknown,
): Result<z.output<S>, CaptureError> {
  const absent = input === undefined || input === null;
  const cached = absent ? parsedAbsent.get(schema) : undefined;
  if (cached) return ok(cached.data as z.output<S>);
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) {
    if (absent) parsedAbsent.set(schema, { data: frozen(parsed.data) });
    return ok(absent ? frozen(parsed.data) : parsed.data);
  }
  const root = `providerOptions.${kind}`;
  const known = knownKeys(schema);
  const problems = parsed.error.issues.slice(0, 5).map((issue) => {
    const field = [root, ...issue.path.map(String)].join('.');
    if (issue.code !== 'unrecognized_keys') return `${field} ${issue.message}`;
    const names = issue.keys.map((key) => JSON.stringify(key)).join(', ');
    if (issue.path.length > 0 || known.length === 0)
      return `${field} has unknown field(s) ${names}`;
    const near = issue.keys.length === 1 ? nearestKey(issue.keys[0] ?? '', known) : undefined;
    return `${field} has unknown field(s) ${names}: ${near !== undefined ? `did you mean ${near}? ` : ''}the fields are ${known.join(', ')}`;
  });
  return err(
    captureError({
      code: 'invalid_request',
      outcome: 'not_attempted',
      kind,
      message: `Invalid ${root}: ${problems.join('; ')}.`,
    }),
  );
}

/**
 * What a schema makes of absent options (`{}` and its defaults) never changes: parsed once
 * per schema and shared, frozen, instead of running zod on every capture that has none.
 */
const parsedAbsent = new WeakMap<z.ZodType, { readonly data: unknown }>();

function frozen<T>(data: T): T {
  return data !== null && typeof data === 'object' ? Object.freeze(data) : data;
}

function knownKeys(schema: z.ZodType): string[] {
  const shape = (schema as { shape?: unknown }).shape;
  return shape !== null && typeof shape === 'object' ? Object.keys(shape) : [];
}

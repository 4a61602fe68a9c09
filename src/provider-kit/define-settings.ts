import type { z } from 'zod';
import { nearestKey } from './nearest-key.js';

/**
 * The settings parser of one adapter factory, made by {@link defineSettings}.
 *
 * @example
 * ```ts
 * const parseSettings: SettingsParser<MySettings> = defineSettings('acme', acmeSettingsSchema);
 * const settings = parseSettings(input); // throws TypeError naming acme({ key })
 * ```
 */
export type SettingsParser<T> = (input: unknown) => T;

/** `kind({ a.b })`: how every settings error names the setting at fault. */
function settingName(kind: string, path: readonly PropertyKey[]): string {
  return `${kind}({ ${path.map(String).join('.')} })`;
}

/**
 * Makes the constructor-settings parser of an adapter. The schema is made strict: an
 * unknown key throws a `TypeError` naming `kind({ key })`, the nearest known key when it
 * looks like a typo, and the keys that exist. Any other problem throws naming the setting
 * and what zod expected. Messages never contain a value: settings hold secrets.
 *
 * Put checks that need a better sentence than zod's (a key's format, two settings that
 * exclude each other) in the schema as `.refine(…, { error })`, or after parsing.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineSettings } from 'capture-kit/provider';
 *
 * const parseSettings = defineSettings(
 *   'acme',
 *   z.object({ apiKey: z.string().min(1), timeoutMs: z.number().int().positive().optional() }),
 * );
 * parseSettings({ apiKey: 'k', timeoutMS: 5 });
 * // TypeError: acme({ timeoutMS }) is not a setting: did you mean timeoutMs? acme() accepts apiKey, timeoutMs.
 * ```
 */
export function defineSettings<S extends z.ZodObject>(
  kind: string,
  schema: S,
): SettingsParser<z.output<S>> {
  const strict = schema.strict();
  const keys = Object.keys(schema.shape);
  return (input) => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      const required = keys.filter((key) => !schema.shape[key]?.safeParse(undefined).success);
      throw new TypeError(
        `${kind}(settings) needs an object${required.length > 0 ? ` with { ${required.join(', ')} }` : ''}.`,
      );
    }
    const parsed = strict.safeParse(input);
    if (parsed.success) return parsed.data as z.output<S>;
    const unknownKeys = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' && issue.path.length === 0 ? issue.keys : [],
    );
    const unknown = unknownKeys[0];
    if (unknown !== undefined) {
      const near = nearestKey(unknown, keys);
      throw new TypeError(
        `${settingName(kind, [unknown])} is not a setting: ${near !== undefined ? `did you mean ${near}? ` : ''}${kind}() accepts ${keys.join(', ')}.`,
      );
    }
    const issue = parsed.error.issues[0];
    // zod 4 messages say what was expected and received as a type, never the input itself.
    throw new TypeError(
      `${settingName(kind, issue?.path ?? [])} ${issue?.message ?? 'is invalid'}.`,
    );
  };
}

/**
 * SQL text with every value written as a quoted literal.
 *
 * Why literals instead of bind parameters: the journal's hot paths send several statements
 * in ONE round trip (the simple query protocol, which both `pg` and PGlite speak, runs a
 * `;`-separated script as one implicit transaction). Bind parameters allow one statement
 * per round trip, which would double the round trips of every capture. The escaping below
 * is the one libpq's `PQescapeLiteral` and `pg`'s `escapeLiteral` use, and every value
 * goes through it; identifiers come only from validated settings.
 */

/** A piece of SQL to splice in as is. Only ever built by this module or from constants. */
export class SqlFragment {
  constructor(readonly text: string) {}
}

/** What may be interpolated into {@link sql}. `undefined` is written as `NULL`. */
export type SqlValue = string | number | bigint | boolean | null | undefined | SqlFragment;

/** Builds SQL from a template: interpolated values become literals, fragments are spliced. */
export function sql(strings: TemplateStringsArray, ...values: readonly SqlValue[]): SqlFragment {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    text += literal(values[i]) + (strings[i + 1] ?? '');
  }
  return new SqlFragment(text);
}

/** Joins fragments with `separator` (`', '`, `' AND '`, …). */
export function joinSql(parts: readonly SqlFragment[], separator: string): SqlFragment {
  return new SqlFragment(parts.map((part) => part.text).join(separator));
}

/** Joins statements into one script (one round trip). */
export function script(...statements: readonly SqlFragment[]): SqlFragment {
  return joinSql(statements, ';\n');
}

/** The SQL literal for one value. Numbers must be safe integers: the journal stores no other. */
export function literal(value: SqlValue): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof SqlFragment) return value.text;
  switch (typeof value) {
    case 'string':
      return quoteLiteral(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    default:
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(`capture-kit journal: ${String(value)} is not a whole number to store`);
      }
      return String(value);
  }
}

/** `'text'`, with quotes doubled; `E'…'` with backslashes doubled when there are any. */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) {
    throw new TypeError(
      'capture-kit journal: a value contains a NUL character (\\u0000), which PostgreSQL text cannot store',
    );
  }
  const quoted = value.replaceAll("'", "''");
  // E'' makes backslashes mean the same whatever standard_conforming_strings says.
  return value.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

/** `"name"`: validated by the caller, quoted so case and reserved words are safe. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A JSON value as a `jsonb` literal, or `NULL` for `undefined`. A `bigint` inside (which
 * JSON cannot carry) is stored as its decimal string, so an answer is never lost over it.
 */
export function jsonb(value: unknown): SqlFragment {
  if (value === undefined) return new SqlFragment('NULL');
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? item.toString() : item,
  );
  return new SqlFragment(`${quoteLiteral(text)}::jsonb`);
}

/** `ARRAY['a','b']::text[]`. */
export function textArray(values: readonly string[]): SqlFragment {
  return new SqlFragment(`ARRAY[${values.map(quoteLiteral).join(', ')}]::text[]`);
}

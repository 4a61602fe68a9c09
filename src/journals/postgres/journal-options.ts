import type { PostgresJournalOptions } from './postgres-journal.js';
import type { PGliteDatabase, PgPool } from './sql-driver.js';

/** Settings every durable journal takes besides where its rows live. */
export const STORAGE_KEYS = [
  'schema',
  'tablePrefix',
  'migrate',
  'settledTtlMs',
  'eventTtlMs',
  'now',
];

/** Where `postgresJournal()`'s rows live, validated. */
export type Connection =
  | { readonly connectionString: string; readonly poolSize: number }
  | { readonly pool: PgPool }
  | { readonly pglite: PGliteDatabase };

/** Validates `postgresJournal()` options: exactly one place, known settings, sane values. */
export function connectionOf(options: PostgresJournalOptions): Connection {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      'postgresJournal() needs { connectionString }, { pool } or { pglite }; see docs/durability.md.',
    );
  }
  const given = (['connectionString', 'pool', 'pglite'] as const).filter(
    (key) => (options as unknown as Record<string, unknown>)[key] !== undefined,
  );
  if (given.length !== 1) {
    throw new TypeError(
      given.length === 0
        ? 'postgresJournal() needs one of { connectionString } (a PostgreSQL URL, e.g. from DATABASE_URL), { pool } (a pg Pool) or { pglite } (a PGlite database).'
        : `postgresJournal() takes only one of connectionString, pool and pglite; got ${given.join(' and ')}.`,
    );
  }
  if ('connectionString' in options && options.connectionString !== undefined) {
    checkKeys(options, 'postgresJournal', [...STORAGE_KEYS, 'connectionString', 'poolSize']);
    if (typeof options.connectionString !== 'string' || options.connectionString.length === 0) {
      throw new TypeError(
        'postgresJournal({ connectionString }) must be a non-empty PostgreSQL URL such as postgresql://user@host:5432/db.',
      );
    }
    const poolSize = options.poolSize ?? 10;
    if (!Number.isSafeInteger(poolSize) || poolSize < 1) {
      throw new TypeError(
        `postgresJournal({ poolSize }) must be a whole number ≥ 1; got ${String(poolSize)}.`,
      );
    }
    return { connectionString: options.connectionString, poolSize };
  }
  if ('pool' in options && options.pool !== undefined) {
    checkKeys(options, 'postgresJournal', [...STORAGE_KEYS, 'pool']);
    if (typeof options.pool.connect !== 'function' || typeof options.pool.query !== 'function') {
      throw new TypeError('postgresJournal({ pool }) must be a pg Pool (new pg.Pool(...)).');
    }
    return { pool: options.pool };
  }
  const { pglite } = options as { readonly pglite: PGliteDatabase };
  checkKeys(options, 'postgresJournal', [...STORAGE_KEYS, 'pglite']);
  if (typeof pglite.exec !== 'function' || typeof pglite.transaction !== 'function') {
    throw new TypeError(
      'postgresJournal({ pglite }) must be a PGlite database (await PGlite.create(dataDir)).',
    );
  }
  return { pglite };
}

/** Refuses settings nobody reads, naming them and what is accepted. */
export function checkKeys(options: object, fn: string, allowed: readonly string[]): void {
  const unknown = Object.keys(options).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new TypeError(
      `${fn}() does not know the setting ${unknown.map((key) => JSON.stringify(key)).join(', ')}; it takes ${allowed.join(', ')}.`,
    );
  }
}

/** A time to live in ms: a positive whole number (or Infinity where `infinite`). */
export function duration(
  value: number | undefined,
  name: string,
  fallback: number,
  infinite: boolean,
): number {
  if (value === undefined) return fallback;
  if (
    (infinite && value === Number.POSITIVE_INFINITY) ||
    (Number.isSafeInteger(value) && value > 0)
  ) {
    return value;
  }
  throw new TypeError(
    `postgresJournal({ ${name} }) must be a positive whole number of milliseconds${infinite ? ' or Infinity' : ''}; got ${String(value)}.`,
  );
}

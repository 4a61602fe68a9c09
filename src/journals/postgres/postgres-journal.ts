import type { CaptureJournal } from '../../core/journal.js';
import { checkKeys, connectionOf, duration, STORAGE_KEYS } from './journal-options.js';
import { journalTables } from './journal-tables.js';
import { type MigrationResult, schemaSql } from './migrations.js';
import { pgDriver } from './pg-driver.js';
import { pgliteDriver } from './pglite-driver.js';
import type { PruneResult } from './prune-journal.js';
import type { PGliteDatabase, PgPool, SqlDriver } from './sql-driver.js';
import { sqlJournal } from './sql-journal.js';

/**
 * Settings shared by {@link postgresJournal} and {@link pgliteJournal}.
 *
 * @example
 * ```ts
 * const settings: JournalStorageOptions = { schema: 'payments', tablePrefix: 'capture_kit_',
 *   settledTtlMs: 90 * 86_400_000 };
 * ```
 */
export interface JournalStorageOptions {
  /** The schema holding the tables (created when missing). Default `'public'`. */
  readonly schema?: string;
  /** Prefix of every table and index name. Default `'capture_kit_'`. */
  readonly tablePrefix?: string;
  /**
   * Apply pending migrations on first use (under a lock, so many processes may start at
   * once). Default `true`; set `false` when deploys run `capture-kit journal migrate`.
   */
  readonly migrate?: boolean;
  /**
   * How long `succeeded` / `failed` intents are kept (a same-key request within that time
   * gets the stored result). Default 30 days; `Infinity` keeps them. Open intents are never
   * deleted.
   */
  readonly settledTtlMs?: number;
  /** How long a webhook event id is remembered. Default 48 h (providers retry for 24 h). */
  readonly eventTtlMs?: number;
  /** The clock for event expiry and pruning. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Where {@link postgresJournal} keeps its rows: a PostgreSQL server (through `pg`, from a
 * connection string or your own pool) or an embedded PGlite database you opened.
 *
 * @example
 * ```ts
 * const a: PostgresConnection = { connectionString: process.env.DATABASE_URL ?? '', poolSize: 20 };
 * const b: PostgresConnection = { pool: new pg.Pool() };
 * const c: PostgresConnection = { pglite: await PGlite.create('./data/journal') };
 * ```
 */
export type PostgresConnection =
  | {
      /** `postgresql://user:password@host:5432/db` (never logged). Needs `npm install pg`. */
      readonly connectionString: string;
      /** Connections of the pool the journal creates. Default 10. */
      readonly poolSize?: number;
    }
  | {
      /** Your `pg` pool; the journal never ends it. */
      readonly pool: PgPool;
    }
  | {
      /** Your PGlite database; the journal never closes it. */
      readonly pglite: PGliteDatabase;
    };

/**
 * Options of {@link postgresJournal}.
 *
 * @example
 * ```ts
 * const options: PostgresJournalOptions = { connectionString: process.env.DATABASE_URL ?? '',
 *   schema: 'payments' };
 * ```
 */
export type PostgresJournalOptions = JournalStorageOptions & PostgresConnection;

/**
 * Options of {@link pgliteJournal}.
 *
 * @example
 * ```ts
 * const options: PgliteJournalOptions = { dataDir: './data/capture-journal' };
 * ```
 */
export interface PgliteJournalOptions extends JournalStorageOptions {
  /** The directory of the embedded database (created when missing). One process at a time. */
  readonly dataDir: string;
}

/**
 * A durable `CaptureJournal`, plus its housekeeping.
 *
 * @example
 * ```ts
 * const journal: PostgresJournal = postgresJournal({ connectionString: process.env.DATABASE_URL ?? '' });
 * await journal.migrate();
 * const client = createCaptureClient({ providers, journal });
 * ```
 */
export interface PostgresJournal extends CaptureJournal {
  readonly name: 'postgres' | 'pglite';
  /** Applies pending migrations now (they otherwise run on first use). */
  migrate(): Promise<MigrationResult>;
  /**
   * Deletes settled intents older than `settledTtlMs` and event ids older than `eventTtlMs`
   * (at most 5,000 of each per call). Also runs by itself at most once a minute from
   * `claim` (reconcile) and `rememberEvent` (webhooks).
   */
  prune(): Promise<PruneResult>;
}

const DAY_MS = 86_400_000;

/**
 * The durable journal on PostgreSQL (DESIGN §8): every intent is written before the first
 * byte of its capture leaves and survives crashes, deploys and database restarts; many
 * processes may share one database (a payment's captures are serialized by advisory locks,
 * reconcilers lease intents with `FOR UPDATE SKIP LOCKED`). Nothing connects until first
 * use; `pg` (or PGlite) is imported only then. See docs/durability.md.
 *
 * @example
 * ```ts
 * import { createCaptureClient } from 'capture-kit';
 * import { postgresJournal } from 'capture-kit/journal/postgres';
 *
 * const journal = postgresJournal({ connectionString: process.env.DATABASE_URL ?? '' });
 * const client = createCaptureClient({ providers, journal });
 * ```
 */
export function postgresJournal(options: PostgresJournalOptions): PostgresJournal {
  const source = connectionOf(options);
  return build(options, 'pglite' in source ? 'pglite' : 'postgres', () =>
    'pglite' in source ? pgliteDriver(source) : pgDriver(source),
  );
}

/**
 * The durable journal on an embedded PGlite database (PostgreSQL compiled to WebAssembly,
 * `npm install @electric-sql/pglite`; nothing else to install or run). Same SQL and
 * guarantees as {@link postgresJournal} for ONE process: a lock file beside `dataDir` refuses
 * a second process. It survives a crash or kill of the process; for many instances use a
 * PostgreSQL server.
 *
 * @example
 * ```ts
 * import { pgliteJournal } from 'capture-kit/journal/postgres';
 * const client = createCaptureClient({ providers, journal: pgliteJournal({ dataDir: './data/journal' }) });
 * ```
 */
export function pgliteJournal(options: PgliteJournalOptions): PostgresJournal {
  checkKeys(options, 'pgliteJournal', [...STORAGE_KEYS, 'dataDir']);
  if (typeof options.dataDir !== 'string' || options.dataDir.length === 0) {
    throw new TypeError(
      'pgliteJournal({ dataDir }) needs the directory of the embedded database, e.g. "./data/capture-journal".',
    );
  }
  const dataDir = options.dataDir;
  return build(options, 'pglite', () => pgliteDriver({ dataDir }));
}

/**
 * Applies pending migrations and closes the connection: for deploy scripts (what
 * `capture-kit journal migrate` runs). Safe to run from many processes at once.
 *
 * @example
 * ```ts
 * import { migrate } from 'capture-kit/journal/postgres';
 * const { applied, version } = await migrate({ connectionString: process.env.DATABASE_URL ?? '' });
 * ```
 */
export async function migrate(
  options: PostgresJournalOptions | PgliteJournalOptions,
): Promise<MigrationResult> {
  const journal =
    'dataDir' in options
      ? pgliteJournal({ ...options, migrate: false })
      : postgresJournal({ ...options, migrate: false });
  try {
    return await journal.migrate();
  } finally {
    await journal.close();
  }
}

/**
 * The journal's SQL schema (every migration) for a schema + prefix, as docs/durability.md
 * shows it: for review, or for DBAs who apply DDL themselves (then pass `migrate: false`).
 *
 * @example
 * ```ts
 * console.log(journalSchemaSql({ schema: 'payments' }));
 * ```
 */
export function journalSchemaSql(
  options: Pick<JournalStorageOptions, 'schema' | 'tablePrefix'> = {},
): string {
  return schemaSql(journalTables(options.schema, options.tablePrefix));
}

function build(
  options: JournalStorageOptions,
  name: 'postgres' | 'pglite',
  open: () => Promise<SqlDriver>,
): PostgresJournal {
  const journal = sqlJournal({
    name,
    tables: journalTables(options.schema, options.tablePrefix),
    open,
    migrateOnFirstUse: options.migrate ?? true,
    settledTtlMs: duration(options.settledTtlMs, 'settledTtlMs', 30 * DAY_MS, true),
    eventTtlMs: duration(options.eventTtlMs, 'eventTtlMs', 2 * DAY_MS, false),
    now: options.now ?? Date.now,
    // PGlite runs one statement at a time anyway: one script in flight is all it can use.
    batchSlots: name === 'pglite' ? 1 : 8,
  });
  return { ...journal, name };
}

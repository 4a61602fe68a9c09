import type { SqlFragment } from './sql-text.js';

/** One result row, column name → value as the driver parsed it. */
export type SqlRow = Readonly<Record<string, unknown>>;

/** Statements run inside a transaction that {@link SqlDriver.transaction} opened. */
export interface SqlTransaction {
  /** Runs a script inside the transaction; resolves to each statement's rows, in order. */
  run(script: SqlFragment): Promise<SqlRow[][]>;
  /**
   * Runs the script's last statements and commits, in one round trip where the driver can.
   * Nothing may run in the transaction after it.
   */
  commit(script?: SqlFragment): Promise<SqlRow[][]>;
}

/**
 * The one thing the journal needs from a database: scripts (one round trip, one implicit
 * transaction each) and explicit transactions on a connection nobody else uses meanwhile.
 * Both the `pg` pool and PGlite implement it; the SQL is the same.
 */
export interface SqlDriver {
  readonly name: 'postgres' | 'pglite';
  /**
   * Runs a `;`-separated script in one round trip as ONE implicit transaction (the simple
   * query protocol): all statements commit together or none does. Each statement sees what
   * was committed before it started (READ COMMITTED), so a statement after a lock sees
   * everything committed by the lock's previous holder.
   */
  run(script: SqlFragment): Promise<SqlRow[][]>;
  /** Runs `fn` in a transaction; rolls back when it throws, commits when it returns. */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** Releases what the driver opened (never a pool or database the caller passed in). */
  close(): Promise<void>;
}

/**
 * The part of a `pg` `Pool` the journal uses (a real `new Pool()` fits).
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * const pool: PgPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
 * const journal = postgresJournal({ pool });
 * ```
 */
export interface PgPool {
  query(text: string): Promise<unknown>;
  connect(): Promise<PgPoolClient>;
  end(): Promise<void>;
}

/**
 * The part of a `pg` `PoolClient` the journal uses.
 *
 * @example
 * ```ts
 * const client: PgPoolClient = await pool.connect();
 * client.release();
 * ```
 */
export interface PgPoolClient {
  query(text: string): Promise<unknown>;
  release(error?: Error | boolean): void;
}

/**
 * What PGlite's `exec` resolves to: one result per statement.
 *
 * @example
 * ```ts
 * const [result]: PGliteResults[] = await db.exec('SELECT 1 AS one');
 * result?.rows; // [{ one: 1 }]
 * ```
 */
export interface PGliteResults {
  readonly rows: readonly unknown[];
}

/**
 * The part of a PGlite database the journal uses (a real `new PGlite(dataDir)` fits).
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * const db: PGliteDatabase = await PGlite.create('./data/journal');
 * const journal = postgresJournal({ pglite: db });
 * ```
 */
export interface PGliteDatabase {
  exec(query: string): Promise<PGliteResults[]>;
  transaction<T>(
    callback: (tx: { exec(query: string): Promise<PGliteResults[]> }) => Promise<T>,
  ): Promise<T>;
  close(): Promise<void>;
}

/** The rows of every statement of a driver answer (`pg` answers one statement bare). */
export function rowsOf(results: unknown): SqlRow[][] {
  const list = Array.isArray(results) ? results : [results];
  return list.map((result) => [...((result as { rows?: SqlRow[] } | null)?.rows ?? [])]);
}

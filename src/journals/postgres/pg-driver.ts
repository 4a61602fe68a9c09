import { loadOptional } from './load-optional.js';
import {
  type PgPool,
  type PgPoolClient,
  rowsOf,
  type SqlDriver,
  type SqlRow,
  type SqlTransaction,
} from './sql-driver.js';
import type { SqlFragment } from './sql-text.js';

/** Settings of the pool {@link pgDriver} creates from a connection string. */
export interface PgPoolSettings {
  readonly connectionString: string;
  readonly poolSize: number;
}

/**
 * A driver over a `pg` pool. With a connection string it creates (and later ends) its own
 * pool; a pool passed in stays the caller's.
 */
export async function pgDriver(
  source: PgPoolSettings | { readonly pool: PgPool },
): Promise<SqlDriver> {
  const owned = !('pool' in source);
  const pool = 'pool' in source ? source.pool : await createPool(source);
  return {
    name: 'postgres',
    async run(script) {
      return rowsOf(await pool.query(script.text));
    },
    async transaction(fn) {
      const client = await pool.connect();
      const tx = pgTransaction(client);
      try {
        const value = await fn(tx);
        if (!tx.done) await tx.commit();
        client.release();
        return value;
      } catch (error) {
        await abandon(client, tx);
        throw error;
      }
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}

async function createPool(settings: PgPoolSettings): Promise<PgPool> {
  const pg = await loadOptional('pg', 'postgresJournal({ connectionString })', () => import('pg'));
  const Pool = pg.default.Pool;
  const pool = new Pool({
    connectionString: settings.connectionString,
    max: settings.poolSize,
    application_name: 'capture-kit',
    // A database that does not answer must reject (→ journal_unavailable), not hang a capture.
    connectionTimeoutMillis: 10_000,
    // A process frozen inside a transaction must not hold a payment's lock for ever.
    idle_in_transaction_session_timeout: 30_000,
  });
  // An idle connection dropped by the server (restart, failover) is reported here; without a
  // listener it would crash the process. The pool replaces it on the next query.
  pool.on('error', () => {});
  return pool;
}

interface PgTransaction extends SqlTransaction {
  readonly began: boolean;
  readonly done: boolean;
}

/**
 * `BEGIN` travels with the first script and `COMMIT` with the last, so a read-decide-write
 * transaction costs two round trips.
 */
function pgTransaction(client: PgPoolClient): PgTransaction {
  let began = false;
  let done = false;
  const send = async (text: string, prefix: boolean, suffix: boolean): Promise<SqlRow[][]> => {
    const results = rowsOf(await client.query(text));
    return results.slice(prefix ? 1 : 0, suffix ? -1 : undefined);
  };
  return {
    get began() {
      return began;
    },
    get done() {
      return done;
    },
    async run(script) {
      if (done) throw new Error('capture-kit journal: transaction already committed');
      const prefix = !began;
      began = true;
      return send(prefix ? `BEGIN;\n${script.text}` : script.text, prefix, false);
    },
    async commit(script?: SqlFragment) {
      if (done) throw new Error('capture-kit journal: transaction already committed');
      done = true;
      if (!began) {
        // Nothing ran yet: the script alone is one implicit transaction.
        return script ? rowsOf(await client.query(script.text)) : [];
      }
      return send(script ? `${script.text};\nCOMMIT` : 'COMMIT', false, true);
    },
  };
}

/** Rolls back; a connection that cannot even do that is destroyed, not reused. */
async function abandon(client: PgPoolClient, tx: PgTransaction): Promise<void> {
  if (!tx.began) {
    client.release();
    return;
  }
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch (error) {
    client.release(error instanceof Error ? error : true);
  }
}

import { randomUUID } from 'node:crypto';
import type { BeginDecision, CaptureIntent } from '../../src/core/intents.js';
import type { CaptureJournal } from '../../src/core/journal.js';
import { postgresJournal } from '../../src/journals/postgres/postgres-journal.js';

/** Which journal the explorer's clients write to. */
export type ExplorerJournalName = 'memory' | 'pglite' | 'postgres';

export const EXPLORER_JOURNALS: readonly ExplorerJournalName[] = ['memory', 'pglite', 'postgres'];

/**
 * Where the explorer's durable journals live: ONE database for the whole exploration
 * (creating a PGlite database takes seconds), one schema of its own, dropped at the end.
 * Every client gets a NEW journal instance over it (own caches, own batcher), as a new
 * process would; runs never see each other's rows because every run has its own provider
 * name (the journal's key is provider + idempotency key, and reconcile claims by provider).
 */
export interface ExplorerDatabase {
  readonly name: ExplorerJournalName;
  /** A new journal over the shared database; `undefined` for memory (each client its own). */
  newJournal(): CaptureJournal | undefined;
  close(): Promise<void>;
}

export const MEMORY_DATABASE: ExplorerDatabase = {
  name: 'memory',
  newJournal: () => undefined,
  close: async () => {},
};

/** Opens the shared database. Postgres reads `CAPTURE_KIT_TEST_PG_URL` unless given `url`. */
export async function openExplorerDatabase(
  name: ExplorerJournalName,
  url = process.env.CAPTURE_KIT_TEST_PG_URL,
): Promise<ExplorerDatabase> {
  if (name === 'memory') return MEMORY_DATABASE;
  const schema = `explore_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  if (name === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    // In memory: the explorer checks the journal's SQL, not the file system.
    const db = new PGlite();
    return {
      name,
      newJournal: () => postgresJournal({ pglite: db, schema }),
      close: () => db.close(),
    };
  }
  if (!url) {
    throw new Error(
      'the postgres explorer journal needs CAPTURE_KIT_TEST_PG_URL (a PostgreSQL URL such as postgresql://user@localhost/capture_kit_test); set it, or use --journal pglite',
    );
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 16 });
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw new Error(
      `no PostgreSQL server reachable at CAPTURE_KIT_TEST_PG_URL: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    name,
    newJournal: () => postgresJournal({ pool, schema }),
    async close() {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
      await pool.end();
    },
  };
}

/** Where the process dies: after the intent is written, or after the capture was sent. */
export type CrashPoint = 'before_send' | 'after_send';

/**
 * A journal whose process can be killed: once `crash(point)` is armed, the journal call at
 * that point still does its write and then the process "dies" — that call, and every later
 * one, never settles, so nothing more is written by this client, exactly as after SIGKILL.
 * `before_send`: the `begin` that decided to send (the intent is `sending`, no byte left).
 * `after_send`: the answer to that capture (`apply` of a capture event), never written.
 */
export interface CrashableJournal extends CaptureJournal {
  /** Arms the crash; resolves with the key in flight when the process died. */
  crash(point: CrashPoint): Promise<string>;
  /** The process dies now, wherever it is. */
  kill(): void;
  readonly dead: boolean;
}

const never = <T>() => new Promise<T>(() => {});

export function crashableJournal(inner: CaptureJournal): CrashableJournal {
  let armed: { point: CrashPoint; died: (key: string) => void } | undefined;
  let dead = false;
  let sending: string | undefined;
  const die = (key: string) => {
    dead = true;
    armed?.died(key);
    armed = undefined;
  };
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      dead ? never<R>() : fn(...args);
  return {
    name: inner.name,
    get dead() {
      return dead;
    },
    kill() {
      dead = true;
      armed = undefined;
    },
    crash(point) {
      return new Promise<string>((resolve) => {
        armed = { point, died: resolve };
      });
    },
    begin: guard(async (draft, options): Promise<BeginDecision> => {
      const decision = await inner.begin(draft, options);
      if (decision.action === 'send') {
        sending = draft.idempotencyKey;
        if (armed?.point === 'before_send') {
          die(draft.idempotencyKey);
          return never();
        }
      }
      return decision;
    }),
    apply: guard(async (provider, key, event): Promise<CaptureIntent | undefined> => {
      if (armed?.point === 'after_send' && event.source === 'capture' && key === sending) {
        die(key);
        return never();
      }
      return inner.apply(provider, key, event);
    }),
    get: guard((provider, key) => inner.get(provider, key)),
    list: guard((query) => inner.list(query)),
    claim: guard((query) => inner.claim(query)),
    release: guard((provider, key, owner) => inner.release(provider, key, owner)),
    hasEvent: guard((provider, id) => inner.hasEvent(provider, id)),
    rememberEvent: guard((provider, id, at) => inner.rememberEvent(provider, id, at)),
    // A dead process closes nothing; a live one closes its journal instance.
    close: () => (dead ? Promise.resolve() : inner.close()),
  };
}

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { IntentDraft } from '../../src/core/intents.js';
import {
  migrate,
  type PostgresJournal,
  postgresJournal,
} from '../../src/journals/postgres/index.js';
import { journalTables } from '../../src/journals/postgres/journal-tables.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/journals/postgres/migrations.js';
import { journalContract } from './journal-contract.js';
import { requireTestServer } from './postgres-test-server.js';

const server = await requireTestServer();

const T = 1_800_000_000_000;
const draft = (key: string, paymentId = `pay-${key}`): IntentDraft => ({
  provider: 'cko',
  kind: 'checkout',
  idempotencyKey: key,
  paymentId,
  final: true,
  inFlightMs: 10_000,
});

describe.runIf(server)('postgresJournal on a PostgreSQL server', () => {
  if (!server) return;
  const open: PostgresJournal[] = [];
  const journal = (options: Partial<Parameters<typeof postgresJournal>[0]> = {}) => {
    const created = postgresJournal({
      connectionString: server.url,
      schema: server.schema(),
      ...options,
    } as Parameters<typeof postgresJournal>[0]);
    open.push(created);
    return created;
  };
  afterAll(async () => {
    await Promise.all(open.map((j) => j.close()));
    await server.dropSchemas();
    await server.end();
  });

  journalContract('postgresJournal', {
    create: async () => journal(),
    twoInstances: async () => {
      const schema = server.schema();
      return [journal({ schema }), journal({ schema })] as const;
    },
  });

  describe('migrations', () => {
    it('applied once under a lock: four migrate() calls at once, one applies', async () => {
      const schema = server.schema();
      const results = await Promise.all(
        Array.from({ length: 4 }, () => migrate({ connectionString: server.url, schema })),
      );
      expect(results.filter((r) => r.applied.length > 0)).toEqual([
        { applied: [1, 2], version: SCHEMA_VERSION },
      ]);
      expect(results.every((r) => r.version === SCHEMA_VERSION)).toBe(true);
      const rows = await server.query(`SELECT version FROM "${schema}".capture_kit_migrations`);
      expect(rows.rows.map((r) => r.version)).toEqual([1, 2]);
    });

    it('run on first use: four journals starting at once on a new schema all work', async () => {
      const schema = server.schema();
      const journals = Array.from({ length: 4 }, () => journal({ schema }));
      const decisions = await Promise.all(
        journals.map((j, i) => j.begin(draft(`first-${i}`), { now: T, ignoreUnresolved: false })),
      );
      expect(decisions.map((d) => d.action)).toEqual(['send', 'send', 'send', 'send']);
      const rows = await server.query(`SELECT version FROM "${schema}".capture_kit_migrations`);
      expect(rows.rows.map((r) => r.version)).toEqual([1, 2]);
    });

    it('migrate() closes its connection and is idempotent; a custom prefix gets its own tables', async () => {
      const schema = server.schema();
      const first = await migrate({ connectionString: server.url, schema, tablePrefix: 'ck_' });
      expect(first).toEqual({ applied: [1, 2], version: SCHEMA_VERSION });
      expect(await migrate({ connectionString: server.url, schema, tablePrefix: 'ck_' })).toEqual({
        applied: [],
        version: SCHEMA_VERSION,
      });
      const tables = await server.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = '${schema}' ORDER BY tablename`,
      );
      expect(tables.rows.map((r) => r.tablename)).toEqual([
        'ck_intents',
        'ck_migrations',
        'ck_webhook_events',
      ]);
    });

    it('a version 1 schema with rows is brought to version 2: rows kept, revisions above theirs', async () => {
      const schema = server.schema();
      const tables = journalTables(schema);
      await server.query(`CREATE SCHEMA "${schema}"`);
      await server.query(
        `CREATE TABLE "${schema}".capture_kit_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      for (const statement of MIGRATIONS[0]?.statements(tables) ?? [])
        await server.query(statement);
      await server.query(`INSERT INTO "${schema}".capture_kit_migrations VALUES (1, 'v1')`);
      await server.query(`INSERT INTO "${schema}".capture_kit_intents
  (provider, idempotency_key, kind, payment_id, final, state, attempts, created_at_ms, updated_at_ms, revision)
  VALUES ('cko', 'old', 'checkout', 'pay-old', true, 'unknown', 1, ${T}, ${T}, 41)`);
      const j = journal({ schema });
      expect(await j.get('cko', 'old')).toMatchObject({ state: 'unknown', paymentId: 'pay-old' });
      await j.begin(draft('new'), { now: T, ignoreUnresolved: false });
      const { rows } = await server.query(
        `SELECT idempotency_key, revision::int AS revision FROM "${schema}".capture_kit_intents ORDER BY revision`,
      );
      expect(rows).toEqual([
        { idempotency_key: 'old', revision: 41 },
        { idempotency_key: 'new', revision: 42 },
      ]);
    });

    it('a schema newer than this capture-kit is refused with what to do', async () => {
      const schema = server.schema();
      await migrate({ connectionString: server.url, schema });
      await server.query(
        `INSERT INTO "${schema}".capture_kit_migrations (version, name) VALUES (999, 'future')`,
      );
      const j = journal({ schema });
      await expect(j.begin(draft('new'), { now: T, ignoreUnresolved: false })).rejects.toThrow(
        /version 999, newer than this capture-kit knows \(2\): upgrade capture-kit/,
      );
    });

    it('migrate: false leaves the schema alone (a missing table rejects)', async () => {
      const j = journal({ migrate: false });
      await expect(j.get('cko', 'k')).rejects.toThrow(/does not exist/);
    });
  });

  describe('failures reject (the client answers journal_unavailable, nothing is sent)', () => {
    it('an unreachable server rejects, and the message never holds the password', async () => {
      const j = postgresJournal({
        connectionString: 'postgresql://capture:s3cret-pa55@127.0.0.1:1/none',
      });
      const error = await j
        .begin(draft('x'), { now: T, ignoreUnresolved: false })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(String((error as Error).message)).not.toContain('s3cret-pa55');
      await j.close();
    });

    it('the server dropping every connection (a restart): calls reject or succeed, then work again', async () => {
      const j = journal();
      await j.begin(draft('before'), { now: T, ignoreUnresolved: false });
      await server.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'capture-kit' AND pid <> pg_backend_pid()`,
      );
      // A connection the pool still holds may be the dead one: at most a few calls fail.
      let decision: Awaited<ReturnType<typeof j.begin>> | undefined;
      for (let attempt = 0; attempt < 20 && !decision; attempt++) {
        decision = await j
          .begin(draft('after'), { now: T, ignoreUnresolved: false })
          .catch(() => undefined);
      }
      expect(decision?.action).toBe('send');
      expect((await j.get('cko', 'before'))?.state).toBe('sending');
    });

    it('a closed journal rejects', async () => {
      const j = journal();
      await j.close();
      await expect(j.get('cko', 'k')).rejects.toThrow(/closed/);
    });
  });

  describe('settings', () => {
    it('takes your pg Pool and never ends it', async () => {
      const pool = new pg.Pool({ connectionString: server.url, max: 2 });
      const j = postgresJournal({ pool, schema: server.schema() });
      expect((await j.begin(draft('pool'), { now: T, ignoreUnresolved: false })).action).toBe(
        'send',
      );
      await j.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await pool.end();
    });

    it('refuses unknown settings, two connections, bad names', () => {
      expect(() => postgresJournal({ connectionString: server.url, shcema: 'x' } as never)).toThrow(
        /does not know the setting "shcema"/,
      );
      expect(() => postgresJournal({} as never)).toThrow(/needs one of \{ connectionString \}/);
      expect(() => postgresJournal({ connectionString: server.url, pool: {} } as never)).toThrow(
        /only one of connectionString, pool and pglite/,
      );
      expect(() => postgresJournal({ connectionString: server.url, schema: 'a-b' })).toThrow(
        /schema \}\) must be a plain SQL identifier/,
      );
      expect(() => postgresJournal({ connectionString: server.url, eventTtlMs: 0 })).toThrow(
        /eventTtlMs/,
      );
    });
  });

  describe('prune', () => {
    it('deletes settled intents older than settledTtlMs and old event ids; keeps open ones', async () => {
      let now = T;
      const j = journal({ settledTtlMs: 1_000, eventTtlMs: 1_000, now: () => now });
      await j.begin(draft('open'), { now: T, ignoreUnresolved: false });
      await j.begin(draft('done'), { now: T, ignoreUnresolved: false });
      await j.apply('cko', 'done', { source: 'capture', verdict: 'succeeded', at: T });
      await j.rememberEvent('cko', 'evt', T);
      now = T + 5_000;
      expect(await j.prune()).toEqual({ intents: 1, events: 1 });
      expect(await j.get('cko', 'done')).toBeUndefined();
      expect((await j.get('cko', 'open'))?.state).toBe('sending');
    });
  });
});

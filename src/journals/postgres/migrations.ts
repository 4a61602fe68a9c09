import { lockKey } from './advisory-lock.js';
import type { JournalTables } from './journal-tables.js';
import type { SqlDriver } from './sql-driver.js';
import { quoteIdentifier, quoteLiteral, SqlFragment, script, sql } from './sql-text.js';

/** One versioned change of the journal's schema. Versions only grow; a migration never changes. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The statements, for the given schema and prefix. */
  statements(tables: JournalTables): readonly string[];
}

/** Every migration, in order. A new one is appended with the next version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'intents and webhook events',
    statements: (t) => [
      `CREATE TABLE ${t.intents.text} (
  provider text NOT NULL,
  idempotency_key text NOT NULL,
  kind text NOT NULL,
  payment_id text NOT NULL,
  amount_currency text,
  amount_value numeric,
  final boolean NOT NULL,
  reference text,
  metadata jsonb,
  provider_options jsonb,
  state text NOT NULL,
  capture_id text,
  captured_currency text,
  captured_value numeric,
  captured_at text,
  provider_metadata jsonb,
  code text,
  provider_code text,
  provider_status text,
  http_status integer,
  message text,
  attempts integer NOT NULL,
  created_at_ms bigint NOT NULL,
  updated_at_ms bigint NOT NULL,
  in_flight_until_ms bigint,
  revision bigint NOT NULL,
  lease_owner text,
  lease_until_ms bigint,
  CONSTRAINT ${t.name('intents_pkey').text} PRIMARY KEY (provider, idempotency_key),
  CONSTRAINT ${t.name('intents_state_check').text}
    CHECK (state IN ('sending', 'pending', 'unknown', 'succeeded', 'failed')),
  CONSTRAINT ${t.name('intents_amount_check').text}
    CHECK ((amount_currency IS NULL) = (amount_value IS NULL)),
  CONSTRAINT ${t.name('intents_captured_check').text}
    CHECK ((captured_currency IS NULL) = (captured_value IS NULL))
)`,
      `CREATE INDEX ${t.name('intents_payment_idx').text} ON ${t.intents.text} (provider, payment_id)`,
      `CREATE INDEX ${t.name('intents_open_idx').text} ON ${t.intents.text} (updated_at_ms)
  WHERE state IN ('sending', 'unknown', 'pending')`,
      `CREATE INDEX ${t.name('intents_capture_id_idx').text} ON ${t.intents.text} (capture_id)
  WHERE capture_id IS NOT NULL`,
      `CREATE TABLE ${t.events.text} (
  provider text NOT NULL,
  event_id text NOT NULL,
  seen_at_ms bigint NOT NULL,
  CONSTRAINT ${t.name('webhook_events_pkey').text} PRIMARY KEY (provider, event_id)
)`,
      `CREATE INDEX ${t.name('webhook_events_seen_idx').text} ON ${t.events.text} (seen_at_ms)`,
    ],
  },
  {
    version: 2,
    name: 'revisions from a sequence; the authorized amount and context of the request',
    statements: (t) => [
      // A revision counted per row starts again at 1 when a row is deleted (an inquiry found
      // the capture absent) and the key is begun again: a process holding a copy from before
      // would pass its compare-and-set. Values from one sequence never repeat.
      `CREATE SEQUENCE ${t.revisions.text} AS bigint OWNED BY ${t.intents.text}.revision`,
      `SELECT setval(${quoteLiteral(t.revisions.text)}, COALESCE((SELECT max(revision) FROM ${t.intents.text}), 0) + 1, false)`,
      `ALTER TABLE ${t.intents.text}
  ALTER COLUMN revision SET DEFAULT nextval(${quoteLiteral(t.revisions.text)}),
  ADD COLUMN authorized_currency text,
  ADD COLUMN authorized_value numeric,
  ADD COLUMN context jsonb,
  ADD CONSTRAINT ${t.name('intents_authorized_check').text}
    CHECK ((authorized_currency IS NULL) = (authorized_value IS NULL))`,
    ],
  },
];

/** The newest schema version this capture-kit knows. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * The whole schema as SQL (the migrations table and every migration), as
 * docs/durability.md shows it.
 */
export function schemaSql(tables: JournalTables): string {
  return [migrationsTableSql(tables), ...MIGRATIONS.flatMap((m) => m.statements(tables))]
    .map((statement) => `${statement};`)
    .join('\n\n');
}

function migrationsTableSql(t: JournalTables): string {
  return `CREATE TABLE IF NOT EXISTS ${t.migrations.text} (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;
}

/**
 * What a migration run did (`migrate()`, `journal.migrate()`).
 *
 * @example
 * ```ts
 * const result: MigrationResult = { applied: [1], version: 1 };
 * ```
 */
export interface MigrationResult {
  /** Versions applied by this call (empty when the schema was current). */
  readonly applied: readonly number[];
  /** The schema version now. */
  readonly version: number;
}

/**
 * Brings the schema up to {@link SCHEMA_VERSION} in ONE transaction under an advisory lock
 * (per schema + prefix), so processes starting at once queue behind each other: the first
 * applies the migrations, the others find them applied. PostgreSQL DDL is transactional, so
 * a migration that fails leaves nothing half-done.
 */
export async function runMigrations(
  driver: SqlDriver,
  tables: JournalTables,
): Promise<MigrationResult> {
  return driver.transaction(async (tx) => {
    const [, namespace] = await tx.run(
      script(
        sql`SELECT pg_advisory_xact_lock(${lockKey(tables, 'migrations', '', '')})`,
        sql`SELECT 1 AS found FROM pg_namespace WHERE nspname = ${tables.schema}`,
      ),
    );
    // Only create the schema when it is missing: CREATE SCHEMA IF NOT EXISTS still needs the
    // CREATE privilege on the database, which a role using an existing schema may not have.
    const results = await tx.run(
      script(
        ...(namespace?.length
          ? []
          : [new SqlFragment(`CREATE SCHEMA ${quoteIdentifier(tables.schema)}`)]),
        new SqlFragment(migrationsTableSql(tables)),
        new SqlFragment(`SELECT version FROM ${tables.migrations.text} ORDER BY version`),
      ),
    );
    const done = new Set((results.at(-1) ?? []).map((row) => Number(row.version)));
    const newest = Math.max(0, ...done);
    if (newest > SCHEMA_VERSION) {
      throw new Error(
        `the capture-kit journal schema in ${tables.schema} is at version ${newest}, newer than this capture-kit knows (${SCHEMA_VERSION}): upgrade capture-kit in every process that uses this database`,
      );
    }
    const pending = MIGRATIONS.filter((m) => !done.has(m.version));
    if (pending.length === 0) {
      await tx.commit();
      return { applied: [], version: newest };
    }
    await tx.commit(
      script(
        ...pending.flatMap((m) => [
          ...m.statements(tables).map((statement) => new SqlFragment(statement)),
          sql`INSERT INTO ${tables.migrations} (version, name) VALUES (${m.version}, ${m.name})`,
        ]),
      ),
    );
    return { applied: pending.map((m) => m.version), version: SCHEMA_VERSION };
  });
}

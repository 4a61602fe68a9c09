/**
 * `capture-kit/journal/postgres`: the durable intent journal on PostgreSQL (through `pg`)
 * or embedded PGlite — one SQL dialect, versioned migrations, multi-instance safe.
 * `pg` and `@electric-sql/pglite` are optional peer dependencies: install the one you use.
 *
 * @example
 * ```ts
 * import { createCaptureClient } from 'capture-kit';
 * import { postgresJournal } from 'capture-kit/journal/postgres';
 *
 * const client = createCaptureClient({
 *   providers,
 *   journal: postgresJournal({ connectionString: process.env.DATABASE_URL ?? '' }),
 * });
 * ```
 *
 * @packageDocumentation
 * @module capture-kit/journal/postgres
 */
// The journal contract these implement and its pure rules, for code that works with journals
// (or writes one) without importing the client.
export {
  applyIntentEvent,
  type BeginDecision,
  type BeginOptions,
  type CaptureIntent,
  decideBegin,
  type IntentDraft,
  type IntentEvent,
  type IntentFingerprint,
  type IntentState,
} from '../../core/intents.js';
export type {
  CaptureJournal,
  ClaimQuery,
  IntentQuery,
} from '../../core/journal.js';
export type { MigrationResult } from './migrations.js';
export {
  type JournalStorageOptions,
  journalSchemaSql,
  migrate,
  type PgliteJournalOptions,
  type PostgresConnection,
  type PostgresJournal,
  type PostgresJournalOptions,
  pgliteJournal,
  postgresJournal,
} from './postgres-journal.js';
export type { PruneResult } from './prune-journal.js';
export type {
  PGliteDatabase,
  PGliteResults,
  PgPool,
  PgPoolClient,
} from './sql-driver.js';

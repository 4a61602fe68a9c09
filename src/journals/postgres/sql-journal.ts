import {
  applyIntentEvent,
  type BeginDecision,
  decideBegin,
  type IntentDraft,
} from '../../core/intents.js';
import type { CaptureJournal } from '../../core/journal.js';
import { lockKey, lockStatements } from './advisory-lock.js';
import {
  insertColumnsAndValues,
  intentColumns,
  intentFromRow,
  revisionOf,
  updateAssignments,
} from './intent-row.js';
import { claimSql, listSql } from './journal-queries.js';
import type { JournalTables } from './journal-tables.js';
import { lazyDriver } from './lazy-driver.js';
import { type MigrationResult, runMigrations } from './migrations.js';
import { type PruneResult, pruneJournal } from './prune-journal.js';
import { retryStep } from './retry-step.js';
import type { SqlDriver, SqlRow } from './sql-driver.js';
import { script, sql } from './sql-text.js';
import { writeBatcher } from './write-batcher.js';
import { WrittenIntents } from './written-intents.js';

/**
 * The journal over any {@link SqlDriver}: PostgreSQL through `pg`, or PGlite. Everything
 * database-specific lives in the driver; the SQL here is the same for both.
 */
export interface SqlJournal extends CaptureJournal {
  migrate(): Promise<MigrationResult>;
  prune(): Promise<PruneResult>;
}

export interface SqlJournalSettings {
  readonly name: 'postgres' | 'pglite';
  readonly tables: JournalTables;
  /** Opens the driver on first use (a dynamic import, a pool, a PGlite database). */
  readonly open: () => Promise<SqlDriver>;
  readonly migrateOnFirstUse: boolean;
  readonly settledTtlMs: number;
  readonly eventTtlMs: number;
  readonly now: () => number;
  /** Scripts of batched writes in flight at once (the pool's connections they may use). */
  readonly batchSlots: number;
}

const PRUNE_EVERY_MS = 60_000;

export function sqlJournal(settings: SqlJournalSettings): SqlJournal {
  const { tables } = settings;
  const t = tables.intents;
  const columns = intentColumns();
  let lastPruneAt = Number.NEGATIVE_INFINITY;
  const written = new WrittenIntents();
  const batched = writeBatcher(async (batch) => (await driver()).run(batch), settings.batchSlots);

  const opened = lazyDriver(settings);
  const driver = () => opened.get();

  const withRetry = async <T>(step: (db: SqlDriver) => Promise<T>): Promise<T> =>
    retryStep(await driver(), step);

  const byKey = (provider: string, key: string) =>
    sql`provider = ${provider} AND idempotency_key = ${key}`;

  /** At most once a minute per journal, from the calls that run in the background anyway. */
  async function maybePrune(db: SqlDriver, now: number): Promise<void> {
    if (now - lastPruneAt < PRUNE_EVERY_MS) return;
    lastPruneAt = now;
    await pruneJournal(db, tables, settings, now);
  }

  /**
   * Read the key's intent and the payment's, decide, write — one transaction holding the
   * payment's and the key's locks, the key's row also locked against a concurrent apply().
   */
  async function beginLocked(
    db: SqlDriver,
    draft: IntentDraft,
    options: Parameters<CaptureJournal['begin']>[1],
    locks: readonly bigint[],
  ): Promise<BeginDecision> {
    const { provider, idempotencyKey: key } = draft;
    return db.transaction(async (tx): Promise<BeginDecision> => {
      const results = await tx.run(
        script(
          ...lockStatements(locks),
          sql`SELECT ${columns} FROM ${t} WHERE ${byKey(provider, key)} FOR UPDATE`,
          sql`SELECT ${columns} FROM ${t} WHERE provider = ${provider} AND payment_id = ${draft.paymentId} ORDER BY created_at_ms, idempotency_key`,
        ),
      );
      const keyRow = results.at(-2)?.[0];
      const existing = keyRow ? intentFromRow(keyRow) : undefined;
      const samePayment = existing ? [] : (results.at(-1) ?? []).map(intentFromRow);
      const decision = decideBegin(existing, samePayment, draft, options);
      if (decision.action !== 'send') {
        await tx.commit();
        return decision;
      }
      let wrote: SqlRow[][];
      if (existing) {
        wrote = await tx.commit(
          sql`UPDATE ${t} SET ${updateAssignments(tables, decision.intent, existing)} WHERE ${byKey(provider, key)} RETURNING revision`,
        );
      } else {
        const insert = insertColumnsAndValues(decision.intent);
        wrote = await tx.commit(
          sql`INSERT INTO ${t} (${insert.columns}) VALUES (${insert.values}) RETURNING revision`,
        );
      }
      const row = wrote.at(-1)?.[0];
      if (row) written.remember(provider, key, decision.intent, revisionOf(row));
      return decision;
    });
  }

  const journal: SqlJournal = {
    name: settings.name,

    async begin(draft, options) {
      const { provider, idempotencyKey: key } = draft;
      const locks = [
        lockKey(tables, 'payment', provider, draft.paymentId),
        lockKey(tables, 'key', provider, key),
      ];
      // The common case — a new key on a payment with no intent yet — in ONE statement after
      // the locks (one round trip, shared with concurrent captures' writes by the batcher):
      // an insert that only happens when neither the key nor any intent of the payment
      // exists. Then decideBegin(undefined, [], …) is exactly what was written.
      const fresh = decideBegin(undefined, [], draft, options);
      if (fresh.action === 'send') {
        const insert = insertColumnsAndValues(fresh.intent);
        const inserted = await withRetry(() =>
          batched({
            locks,
            statement: sql`INSERT INTO ${t} (${insert.columns}) SELECT ${insert.values}
  WHERE NOT EXISTS (SELECT 1 FROM ${t} WHERE provider = ${provider} AND (payment_id = ${draft.paymentId} OR idempotency_key = ${key}))
  ON CONFLICT DO NOTHING RETURNING revision`,
          }),
        );
        if (inserted) {
          written.remember(provider, key, fresh.intent, revisionOf(inserted));
          return fresh;
        }
      }
      return withRetry((db) => beginLocked(db, draft, options, locks));
    },

    async apply(provider, idempotencyKey, event) {
      const copy = written.take(provider, idempotencyKey);
      if (copy) {
        const next = applyIntentEvent(copy.intent, event);
        if (next !== copy.intent) {
          const guard = sql`${byKey(provider, idempotencyKey)} AND revision = ${copy.revision}`;
          const wrote = await withRetry(() =>
            batched({
              locks: [],
              statement: next
                ? sql`UPDATE ${t} SET ${updateAssignments(tables, next, copy.intent)} WHERE ${guard} RETURNING revision`
                : sql`DELETE FROM ${t} WHERE ${guard} RETURNING revision`,
            }),
          );
          if (wrote) {
            written.remember(provider, idempotencyKey, next, revisionOf(wrote));
            return next;
          }
        }
      }
      return withRetry((db) =>
        db.transaction(async (tx) => {
          const [rows] = await tx.run(
            sql`SELECT ${columns} FROM ${t} WHERE ${byKey(provider, idempotencyKey)} FOR UPDATE`,
          );
          const row = rows?.[0];
          if (!row) {
            await tx.commit();
            return undefined;
          }
          const existing = intentFromRow(row);
          const next = applyIntentEvent(existing, event);
          if (next === existing) {
            await tx.commit();
            return existing;
          }
          const [after] = await tx.commit(
            next
              ? sql`UPDATE ${t} SET ${updateAssignments(tables, next, existing)} WHERE ${byKey(provider, idempotencyKey)} RETURNING revision`
              : sql`DELETE FROM ${t} WHERE ${byKey(provider, idempotencyKey)}`,
          );
          const revised = after?.[0];
          if (next && revised)
            written.remember(provider, idempotencyKey, next, revisionOf(revised));
          return next;
        }),
      );
    },

    async get(provider, idempotencyKey) {
      const db = await driver();
      const [rows] = await db.run(
        sql`SELECT ${columns} FROM ${t} WHERE ${byKey(provider, idempotencyKey)}`,
      );
      const row = rows?.[0];
      return row ? intentFromRow(row) : undefined;
    },

    async list(query) {
      const select = listSql(tables, query);
      if (!select) return [];
      const [rows] = await (await driver()).run(select);
      return (rows ?? []).map(intentFromRow);
    },

    async claim(query) {
      if (query.limit <= 0 || query.providers?.length === 0) return [];
      const db = await driver();
      const [rows] = await db.run(claimSql(tables, query));
      await maybePrune(db, query.now).catch(() => {
        // Pruning is housekeeping: the next claim tries again.
      });
      return (rows ?? []).map(intentFromRow).sort((a, b) => a.updatedAt - b.updatedAt);
    },

    async release(provider, idempotencyKey, owner) {
      const db = await driver();
      await db.run(
        sql`UPDATE ${t} SET lease_owner = NULL, lease_until_ms = NULL
  WHERE ${byKey(provider, idempotencyKey)} AND lease_owner = ${owner}`,
      );
    },

    async hasEvent(provider, eventId) {
      const db = await driver();
      const [rows] = await db.run(
        sql`SELECT 1 AS seen FROM ${tables.events}
  WHERE provider = ${provider} AND event_id = ${eventId} AND seen_at_ms > ${settings.now() - settings.eventTtlMs}`,
      );
      return (rows?.length ?? 0) > 0;
    },

    async rememberEvent(provider, eventId, at) {
      const db = await driver();
      await db.run(
        sql`INSERT INTO ${tables.events} (provider, event_id, seen_at_ms) VALUES (${provider}, ${eventId}, ${at})
  ON CONFLICT (provider, event_id) DO UPDATE SET seen_at_ms = EXCLUDED.seen_at_ms`,
      );
      await maybePrune(db, settings.now()).catch(() => {});
    },

    async migrate() {
      return runMigrations(await driver(), tables);
    },

    async prune() {
      const db = await driver();
      const now = settings.now();
      lastPruneAt = now;
      return pruneJournal(db, tables, settings, now);
    },

    close: () => opened.close(),
  };
  return journal;
}

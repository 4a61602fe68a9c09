import {
  applyIntentEvent,
  type BeginDecision,
  type CaptureIntent,
  decideBegin,
  type IntentState,
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
import type { JournalTables } from './journal-tables.js';
import { type MigrationResult, runMigrations } from './migrations.js';
import type { SqlDriver } from './sql-driver.js';
import { joinSql, SqlFragment, script, sql, textArray } from './sql-text.js';
import { writeBatcher } from './write-batcher.js';

/**
 * The journal over any {@link SqlDriver}: PostgreSQL through `pg`, or PGlite. Everything
 * database-specific lives in the driver; the SQL here is the same for both.
 */
export interface SqlJournal extends CaptureJournal {
  migrate(): Promise<MigrationResult>;
  prune(): Promise<PruneResult>;
}

/**
 * What {@link PostgresJournal.prune} deleted.
 *
 * @example
 * ```ts
 * const { intents, events }: PruneResult = await journal.prune();
 * ```
 */
export interface PruneResult {
  /** Settled (`succeeded` / `failed`) intents older than `settledTtlMs`. */
  readonly intents: number;
  /** Webhook event ids older than `eventTtlMs`. */
  readonly events: number;
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

/** Errors worth running the whole step again for: another transaction won a race. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: a concurrent insert of the same key by a writer without locks
]);
const MAX_ATTEMPTS = 5;
const PRUNE_EVERY_MS = 60_000;
/** Rows deleted per statement by one prune, so a first prune after months stays short. */
const PRUNE_BATCH = 5_000;
/** Intents this process wrote and may soon apply an answer to (see `written`). */
const MAX_WRITTEN = 10_000;

interface Written {
  readonly intent: CaptureIntent;
  readonly revision: number;
}

export function sqlJournal(settings: SqlJournalSettings): SqlJournal {
  const { tables } = settings;
  const t = tables.intents;
  const columns = intentColumns();
  let opening: Promise<SqlDriver> | undefined;
  let closed = false;
  let lastPruneAt = Number.NEGATIVE_INFINITY;
  /**
   * The open intents this journal last wrote, with their revision. `apply` after `begin` (the
   * answer to a capture this process sent) then needs no read: it computes the next state
   * from this copy and writes it with a compare-and-set on the revision — ONE statement,
   * atomic by itself. When any other writer touched the row since (another process, a
   * reconciler), the revision differs, nothing is written, and apply takes the locked path
   * (SELECT … FOR UPDATE). A stale or missing copy costs a round trip, never correctness.
   */
  const written = new Map<string, Written>();
  const remember = (intent: CaptureIntent | undefined, revision: number, key: string) => {
    written.delete(key);
    if (!intent || intent.state === 'succeeded' || intent.state === 'failed') return;
    written.set(key, { intent, revision });
    if (written.size > MAX_WRITTEN) {
      const oldest = written.keys().next().value;
      if (oldest !== undefined) written.delete(oldest);
    }
  };
  const cacheKey = (provider: string, key: string) => `${provider}\u0000${key}`;
  const batched = writeBatcher(async (batch) => (await driver()).run(batch), settings.batchSlots);

  /** The driver, opened (and migrated) by the first call; a failed open is retried later. */
  function driver(): Promise<SqlDriver> {
    if (closed) return Promise.reject(new Error(`the ${settings.name} journal is closed`));
    if (!opening) {
      opening = (async () => {
        const opened = await settings.open();
        if (settings.migrateOnFirstUse) {
          try {
            await runMigrations(opened, tables);
          } catch (error) {
            await opened.close().catch(() => {});
            throw error;
          }
        }
        return opened;
      })();
      opening.catch(() => {
        opening = undefined;
      });
    }
    return opening;
  }

  async function withRetry<T>(step: (db: SqlDriver) => Promise<T>): Promise<T> {
    const db = await driver();
    for (let attempt = 1; ; attempt++) {
      try {
        return await step(db);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (attempt >= MAX_ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) {
          throw error;
        }
      }
    }
  }

  const byKey = (provider: string, key: string) =>
    sql`provider = ${provider} AND idempotency_key = ${key}`;

  async function pruneNow(db: SqlDriver, now: number): Promise<PruneResult> {
    const settledCutoff = now - settings.settledTtlMs;
    const [intents, events] = await db.run(
      script(
        sql`DELETE FROM ${t} WHERE (provider, idempotency_key) IN (
  SELECT provider, idempotency_key FROM ${t}
  WHERE state IN ('succeeded', 'failed') AND updated_at_ms <= ${Number.isFinite(settledCutoff) ? settledCutoff : Number.MIN_SAFE_INTEGER}
  LIMIT ${PRUNE_BATCH}) RETURNING 1`,
        sql`DELETE FROM ${tables.events} WHERE (provider, event_id) IN (
  SELECT provider, event_id FROM ${tables.events}
  WHERE seen_at_ms <= ${now - settings.eventTtlMs} LIMIT ${PRUNE_BATCH}) RETURNING 1`,
      ),
    );
    return { intents: intents?.length ?? 0, events: events?.length ?? 0 };
  }

  /** At most once a minute per journal, from the calls that run in the background anyway. */
  async function maybePrune(db: SqlDriver, now: number): Promise<void> {
    if (now - lastPruneAt < PRUNE_EVERY_MS) return;
    lastPruneAt = now;
    await pruneNow(db, now);
  }

  const journal: SqlJournal = {
    name: settings.name,

    async begin(draft, options) {
      // The common case — a new key on a payment with no intent yet — in ONE statement after
      // the locks (one round trip, shared with concurrent captures' writes by the batcher):
      // an insert that only happens when neither the key nor any intent of the payment
      // exists. Then decideBegin(undefined, [], …) is exactly what was written.
      const fresh = decideBegin(undefined, [], draft, options);
      const paymentLock = lockKey(tables, 'payment', draft.provider, draft.paymentId);
      const keyLock = lockKey(tables, 'key', draft.provider, draft.idempotencyKey);
      const locks = lockStatements([paymentLock, keyLock]);
      const samePaymentOrKey = sql`provider = ${draft.provider} AND (payment_id = ${draft.paymentId} OR idempotency_key = ${draft.idempotencyKey})`;
      if (fresh.action === 'send') {
        const insert = insertColumnsAndValues(fresh.intent);
        const inserted = await withRetry(() =>
          batched({
            locks: [paymentLock, keyLock],
            statement: sql`INSERT INTO ${t} (${insert.columns}) SELECT ${insert.values}
  WHERE NOT EXISTS (SELECT 1 FROM ${t} WHERE ${samePaymentOrKey})
  ON CONFLICT DO NOTHING RETURNING 1 AS inserted`,
          }),
        );
        if (inserted) {
          remember(fresh.intent, 1, cacheKey(draft.provider, draft.idempotencyKey));
          return fresh;
        }
      }
      // Otherwise: read the key's intent and the payment's, decide, write — one transaction
      // holding the same two locks, the key's row also locked against a concurrent apply().
      return withRetry((db) =>
        db.transaction(async (tx): Promise<BeginDecision> => {
          const results = await tx.run(
            script(
              ...locks,
              sql`SELECT ${columns} FROM ${t} WHERE ${byKey(draft.provider, draft.idempotencyKey)} FOR UPDATE`,
              sql`SELECT ${columns} FROM ${t} WHERE provider = ${draft.provider} AND payment_id = ${draft.paymentId} ORDER BY created_at_ms, idempotency_key`,
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
          const cached = cacheKey(draft.provider, draft.idempotencyKey);
          if (keyRow && existing) {
            await tx.commit(
              sql`UPDATE ${t} SET ${updateAssignments(decision.intent, existing)} WHERE ${byKey(draft.provider, draft.idempotencyKey)}`,
            );
            remember(decision.intent, revisionOf(keyRow) + 1, cached);
          } else {
            const insert = insertColumnsAndValues(decision.intent);
            await tx.commit(sql`INSERT INTO ${t} (${insert.columns}) VALUES (${insert.values})`);
            remember(decision.intent, 1, cached);
          }
          return decision;
        }),
      );
    },

    async apply(provider, idempotencyKey, event) {
      const cached = cacheKey(provider, idempotencyKey);
      const copy = written.get(cached);
      if (copy) {
        written.delete(cached);
        const next = applyIntentEvent(copy.intent, event);
        if (next !== copy.intent) {
          const guard = sql`${byKey(provider, idempotencyKey)} AND revision = ${copy.revision}`;
          const wrote = await withRetry(() =>
            batched({
              locks: [],
              statement: next
                ? sql`UPDATE ${t} SET ${updateAssignments(next, copy.intent)} WHERE ${guard} RETURNING 1 AS written`
                : sql`DELETE FROM ${t} WHERE ${guard} RETURNING 1 AS written`,
            }),
          );
          if (wrote) {
            remember(next, copy.revision + 1, cached);
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
          await tx.commit(
            next
              ? sql`UPDATE ${t} SET ${updateAssignments(next, existing)} WHERE ${byKey(provider, idempotencyKey)}`
              : sql`DELETE FROM ${t} WHERE ${byKey(provider, idempotencyKey)}`,
          );
          remember(next, revisionOf(row) + 1, cached);
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
      const limit = query.limit ?? 100;
      const states =
        query.state === undefined ? undefined : ([] as IntentState[]).concat(query.state);
      if (states?.length === 0 || limit <= 0) return [];
      const where = [
        new SqlFragment('TRUE'),
        ...(query.provider !== undefined ? [sql`provider = ${query.provider}`] : []),
        ...(query.paymentId !== undefined ? [sql`payment_id = ${query.paymentId}`] : []),
        ...(query.captureId !== undefined ? [sql`capture_id = ${query.captureId}`] : []),
        ...(states ? [sql`state = ANY(${textArray(states)})`] : []),
      ];
      const db = await driver();
      const [rows] = await db.run(
        sql`SELECT ${columns} FROM ${t} WHERE ${joinSql(where, ' AND ')}
  ORDER BY created_at_ms, idempotency_key LIMIT ${limit}`,
      );
      return (rows ?? []).map(intentFromRow);
    },

    async claim(query) {
      if (query.limit <= 0 || query.providers?.length === 0) return [];
      const { now, owner } = query;
      const db = await driver();
      // SKIP LOCKED: rows another reconciler is leasing right now are passed over instead of
      // waited for; the lease columns keep them away after that transaction commits.
      const [rows] = await db.run(
        sql`WITH claimable AS (
  SELECT provider, idempotency_key FROM ${t}
  WHERE state IN ('sending', 'unknown', 'pending')
    AND (state = 'pending' OR in_flight_until_ms IS NULL OR in_flight_until_ms <= ${now})
    AND updated_at_ms <= ${now - query.olderThanMs}
    AND (lease_until_ms IS NULL OR lease_until_ms <= ${now} OR lease_owner = ${owner})
    ${query.providers ? sql`AND provider = ANY(${textArray(query.providers)})` : new SqlFragment('')}
  ORDER BY updated_at_ms
  LIMIT ${query.limit}
  FOR UPDATE SKIP LOCKED
)
UPDATE ${t} AS i SET lease_owner = ${owner}, lease_until_ms = ${now + query.leaseMs}
FROM claimable c
WHERE i.provider = c.provider AND i.idempotency_key = c.idempotency_key
RETURNING ${intentColumns('i')}`,
      );
      await maybePrune(db, now).catch(() => {
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
      return pruneNow(db, now);
    },

    async close() {
      if (closed) return;
      closed = true;
      const pending = opening;
      opening = undefined;
      const db = await pending?.catch(() => undefined);
      await db?.close();
    },
  };
  return journal;
}

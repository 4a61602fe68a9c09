import type { JournalTables } from './journal-tables.js';
import type { SqlDriver } from './sql-driver.js';
import { script, sql } from './sql-text.js';

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

/** Rows deleted per statement by one prune, so a first prune after months stays short. */
const PRUNE_BATCH = 5_000;

/** Deletes settled intents and event ids past their time to live, in one round trip. */
export async function pruneJournal(
  db: SqlDriver,
  tables: JournalTables,
  ttl: { readonly settledTtlMs: number; readonly eventTtlMs: number },
  now: number,
): Promise<PruneResult> {
  const t = tables.intents;
  const settledCutoff = now - ttl.settledTtlMs;
  const [intents, events] = await db.run(
    script(
      sql`DELETE FROM ${t} WHERE (provider, idempotency_key) IN (
  SELECT provider, idempotency_key FROM ${t}
  WHERE state IN ('succeeded', 'failed') AND updated_at_ms <= ${Number.isFinite(settledCutoff) ? settledCutoff : Number.MIN_SAFE_INTEGER}
  LIMIT ${PRUNE_BATCH}) RETURNING 1`,
      sql`DELETE FROM ${tables.events} WHERE (provider, event_id) IN (
  SELECT provider, event_id FROM ${tables.events}
  WHERE seen_at_ms <= ${now - ttl.eventTtlMs} LIMIT ${PRUNE_BATCH}) RETURNING 1`,
    ),
  );
  return { intents: intents?.length ?? 0, events: events?.length ?? 0 };
}

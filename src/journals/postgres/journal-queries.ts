import type { IntentState } from '../../core/intents.js';
import type { ClaimQuery, IntentQuery } from '../../core/journal.js';
import { intentColumns } from './intent-row.js';
import type { JournalTables } from './journal-tables.js';
import { joinSql, SqlFragment, sql, textArray } from './sql-text.js';

/** The SELECT of `list()`, oldest first; `undefined` when the query cannot match anything. */
export function listSql(tables: JournalTables, query: IntentQuery): SqlFragment | undefined {
  const limit = query.limit ?? 100;
  const states = query.state === undefined ? undefined : ([] as IntentState[]).concat(query.state);
  if (states?.length === 0 || limit <= 0) return undefined;
  const where = [
    new SqlFragment('TRUE'),
    ...(query.provider !== undefined ? [sql`provider = ${query.provider}`] : []),
    ...(query.paymentId !== undefined ? [sql`payment_id = ${query.paymentId}`] : []),
    ...(query.captureId !== undefined ? [sql`capture_id = ${query.captureId}`] : []),
    ...(states ? [sql`state = ANY(${textArray(states)})`] : []),
  ];
  return sql`SELECT ${intentColumns()} FROM ${tables.intents} WHERE ${joinSql(where, ' AND ')}
  ORDER BY created_at_ms, idempotency_key LIMIT ${limit}`;
}

/**
 * The one statement of `claim()`: leases open intents past their in-flight window. SKIP
 * LOCKED: rows another reconciler is leasing right now are passed over instead of waited
 * for; the lease columns keep them away after that transaction commits.
 */
export function claimSql(tables: JournalTables, query: ClaimQuery): SqlFragment {
  const { now, owner } = query;
  const t = tables.intents;
  return sql`WITH claimable AS (
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
RETURNING ${intentColumns('i')}`;
}

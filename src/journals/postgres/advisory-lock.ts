import { createHash } from 'node:crypto';
import type { JournalTables } from './journal-tables.js';
import { type SqlFragment, sql } from './sql-text.js';

/** What an advisory lock guards. */
export type LockScope = 'payment' | 'key' | 'migrations';

/**
 * The 64-bit advisory lock key of one payment, one idempotency key, or the migrations of
 * one schema + prefix. Keys are hashes, so two unrelated payments may share one: that only
 * makes them wait for each other for a moment, it never lets two captures of one payment
 * through.
 */
export function lockKey(
  tables: JournalTables,
  scope: LockScope,
  provider: string,
  value: string,
): bigint {
  const digest = createHash('sha256')
    .update(`${tables.schema}\u0000${tables.prefix}\u0000${scope}\u0000${provider}\u0000${value}`)
    .digest();
  return digest.readBigInt64BE(0);
}

/**
 * Statements taking the transaction-scoped locks on `keys`, smallest key first. Every
 * transaction that holds two of them took them in that same order, so two transactions can
 * never each hold one and wait for the other (no deadlock). One statement per lock, so the
 * order is the statements' order, not an evaluation order inside one statement.
 */
export function lockStatements(keys: readonly bigint[]): SqlFragment[] {
  const sorted = [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.map((key) => sql`SELECT pg_advisory_xact_lock(${key})`);
}

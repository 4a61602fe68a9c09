import type { SqlDriver } from './sql-driver.js';

/** Errors worth running the whole step again for: another transaction won a race. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: a concurrent insert of the same key by a writer without locks
]);
const MAX_ATTEMPTS = 5;

/** Runs `step`, again (up to 5 times in all) when it lost a race another transaction won. */
export async function retryStep<T>(db: SqlDriver, step: (db: SqlDriver) => Promise<T>): Promise<T> {
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

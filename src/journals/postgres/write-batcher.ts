import { lockStatements } from './advisory-lock.js';
import type { SqlRow } from './sql-driver.js';
import { type SqlFragment, script } from './sql-text.js';

/** One single-statement write, with the advisory locks it must hold first. */
export interface BatchedWrite {
  readonly locks: readonly bigint[];
  /** A statement that returns a row when it wrote (`… RETURNING revision`). */
  readonly statement: SqlFragment;
}

interface Pending {
  readonly write: BatchedWrite;
  /** The row the write returned; `undefined` when it wrote nothing. */
  readonly resolve: (row: SqlRow | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/** Writes sent in one script at most (a script is one statement per write plus the locks). */
const MAX_BATCH = 64;

/**
 * Group commit on the client: the single-statement writes of concurrent captures (the
 * insert of `begin`, the compare-and-set of `apply`) that queue while earlier scripts are
 * in flight travel together as ONE script — one round trip and one commit for all of them.
 *
 * Each write keeps its own meaning: a script is one implicit transaction that first takes
 * every advisory lock its writes need, smallest first (the order every journal transaction
 * uses, so batches never deadlock each other over locks), then runs the writes in order;
 * each statement sees what the ones before it wrote. When a script fails, its writes run
 * again one by one, so one bad write never fails the others. Nothing waits for a timer: a
 * write that finds a free slot leaves at once.
 */
export function writeBatcher(
  run: (script: SqlFragment) => Promise<SqlRow[][]>,
  slots: number,
): (write: BatchedWrite) => Promise<SqlRow | undefined> {
  const queue: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function send(batch: readonly Pending[]): Promise<void> {
    const writes = batch.map((pending) => pending.write);
    const locks = lockStatements(writes.flatMap((write) => write.locks));
    try {
      const results = await run(script(...locks, ...writes.map((write) => write.statement)));
      batch.forEach((pending, i) => {
        pending.resolve(results[locks.length + i]?.[0]);
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      await Promise.all(batch.map((pending) => send([pending])));
    }
  }

  function pump(): void {
    scheduled = false;
    while (inFlight < slots && queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      inFlight += 1;
      void send(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return (write) =>
    new Promise<SqlRow | undefined>((resolve, reject) => {
      queue.push({ write, resolve, reject });
      // Writes submitted in the same tick leave together.
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(pump);
      }
    });
}

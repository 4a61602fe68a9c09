import type { JournalTables } from './journal-tables.js';
import { runMigrations } from './migrations.js';
import type { SqlDriver } from './sql-driver.js';

/** A driver opened (and migrated) by its first use, and closed once. */
export interface LazyDriver {
  /** The driver; a failed open (or migration) is retried by the next call. */
  get(): Promise<SqlDriver>;
  /** Closes what was opened; every later `get()` rejects. */
  close(): Promise<void>;
}

export function lazyDriver(settings: {
  readonly name: string;
  readonly tables: JournalTables;
  readonly open: () => Promise<SqlDriver>;
  readonly migrateOnFirstUse: boolean;
}): LazyDriver {
  let opening: Promise<SqlDriver> | undefined;
  let closed = false;
  return {
    get() {
      if (closed) return Promise.reject(new Error(`the ${settings.name} journal is closed`));
      if (!opening) {
        opening = (async () => {
          const opened = await settings.open();
          if (settings.migrateOnFirstUse) {
            try {
              await runMigrations(opened, settings.tables);
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
}

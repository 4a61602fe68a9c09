import { loadOptional } from './load-optional.js';
import { lockDataDir } from './pglite-data-dir-lock.js';
import { type PGliteDatabase, rowsOf, type SqlDriver } from './sql-driver.js';

/**
 * A driver over PGlite. PGlite is one embedded connection: its `exec` and `transaction`
 * queue behind each other, so a transaction is never interleaved with other statements.
 * With `dataDir` it opens (and later closes) its own database, holding a lock file so a
 * second process cannot open the same files; a database passed in stays the caller's.
 */
export async function pgliteDriver(
  source: { readonly dataDir: string } | { readonly pglite: PGliteDatabase },
): Promise<SqlDriver> {
  if ('pglite' in source) return driverOver(source.pglite, async () => {});
  const { PGlite } = await loadOptional(
    '@electric-sql/pglite',
    'pgliteJournal({ dataDir })',
    () => import('@electric-sql/pglite'),
  );
  const unlock = await lockDataDir(source.dataDir);
  try {
    const db = await PGlite.create(source.dataDir);
    return driverOver(db, async () => {
      try {
        await db.close();
      } finally {
        await unlock();
      }
    });
  } catch (error) {
    await unlock();
    throw error;
  }
}

function driverOver(db: PGliteDatabase, close: () => Promise<void>): SqlDriver {
  return {
    name: 'pglite',
    async run(script) {
      return rowsOf(await db.exec(script.text));
    },
    async transaction(fn) {
      let done = false;
      // PGlite's transaction() sends BEGIN and COMMIT itself (ROLLBACK when fn throws).
      return db.transaction(async (tx) =>
        fn({
          async run(script) {
            if (done) throw new Error('capture-kit journal: transaction already committed');
            return rowsOf(await tx.exec(script.text));
          },
          async commit(script) {
            if (done) throw new Error('capture-kit journal: transaction already committed');
            done = true;
            return script ? rowsOf(await tx.exec(script.text)) : [];
          },
        }),
      );
    },
    close,
  };
}

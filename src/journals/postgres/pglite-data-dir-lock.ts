import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Lock files this process holds. */
const held = new Set<string>();

/**
 * Takes `<dataDir>.capture-kit.lock` (a file beside the data directory holding this
 * process's pid). PGlite is one embedded connection with no lock of its own: two processes
 * (or two PGlite instances in one process) writing the same files corrupt them, and two
 * journals over two copies would each believe they alone guard a payment. A lock left by a
 * process that died (SIGKILL, OOM) is taken over, so a restart after a crash just works.
 *
 * Two processes starting in the very same instant over a stale lock can both take it over;
 * the lock guards against the common mistake (a second instance, a second worker), not
 * against that race. Many processes belong on `postgresJournal({ connectionString })`.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  if (dataDir.startsWith('memory://')) return async () => {};
  const dir = resolve(dataDir.replace(/^file:\/\//, ''));
  const lockPath = `${dir}.capture-kit.lock`;
  if (held.has(lockPath)) {
    throw new Error(
      `pgliteJournal({ dataDir: ${JSON.stringify(dataDir)} }): that data directory is already open in this process. PGlite is a single connection: share one journal between clients.`,
    );
  }
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: 'wx' });
      held.add(lockPath);
      return async () => {
        held.delete(lockPath);
        await rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isSafeInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `pgliteJournal({ dataDir: ${JSON.stringify(dataDir)} }): process ${pid} has that data directory open (${lockPath}). PGlite serves one process; for many processes use postgresJournal({ connectionString }). If process ${pid} is not a capture-kit journal, delete the lock file.`,
        );
      }
      // Left behind by a process that is gone: take it over.
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`pgliteJournal: could not take the lock file ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

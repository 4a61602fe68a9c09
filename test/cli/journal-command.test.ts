import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { pgliteJournal } from '../../src/journals/postgres/index.js';
import { requireTestServer } from '../journal/postgres-test-server.js';
import { capturedIo } from './cli-io.js';

const server = await requireTestServer();

describe('capture-kit journal migrate', () => {
  it('--help documents the database settings and exit codes', async () => {
    const io = capturedIo();
    expect(await main(['journal', 'migrate', '--help'], io)).toBe(EXIT.ok);
    expect(io.out()).toContain('CAPTURE_KIT_DATABASE_URL');
    expect(io.out()).toContain('Exit codes');
  });

  it('without a database: exit 3 naming the env var and the flags', async () => {
    const io = capturedIo();
    expect(await main(['journal', 'migrate'], io)).toBe(EXIT.config);
    expect(io.err()).toContain('CAPTURE_KIT_DATABASE_URL');
    expect(io.err()).toContain('--pglite');
  });

  it('an unknown subcommand is a usage error', async () => {
    const io = capturedIo();
    expect(await main(['journal', 'drop'], io)).toBe(EXIT.usage);
  });

  it('an unreachable database: exit 3, and the password is never printed', async () => {
    const io = capturedIo({
      CAPTURE_KIT_DATABASE_URL: 'postgresql://capture:hunter2-secret@127.0.0.1:1/db',
    });
    expect(await main(['journal', 'migrate'], io)).toBe(EXIT.config);
    expect(io.err()).toContain('capture-kit journal migrate:');
    expect(io.out() + io.err()).not.toContain('hunter2-secret');
  });

  it('--pglite <dir> migrates an embedded journal, then finds it current', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capture-kit-cli-'));
    try {
      const dataDir = join(dir, 'journal');
      const first = capturedIo();
      expect(await main(['journal', 'migrate', '--pglite', dataDir, '--json'], first)).toBe(
        EXIT.ok,
      );
      expect(JSON.parse(first.out())).toEqual({ applied: [1, 2], version: 2, schema: 'public' });
      const second = capturedIo();
      expect(await main(['journal', 'migrate', '--pglite', dataDir], second)).toBe(EXIT.ok);
      expect(second.out()).toContain('is current (version 2)');
      const journal = pgliteJournal({ dataDir, migrate: false });
      expect(await journal.list({})).toEqual([]);
      await journal.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);

  describe.runIf(server)('on a PostgreSQL server', () => {
    afterAll(async () => {
      await server?.dropSchemas();
      await server?.end();
    });

    it('CAPTURE_KIT_DATABASE_URL + --schema: applies once, never echoes the URL', async () => {
      if (!server) return;
      const schema = server.schema();
      const io = capturedIo({ CAPTURE_KIT_DATABASE_URL: server.url });
      expect(await main(['journal', 'migrate', '--schema', schema], io)).toBe(EXIT.ok);
      expect(io.out()).toBe(`Journal schema in ${schema} migrated to version 2 (applied 1, 2).\n`);
      expect(io.out() + io.err()).not.toContain(server.url);
      const again = capturedIo();
      expect(
        await main(
          ['journal', 'migrate', '--database-url', server.url, '--schema', schema, '--json'],
          again,
        ),
      ).toBe(EXIT.ok);
      expect(JSON.parse(again.out())).toEqual({ applied: [], version: 2, schema });
    });
  });
});

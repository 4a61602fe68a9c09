import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntentDraft } from '../../src/core/intents.js';
import { pgliteJournal, postgresJournal } from '../../src/journals/postgres/index.js';
import { loadOptional } from '../../src/journals/postgres/load-optional.js';
import { journalContract } from './journal-contract.js';

// PGlite starts a WebAssembly PostgreSQL (initdb on a new directory): seconds, more on a
// busy machine. One database serves the contract; each test gets its own schema in it.
const SLOW = 240_000;

const T = 1_800_000_000_000;
const draft = (key: string): IntentDraft => ({
  provider: 'cko',
  kind: 'checkout',
  idempotencyKey: key,
  paymentId: `pay-${key}`,
  amount: { currency: 'EUR', value: 1_000n },
  final: true,
  inFlightMs: 10_000,
});

let root: string;
let shared: PGlite;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'capture-kit-pglite-'));
  shared = await PGlite.create(join(root, 'shared'));
}, SLOW);

afterAll(async () => {
  await shared?.close();
  await rm(root, { recursive: true, force: true });
}, SLOW);

const schemaName = () => `t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

journalContract('postgresJournal({ pglite })', {
  create: async () => postgresJournal({ pglite: shared, schema: schemaName() }),
  twoInstances: async () => {
    const schema = schemaName();
    return [
      postgresJournal({ pglite: shared, schema }),
      postgresJournal({ pglite: shared, schema }),
    ] as const;
  },
});

describe('pgliteJournal({ dataDir })', () => {
  it(
    'is file-backed: what one journal wrote, the next one over the same directory reads',
    async () => {
      const dataDir = join(root, 'reopen');
      const first = pgliteJournal({ dataDir });
      expect(first.name).toBe('pglite');
      expect((await first.begin(draft('k1'), { now: T, ignoreUnresolved: false })).action).toBe(
        'send',
      );
      // One process at a time: a second journal over the same directory is refused.
      const second = pgliteJournal({ dataDir });
      await expect(second.get('cko', 'k1')).rejects.toThrow(/already open in this process/);
      await first.close();
      expect(existsSync(`${dataDir}.capture-kit.lock`)).toBe(false);

      const reopened = pgliteJournal({ dataDir });
      expect((await reopened.get('cko', 'k1'))?.state).toBe('sending');
      expect(
        (await reopened.begin(draft('k1'), { now: T + 1, ignoreUnresolved: false })).action,
      ).toBe('in_flight');
      await reopened.close();
      await second.close();
    },
    SLOW,
  );

  it(
    'survives SIGKILL: an intent written before the kill is there after, and a stale lock is taken over',
    async () => {
      const dataDir = join(root, 'crash');
      const child = fork(
        fileURLToPath(new URL('./fixtures/pglite-crash-worker.ts', import.meta.url)),
        [dataDir],
        {
          execArgv: ['--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        },
      );
      const written = await new Promise<string>((resolve, reject) => {
        child.once('message', (message) => resolve(String(message)));
        child.once('exit', (code) =>
          reject(new Error(`worker exited with ${code} before writing`)),
        );
      });
      expect(written).toBe('written');
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      // The killed process left its lock file behind.
      expect(existsSync(`${dataDir}.capture-kit.lock`)).toBe(true);

      const after = pgliteJournal({ dataDir });
      const intent = await after.get('cko', 'crash-1');
      expect(intent).toMatchObject({ state: 'sending', paymentId: 'pay-crash-1', attempts: 1 });
      await after.close();
    },
    SLOW,
  );

  it('a lock held by a live process is refused, naming the process', async () => {
    const dataDir = join(root, `locked-${randomUUID()}`);
    // The parent of this test process is alive and is not us.
    await writeFile(`${dataDir}.capture-kit.lock`, String(process.ppid));
    const j = pgliteJournal({ dataDir });
    await expect(j.get('cko', 'k')).rejects.toThrow(
      new RegExp(`process ${process.ppid} has that data directory open`),
    );
    await j.close();
  });

  it('refuses a missing dataDir and unknown settings', () => {
    expect(() => pgliteJournal({ dataDir: '' })).toThrow(/needs the directory/);
    expect(() => pgliteJournal({ dataDir: 'x', poolSize: 3 } as never)).toThrow(
      /does not know the setting "poolSize"/,
    );
  });
});

describe('optional packages', () => {
  it('a missing peer dependency names the package and the install command', async () => {
    const missing = Object.assign(new Error("Cannot find package 'pg' imported from x"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await expect(
      loadOptional('pg', 'postgresJournal({ connectionString })', () => Promise.reject(missing)),
    ).rejects.toThrow(
      'postgresJournal({ connectionString }) needs the "pg" package, which is not installed: npm install pg',
    );
    const other = new Error('boom');
    await expect(loadOptional('pg', 'x', () => Promise.reject(other))).rejects.toBe(other);
  });
});

import { describe, expect, it } from 'vitest';
import type { SqlRow } from '../../src/journals/postgres/sql-driver.js';
import { SqlFragment } from '../../src/journals/postgres/sql-text.js';
import { writeBatcher } from '../../src/journals/postgres/write-batcher.js';

/** A fake database: each statement `W <n>` "writes" (returns a row); `BAD` fails the script. */
function fakeDatabase() {
  const scripts: string[] = [];
  const run = async (script: SqlFragment): Promise<SqlRow[][]> => {
    scripts.push(script.text);
    await new Promise((resolve) => setImmediate(resolve));
    const statements = script.text.split(';\n');
    if (statements.some((statement) => statement === 'BAD')) {
      throw Object.assign(new Error('syntax error at "BAD"'), { code: '42601' });
    }
    return statements.map((statement) => (statement.startsWith('SKIP') ? [] : [{ wrote: 1 }]));
  };
  return { scripts, run };
}

const write = (text: string, locks: bigint[] = []) => ({ locks, statement: new SqlFragment(text) });

describe('writeBatcher (client-side group commit)', () => {
  it('writes submitted together travel in one script, each with its own answer', async () => {
    const db = fakeDatabase();
    const batched = writeBatcher(db.run, 1);
    const answers = await Promise.all([
      batched(write('W 1')),
      batched(write('SKIP 2')),
      batched(write('W 3')),
    ]);
    expect(answers).toEqual([{ wrote: 1 }, undefined, { wrote: 1 }]);
    expect(db.scripts).toEqual(['W 1;\nSKIP 2;\nW 3']);
  });

  it('takes every lock of the batch first, smallest first, each once', async () => {
    const db = fakeDatabase();
    const batched = writeBatcher(db.run, 1);
    await Promise.all([batched(write('W a', [5n, -3n])), batched(write('W b', [5n, 2n]))]);
    expect(db.scripts).toEqual([
      'SELECT pg_advisory_xact_lock(-3);\nSELECT pg_advisory_xact_lock(2);\nSELECT pg_advisory_xact_lock(5);\nW a;\nW b',
    ]);
  });

  it('a failing script is retried write by write: only the bad write fails', async () => {
    const db = fakeDatabase();
    const batched = writeBatcher(db.run, 1);
    const results = await Promise.allSettled([
      batched(write('W 1')),
      batched(write('BAD')),
      batched(write('W 3')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: '42601' });
    expect(db.scripts.slice(1).sort()).toEqual(['BAD', 'W 1', 'W 3']);
  });

  it('queues while every slot is busy, then sends what queued as one script', async () => {
    const db = fakeDatabase();
    const batched = writeBatcher(db.run, 1);
    const first = batched(write('W 1'));
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    const later = [batched(write('W 2')), batched(write('W 3'))];
    await Promise.all([first, ...later]);
    expect(db.scripts).toEqual(['W 1', 'W 2;\nW 3']);
  });
});

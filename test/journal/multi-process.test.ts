import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/journals/postgres/index.js';
import type { WorkerDecision } from './fixtures/begin-worker.js';
import { requireTestServer } from './postgres-test-server.js';

const server = await requireTestServer();
const WORKER = fileURLToPath(new URL('./fixtures/begin-worker.ts', import.meta.url));

function next<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`worker exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as T);
    });
  });
}

describe.runIf(server)('many processes over one PostgreSQL', () => {
  if (!server) return;
  afterAll(async () => {
    await server.dropSchemas();
    await server.end();
  });

  it('three instances begin the same 200 payments with their own keys at once: one send per payment', async () => {
    const schema = server.schema();
    await migrate({ connectionString: server.url, schema });
    const payments = Array.from({ length: 200 }, (_, i) => `pay-${i}`);
    const children = ['a', 'b', 'c'].map((instance) => {
      const child = fork(WORKER, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      return { instance, child };
    });
    try {
      const ready = children.map(({ child }) => next<string>(child));
      for (const { instance, child } of children) {
        child.send({ url: server.url, schema, instance, payments });
      }
      expect(await Promise.all(ready)).toEqual(['ready', 'ready', 'ready']);
      const results = children.map(({ child }) => next<{ decisions: WorkerDecision[] }>(child));
      for (const { child } of children) child.send('go');
      const decisions = (await Promise.all(results)).flatMap((r) => r.decisions);

      expect(decisions).toHaveLength(600);
      for (const paymentId of payments) {
        const mine = decisions.filter((d) => d.paymentId === paymentId);
        const sends = mine.filter((d) => d.action === 'send');
        expect(sends, paymentId).toHaveLength(1);
        for (const loser of mine.filter((d) => d.action !== 'send')) {
          expect(loser.action, paymentId).toBe('unresolved');
          expect(loser.intentKey, paymentId).toBe(sends[0]?.key);
        }
      }
      // Both processes wrote every winner and nothing else.
      const rows = await server.query(
        `SELECT payment_id, count(*)::int AS n FROM "${schema}".capture_kit_intents GROUP BY payment_id`,
      );
      expect(rows.rows).toHaveLength(200);
      expect(rows.rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      for (const { child } of children) if (child.exitCode === null) child.kill();
    }
  }, 120_000);
});

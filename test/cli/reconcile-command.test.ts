import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { createCaptureClient } from '../../src/core/client.js';
import type { CaptureJournal } from '../../src/core/journal.js';
import { pgliteJournal, postgresJournal } from '../../src/journals/postgres/index.js';
import { checkout } from '../../src/providers/checkout/index.js';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';
import { requireTestServer } from '../journal/postgres-test-server.js';
import { capturedIo } from './cli-io.js';

const server = await requireTestServer();

interface ReportJson {
  claimed: number;
  resolved: { succeeded: number; failed: number; absent: number };
  resent: number;
  stillOpen: number;
  ok: boolean;
  items: { idempotencyKey: string; from: string; to: string; code?: string }[];
}

let sim: CheckoutSimulator;
let root: string;
/** The CLI's providers from the environment: registered under the kind's name, `checkout`. */
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sim = await startCheckoutSimulator();
  root = await mkdtemp(join(tmpdir(), 'capture-kit-reconcile-cli-'));
  env = {
    CAPTURE_KIT_CHECKOUT_SECRET_KEY: sim.credentials.secretKey,
    CAPTURE_KIT_CHECKOUT_WEBHOOK_SECRET: sim.credentials.webhookSecret,
    CAPTURE_KIT_CHECKOUT_BASE_URL: sim.baseUrl,
  };
});

afterAll(async () => {
  await sim?.close();
  await rm(root, { recursive: true, force: true });
  if (server) {
    await server.dropSchemas();
    await server.end();
  }
});

/**
 * A capture that reached the simulator, and a journal that still says `sending` (its
 * process died before the answer was written), an hour past its in-flight window.
 */
async function leftSending(journal: CaptureJournal, key: string): Promise<string> {
  const payment = await sim.authorize({ amount: 2500n, currency: 'EUR', cardBrand: 'visa' });
  const direct = createCaptureClient({
    providers: { checkout: checkout({ ...sim.credentials, baseUrl: sim.baseUrl }) },
  });
  const sent = await direct.capture({
    provider: 'checkout',
    paymentId: payment.paymentId,
    idempotencyKey: key,
    final: true,
    context: { cardBrand: 'visa' },
  });
  await direct.close();
  expect(sent.isOk()).toBe(true);
  await journal.begin(
    {
      provider: 'checkout',
      kind: 'checkout',
      idempotencyKey: key,
      paymentId: payment.paymentId,
      final: true,
      inFlightMs: 10_000,
    },
    { now: Date.now() - 3_600_000, ignoreUnresolved: false },
  );
  await sim.settle();
  return payment.paymentId;
}

describe('capture-kit reconcile', () => {
  it('--help documents the database, the flags and the exit codes', async () => {
    const io = capturedIo();
    expect(await main(['reconcile', '--help'], io)).toBe(EXIT.ok);
    for (const text of [
      'CAPTURE_KIT_DATABASE_URL',
      '--pglite',
      '--limit',
      '--older-than-ms',
      '12 some intents stay open',
    ]) {
      expect(io.out()).toContain(text);
    }
  });

  it('without a database: exit 3 naming the env var and the flag', async () => {
    const io = capturedIo(env);
    expect(await main(['reconcile'], io)).toBe(EXIT.config);
    expect(io.err()).toContain('CAPTURE_KIT_DATABASE_URL');
    expect(io.err()).toContain('--pglite');
  });

  it('bad --limit / --older-than-ms / --provider are usage errors naming the flag', async () => {
    for (const [argv, flag] of [
      [['--limit', 'ten'], '--limit'],
      [['--limit', '0'], '--limit'],
      [['--older-than-ms', '-5'], '--older-than-ms'],
      [['--provider', 'nope'], '--provider'],
    ] as const) {
      const io = capturedIo(env);
      expect(await main(['reconcile', '--pglite', join(root, 'unused'), ...argv], io)).toBe(
        EXIT.usage,
      );
      expect(io.err()).toContain(flag);
    }
  });

  it('an unreachable database: exit 3, and the password is never printed', async () => {
    const io = capturedIo({
      ...env,
      CAPTURE_KIT_DATABASE_URL: 'postgresql://capture:hunter2-secret@127.0.0.1:1/db',
    });
    expect(await main(['reconcile'], io)).toBe(EXIT.config);
    expect(io.err()).toContain('capture-kit reconcile:');
    expect(io.err()).toContain('CAPTURE_KIT_DATABASE_URL');
    expect(io.out() + io.err()).not.toContain('hunter2-secret');
  });

  it('--pglite: exit 12 while the provider cannot be asked, then 0 once the intent is resolved', async () => {
    const dataDir = join(root, 'pglite');
    const seed = pgliteJournal({ dataDir });
    const paymentId = await leftSending(seed, 'cli-pglite-1');
    await seed.close();

    // The provider cannot be reached: the intent stays open, exit 12.
    const down = capturedIo({ ...env, CAPTURE_KIT_CHECKOUT_BASE_URL: 'http://127.0.0.1:1' });
    expect(await main(['reconcile', '--pglite', dataDir], down)).toBe(EXIT.unknown);
    expect(down.out()).toContain('Reconciled 1 intent: 0 succeeded');
    expect(down.out()).toContain('1 still open');
    expect(down.out()).toContain('idempotencyKey=cli-pglite-1');

    const up = capturedIo(env);
    expect(await main(['reconcile', '--pglite', dataDir, '--json'], up)).toBe(EXIT.ok);
    const report = JSON.parse(up.out()) as ReportJson;
    expect(report).toMatchObject({
      claimed: 1,
      resolved: { succeeded: 1, failed: 0, absent: 0 },
      resent: 0,
      stillOpen: 0,
      ok: true,
    });
    expect(report.items[0]).toMatchObject({ idempotencyKey: 'cli-pglite-1', to: 'succeeded' });
    expect((await sim.payment(paymentId)).captures).toHaveLength(1);

    // Nothing left: a second run claims nothing and exits 0.
    const again = capturedIo(env);
    expect(await main(['reconcile', '--pglite', dataDir], again)).toBe(EXIT.ok);
    expect(again.out()).toContain('Reconciled 0 intents');
  }, 240_000);

  it.runIf(server)(
    'CAPTURE_KIT_DATABASE_URL + --schema + --limit: more open than --limit is exit 12, the rest on the next run',
    async () => {
      if (!server) return;
      const schema = server.schema();
      const seed = postgresJournal({ connectionString: server.url, schema });
      await leftSending(seed, 'cli-pg-1');
      await leftSending(seed, 'cli-pg-2');
      await seed.close();
      const pgEnv = { ...env, CAPTURE_KIT_DATABASE_URL: server.url };

      const first = capturedIo(pgEnv);
      expect(await main(['reconcile', '--schema', schema, '--limit', '1', '--json'], first)).toBe(
        EXIT.unknown,
      );
      expect(JSON.parse(first.out())).toMatchObject({ claimed: 1, stillOpen: 0, ok: false });

      const second = capturedIo(pgEnv);
      expect(await main(['reconcile', '--schema', schema, '--limit', '1'], second)).toBe(EXIT.ok);
      expect(second.out()).toContain('Reconciled 1 intent: 1 succeeded');
      expect(second.out() + second.err()).not.toContain(server.url);
    },
    60_000,
  );
});

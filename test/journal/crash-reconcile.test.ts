import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import type { CaptureJournal } from '../../src/core/journal.js';
import { pgliteJournal, postgresJournal } from '../../src/journals/postgres/index.js';
import { checkout } from '../../src/providers/checkout/index.js';
import { type FaultProxy, startFaultProxy } from '../../src/testing/fault-proxy.js';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';
import type { CrashJob } from './fixtures/capture-crash-worker.js';
import { forkFixture, killHard, nextMessage, until } from './fork-worker.js';
import { requireTestServer } from './postgres-test-server.js';

// A child process starts tsx and (for PGlite) a WebAssembly PostgreSQL: seconds, more on a
// busy machine.
const SLOW = 240_000;
/** The child's adapter timeout: far past the test, so the child is still waiting when killed. */
const CHILD_TIMEOUT_MS = 600_000;
/** The parent's clock after the "restart": past the dead attempt's in-flight window. */
const LATER = CHILD_TIMEOUT_MS + 3_600_000;

type Where = CrashJob['journal'];

let sim: CheckoutSimulator;
let proxy: FaultProxy;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'capture-kit-crash-'));
  sim = await startCheckoutSimulator();
  // The child talks to the simulator through the proxy (whose faults lose the answer or
  // the request); the parent's reconciler talks to the simulator directly.
  proxy = await startFaultProxy({ target: sim.baseUrl });
});

afterAll(async () => {
  await proxy?.close();
  await sim?.close();
  await rm(root, { recursive: true, force: true });
});

/**
 * Runs a capture in a child process over the journal at `where`, with `fault` on the
 * proxy, kills the child with SIGKILL once `reached` says the request got as far as the
 * test wants, and returns what the parent needs to recover.
 */
async function captureAndKill(
  where: Where,
  fault: 'timeout_after_forward' | 'timeout_before_forward',
): Promise<{ paymentId: string; key: string }> {
  const payment = await sim.authorize({ amount: 4200n, currency: 'EUR', cardBrand: 'visa' });
  const key = `crash-${randomUUID()}`;
  const seen = proxy.exchanges.length;
  proxy.inject({ on: 'capture', kind: fault, path: new RegExp(payment.paymentId) });
  const child = forkFixture('capture-crash-worker.ts');
  try {
    const ready = nextMessage<string>(child);
    const job: CrashJob = {
      journal: where,
      baseUrl: proxy.baseUrl,
      ...sim.credentials,
      paymentId: payment.paymentId,
      idempotencyKey: key,
      amount: '4200',
      currency: 'EUR',
      timeoutMs: CHILD_TIMEOUT_MS,
    };
    child.send(job);
    expect(await ready).toBe('ready');
    child.send('go');
    // Wait for the request to be where the fault holds it: after the simulator answered
    // (it committed the capture) or before anything was forwarded.
    await until(() =>
      proxy.exchanges
        .slice(seen)
        .some(
          (e) =>
            e.requestClass === 'capture' &&
            e.path.includes(payment.paymentId) &&
            (fault === 'timeout_after_forward'
              ? e.upstreamStatus !== undefined
              : e.state === 'held' && !e.forwarded),
        ),
    );
  } finally {
    await killHard(child);
  }
  return { paymentId: payment.paymentId, key };
}

/** The "restarted" application: a new client over the same journal, its clock moved on. */
function restartedClient(journal: CaptureJournal) {
  return createCaptureClient({
    providers: { cko: checkout({ ...sim.credentials, baseUrl: sim.baseUrl }) },
    journal,
    now: () => Date.now() + LATER,
  });
}

async function capturesAtSimulator(paymentId: string) {
  await sim.settle();
  return (await sim.payment(paymentId)).captures;
}

function crashSuite(
  name: string,
  where: () => Where | undefined,
  open: (where: Where) => CaptureJournal,
) {
  describe(name, () => {
    it(
      'killed after the simulator committed: reconcile finds the capture, exactly one exists',
      async () => {
        const at = where();
        if (!at) return;
        const { paymentId, key } = await captureAndKill(at, 'timeout_after_forward');
        expect(await capturesAtSimulator(paymentId)).toHaveLength(1);

        const journal = open(at);
        const client = restartedClient(journal);
        try {
          expect(await journal.get('cko', key)).toMatchObject({ state: 'sending', paymentId });
          const report = await client.reconcile();
          expect(report.items).toEqual([
            expect.objectContaining({ idempotencyKey: key, from: 'sending', to: 'succeeded' }),
          ]);
          expect(report.resent).toBe(0);
          expect(report.stillOpen).toBe(0);
          expect((await journal.get('cko', key))?.state).toBe('succeeded');
          const captures = await capturesAtSimulator(paymentId);
          expect(captures).toHaveLength(1);
          expect(captures[0]?.idempotencyKey).toBe(key);
          // Nothing is left for the next pass.
          expect((await client.reconcile()).claimed).toBe(0);
        } finally {
          await client.close();
          await journal.close();
        }
      },
      SLOW,
    );

    it(
      'killed before anything reached the provider: absent per the inquiry, re-sent with the same key, exactly one capture',
      async () => {
        const at = where();
        if (!at) return;
        const { paymentId, key } = await captureAndKill(at, 'timeout_before_forward');
        expect(await capturesAtSimulator(paymentId)).toHaveLength(0);

        const journal = open(at);
        const client = restartedClient(journal);
        try {
          expect(await journal.get('cko', key)).toMatchObject({ state: 'sending', paymentId });
          const first = await client.reconcile();
          // The inquiry found no capture (authoritative capture_not_found), so reconcile sent
          // it again under the SAME key; Checkout.com acknowledges with 202 → pending.
          expect(first.items).toEqual([
            expect.objectContaining({
              idempotencyKey: key,
              from: 'sending',
              to: 'pending',
              resent: true,
            }),
          ]);
          expect(first.resent).toBe(1);
          const captures = await capturesAtSimulator(paymentId);
          expect(captures).toHaveLength(1);
          expect(captures[0]?.idempotencyKey).toBe(key);

          // The next pass follows the pending capture to its result, without sending.
          const second = await client.reconcile();
          expect(second.items).toEqual([
            expect.objectContaining({ idempotencyKey: key, from: 'pending', to: 'succeeded' }),
          ]);
          expect(second.resent).toBe(0);
          expect((await journal.get('cko', key))?.state).toBe('succeeded');
          expect(await capturesAtSimulator(paymentId)).toHaveLength(1);
        } finally {
          await client.close();
          await journal.close();
        }
      },
      SLOW,
    );
  });
}

crashSuite(
  'SIGKILL mid-capture, then reconcile() over the same PGlite dataDir',
  () => ({ kind: 'pglite', dataDir: join(root, `data-${randomUUID()}`) }),
  (at) => pgliteJournal({ dataDir: (at as { dataDir: string }).dataDir }),
);

const server = await requireTestServer();
if (server) {
  afterAll(async () => {
    await server.dropSchemas();
    await server.end();
  });
}
crashSuite(
  'SIGKILL mid-capture, then reconcile() over the same PostgreSQL schema',
  () => (server ? { kind: 'postgres', url: server.url, schema: server.schema() } : undefined),
  (at) => {
    const pgAt = at as { url: string; schema: string };
    return postgresJournal({ connectionString: pgAt.url, schema: pgAt.schema });
  },
);

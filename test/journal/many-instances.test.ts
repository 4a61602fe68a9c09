import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import type { CaptureJournal } from '../../src/core/journal.js';
import type { ReconcileItem } from '../../src/core/reconcile.js';
import { postgresJournal } from '../../src/journals/postgres/index.js';
import { checkout } from '../../src/providers/checkout/index.js';
import { startFaultProxy } from '../../src/testing/fault-proxy.js';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';
import type { InstanceJob, InstanceResult } from './fixtures/capture-instance-worker.js';
import { forkFixture, killHard, nextMessage } from './fork-worker.js';
import { requireTestServer } from './postgres-test-server.js';

const server = await requireTestServer();

/** `/payments/{id}/…` → the payment id. */
const paymentOf = (path: string) => /\/payments\/([^/?]+)/.exec(path)?.[1] ?? '';

async function authorizeMany(sim: CheckoutSimulator, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const payment = await sim.authorize({
      amount: 1000n + BigInt(i),
      currency: 'EUR',
      cardBrand: 'visa',
    });
    ids.push(payment.paymentId);
  }
  return ids;
}

describe.runIf(server)('many instances over one PostgreSQL', () => {
  if (!server) return;
  let sim: CheckoutSimulator;
  beforeAll(async () => {
    sim = await startCheckoutSimulator();
  });
  afterAll(async () => {
    await sim?.close();
    await server.dropSchemas();
    await server.end();
  });

  it('two reconcilers at once over 500 open intents: each intent is inquired about and resolved exactly once', async () => {
    const schema = server.schema();
    const payments = await authorizeMany(sim, 500);
    // Each capture reached the provider (through a client with no durable journal), and
    // its process "died" before the answer was recorded: the shared journal holds it as
    // `sending`, long past its in-flight window.
    const direct = createCaptureClient({
      providers: { cko: checkout({ ...sim.credentials, baseUrl: sim.baseUrl }) },
    });
    const seed = postgresJournal({ connectionString: server.url, schema });
    const past = Date.now() - 3_600_000;
    for (let i = 0; i < payments.length; i += 50) {
      await Promise.all(
        payments.slice(i, i + 50).map(async (paymentId) => {
          const key = `k-${paymentId}`;
          const sent = await direct.capture({
            provider: 'cko',
            paymentId,
            idempotencyKey: key,
            final: true,
            context: { cardBrand: 'visa' },
          });
          expect(sent.isOk()).toBe(true);
          const begun = await seed.begin(
            {
              provider: 'cko',
              kind: 'checkout',
              idempotencyKey: key,
              paymentId,
              final: true,
              inFlightMs: 10_000,
            },
            { now: past, ignoreUnresolved: false },
          );
          expect(begun.action).toBe('send');
        }),
      );
    }
    await direct.close();
    await seed.close();
    await sim.settle();

    // Every inquiry passes the proxy; count the one that carries the answer (`/actions`).
    const inquiries = new Map<string, number>();
    const proxy = await startFaultProxy({
      target: sim.baseUrl,
      beforeForward: (request) => {
        if (request.requestClass === 'inquiry' && request.path.includes('/actions')) {
          const id = paymentOf(request.path);
          inquiries.set(id, (inquiries.get(id) ?? 0) + 1);
        }
      },
    });
    const journals: CaptureJournal[] = [];
    const reconciler = () => {
      const journal = postgresJournal({ connectionString: server.url, schema, poolSize: 4 });
      journals.push(journal);
      return createCaptureClient({
        providers: { cko: checkout({ ...sim.credentials, baseUrl: proxy.baseUrl }) },
        journal,
      });
    };
    const clients = [reconciler(), reconciler()];
    try {
      // Each reconciler keeps claiming batches until nothing is left for it.
      const drain = async (client: (typeof clients)[number]) => {
        const items: ReconcileItem[] = [];
        for (let pass = 0; pass < 100; pass++) {
          const report = await client.reconcile({ limit: 25, concurrency: 8 });
          if (report.claimed === 0) break;
          items.push(...report.items);
        }
        return items;
      };
      const [a, b] = await Promise.all(clients.map(drain));
      const items = [...(a ?? []), ...(b ?? [])];
      expect(items).toHaveLength(500);
      // SKIP LOCKED hands each reconciler its own rows: no key was handled twice. (How the
      // 500 split between the two depends on scheduling, so it is not asserted.)
      expect(new Set(items.map((item) => item.idempotencyKey)).size).toBe(500);
      expect(items.every((item) => item.to === 'succeeded' && !item.resent)).toBe(true);
      expect(inquiries.size).toBe(500);
      expect([...inquiries.values()].every((n) => n === 1)).toBe(true);
      const open = await clients[0]?.intents({ state: ['sending', 'unknown', 'pending'] });
      expect(open).toEqual([]);
      for (const paymentId of payments.slice(0, 20)) {
        expect((await sim.payment(paymentId)).captures).toHaveLength(1);
      }
    } finally {
      for (const client of clients) await client.close();
      for (const journal of journals) await journal.close();
      await proxy.close();
    }
  }, 240_000);

  it('two processes capture the same 200 payments with their own keys at once: each captured exactly once', async () => {
    const schema = server.schema();
    const payments = await authorizeMany(sim, 200);
    const children = ['a', 'b'].map((instance) => ({
      instance,
      child: forkFixture('capture-instance-worker.ts'),
    }));
    try {
      const ready = children.map(({ child }) => nextMessage<string>(child));
      for (const { instance, child } of children) {
        const job: InstanceJob = {
          url: server.url,
          schema,
          instance,
          payments,
          baseUrl: sim.baseUrl,
          ...sim.credentials,
        };
        child.send(job);
      }
      expect(await Promise.all(ready)).toEqual(['ready', 'ready']);
      const done = children.map(({ child }) => nextMessage<{ results: InstanceResult[] }>(child));
      for (const { child } of children) child.send('go');
      const results = (await Promise.all(done)).flatMap((r) => r.results);
      expect(results).toHaveLength(400);
      await sim.settle();

      const losers = new Map<string, number>();
      for (const paymentId of payments) {
        const captures = (await sim.payment(paymentId)).captures;
        expect(captures, paymentId).toHaveLength(1);
        const mine = results.filter((r) => r.paymentId === paymentId);
        const winner = mine.find((r) => r.key === captures[0]?.idempotencyKey);
        expect(winner?.result, paymentId).toMatch(/^(pending|succeeded)$/);
        for (const loser of mine.filter((r) => r !== winner)) {
          losers.set(loser.result, (losers.get(loser.result) ?? 0) + 1);
          // The loser was refused before sending while the winner was unresolved, or it saw
          // the payment already captured by the winner (the provider refused a second
          // Final capture): never a second capture.
          expect(loser.result, paymentId).toMatch(
            /^(not_attempted:unresolved_capture|failed:\w+)$/,
          );
        }
      }
      console.info('many-instances losers:', Object.fromEntries(losers));
    } finally {
      for (const { child } of children) await killHard(child);
    }
  }, 240_000);
});

/**
 * Child-process entry of the memory benchmark, started by `memory.ts` as
 * `node --expose-gc --import tsx bench/memory-client.ts <checkpoints> <concurrency> <library dir>`, so its
 * heap holds nothing but one capture client (no other benchmark's leftovers).
 *
 * It captures distinct, freshly authorized Checkout.com payments against a simulator in a
 * third process, in batches; at each checkpoint it drops the batch, runs a full GC twice
 * and reads `process.memoryUsage()`. It prints one JSON line: `{ checkpoints, seconds }`.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { loadLibrary } from './library.js';
import { killChildren, startSimProcess } from './sim-client.js';
import type { HeapCheckpoint } from './types.js';

const BATCH = 5_000;
const PAYMENT = { amount: 1000n, currency: 'EUR', cardBrand: 'visa' } as const;

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('memory-client.ts needs node --expose-gc');
  const checkpoints = (process.argv[2] ?? '').split(',').map(Number);
  const concurrency = Number(process.argv[3] ?? 64);
  const libraryDir = process.argv[4] ?? '';
  const last = checkpoints.at(-1);
  if (!last || checkpoints.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error('usage: memory-client.ts <checkpoint,...> <concurrency> <library dir>');
  }
  process.on('disconnect', () => {
    killChildren();
    process.exit(1);
  });

  const { createCaptureClient, checkout } = await loadLibrary(libraryDir);
  const sim = await startSimProcess('checkout', libraryDir);
  const { baseUrl, credentials } = sim.endpoint;
  const client = createCaptureClient({
    providers: {
      cko: checkout({
        secretKey: credentials.secretKey ?? '',
        webhookSecret: credentials.webhookSecret ?? '',
        baseUrl,
      }),
    },
  });

  let sequence = 0;
  async function captureBatch(count: number): Promise<void> {
    let ids: string[] | undefined = await sim.authorize(count, PAYMENT);
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        const paymentId = ids?.[i];
        if (paymentId === undefined) return;
        sequence += 1;
        const result = await client.capture({
          provider: 'cko',
          paymentId,
          amount: { currency: PAYMENT.currency, value: PAYMENT.amount },
          idempotencyKey: `mem-${sequence}`,
        });
        if (result.isErr()) throw new Error(`capture failed: ${result.error.message}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    ids = undefined;
  }

  async function read(captures: number): Promise<HeapCheckpoint> {
    // Let sockets and timers of the last responses settle, and let finalization callbacks
    // that a first collection schedules run, before the collection that is measured.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) await nextTurn();
      gc?.();
    }
    const usage = process.memoryUsage();
    return {
      captures,
      heapUsed: usage.heapUsed,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
      rss: usage.rss,
    };
  }

  // Warm-up: JIT, the connection pool, the simulator's first allocations.
  await captureBatch(Math.min(BATCH, Math.max(1_000, Math.round(last / 10))));
  const results: HeapCheckpoint[] = [await read(0)];
  const started = performance.now();
  let done = 0;
  for (const checkpoint of checkpoints) {
    while (done < checkpoint) {
      const count = Math.min(BATCH, checkpoint - done);
      await captureBatch(count);
      done += count;
    }
    results.push(await read(done));
  }
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  await sim.close();
  process.stdout.write(`${JSON.stringify({ checkpoints: results, seconds, captures: done })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `memory-client: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    killChildren();
    process.exit(1);
  },
);

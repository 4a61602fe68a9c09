/**
 * Child-process entry of the memory benchmark, started by `memory.ts` as
 * `node --expose-gc --import tsx bench/memory-client.ts <checkpoints> <concurrency> <library dir>`, so its
 * heap holds nothing but one capture client (no other benchmark's leftovers).
 *
 * It captures distinct, freshly authorized Checkout.com payments against a simulator in a
 * third process, in batches; at each checkpoint it drops the batch, runs a full GC twice
 * and reads `process.memoryUsage()`. It prints one JSON line: `{ checkpoints, seconds }`.
 *
 * Each capture is then settled as in production: its signed `payment_captured` webhook is
 * handed to `client.parseWebhook()`. Without it every intent would stay `pending` and the
 * memory journal (as shipped) would rightly refuse new captures past `maxOpen`; with it,
 * settled intents expire by count (`maxSettled`), and the heap must stay flat.
 */
import { createHmac } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { loadLibrary } from './library.js';
import { killChildren, startSimProcess } from './sim-client.js';
import type { HeapCheckpoint } from './types.js';

const BATCH = 5_000;
/**
 * Captures until the default memory journal is in its steady state: it keeps the last
 * 10,000 settled intents (`maxSettled`), and its expiry queue is compacted once half of it
 * is dead, so its arrays reach their full size after twice that; plus one batch.
 */
const JOURNAL_STEADY_STATE = 2 * 10_000 + BATCH;
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

  const webhookSecret = credentials.webhookSecret ?? '';
  /** The signed `payment_captured` delivery Checkout.com sends for one capture. */
  function capturedWebhook(paymentId: string, actionId: string, key: string) {
    const rawBody = Buffer.from(
      JSON.stringify({
        id: `evt_${key}`,
        type: 'payment_captured',
        version: '1.0.0',
        created_on: new Date().toISOString(),
        data: {
          id: paymentId,
          action_id: actionId,
          amount: Number(PAYMENT.amount),
          currency: PAYMENT.currency,
          response_code: '10000',
          metadata: { capture_kit_idempotency_key: key },
        },
      }),
    );
    const signature = createHmac('sha256', webhookSecret).update(rawBody).digest('hex');
    return {
      method: 'POST',
      path: '/webhooks/cko',
      headers: { 'content-type': 'application/json', 'cko-signature': signature },
      rawBody,
    };
  }

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
        const key = `mem-${sequence}`;
        const result = await client.capture({
          provider: 'cko',
          paymentId,
          amount: { currency: PAYMENT.currency, value: PAYMENT.amount },
          idempotencyKey: key,
        });
        if (result.isErr()) throw new Error(`capture failed: ${result.error.message}`);
        const actionId = result.value.captureId;
        if (!actionId) throw new Error('capture answered without a captureId (action id)');
        const event = await client.parseWebhook('cko', capturedWebhook(paymentId, actionId, key));
        if (event.isErr()) throw new Error(`webhook refused: ${event.error.message}`);
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

  // Warm-up: JIT, the connection pool, the simulator's first allocations — and the memory
  // journal filled to its steady state (as shipped it keeps the last 10,000 settled
  // intents), so the readings measure growth per capture, not the journal filling up.
  for (let warm = 0; warm < JOURNAL_STEADY_STATE; warm += BATCH) await captureBatch(BATCH);
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

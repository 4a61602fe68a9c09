/**
 * Webhook verification, one provider at a time, with the compiled library and the same
 * deliveries as `bench/webhooks.ts` (a fixed pool of different events, cycled).
 *
 *   npx tsx bench/webhook-driver.ts <checkout|antom> <kit|raw|raw+json> [count=20000] [rounds=5] [--settle]
 *
 * `kit` is `client.parseWebhook()`; `raw` the bare `node:crypto` check of the benchmark;
 * `raw+json` that check plus `JSON.parse` of the body (the issue-13 ceiling). With
 * `--settle` (Checkout.com, `kit` only) every delivery settles a pending intent: the
 * driver first captures one payment per delivery through an in-process dispatcher that
 * answers 202, so each webhook finds its intent and applies `succeeded` to it, as in
 * production; without it no intent matches (the benchmark's case).
 *
 * Timings move with the machine; instruction counts do not:
 *
 *   valgrind --tool=callgrind --callgrind-out-file=/tmp/wh.%p node --import tsx \
 *     bench/webhook-driver.ts checkout kit 2000 1
 *
 * for two counts (2 000 and 4 000); the difference of the totals divided by 2 000 is the
 * instructions per call. Everything before the measured loop (keys, signing, warm-up) is
 * the same for both counts, so it cancels out (the Antom keys are generated once and kept in
 * the temporary directory, since generating one does a random amount of work).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebhookRequest } from '../src/core/webhook-types.js';
import { acceptingDispatcher } from './accepting-dispatcher.js';
import { buildLibrary, loadLibrary } from './library.js';
import {
  ANTOM_POOL,
  type AntomBenchKeys,
  antomBenchKeys,
  antomWebhookCase,
  CHECKOUT_POOL,
  checkoutSettleDeliveries,
  checkoutWebhookCase,
} from './webhooks.js';

const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const settle = process.argv.includes('--settle');
const [provider = 'checkout', mode = 'kit', countText = '20000', roundsText = '5'] = args;
if (provider !== 'checkout' && provider !== 'antom') {
  throw new Error('provider must be checkout or antom');
}
if (mode !== 'kit' && mode !== 'raw' && mode !== 'raw+json') {
  throw new Error('mode must be kit, raw or raw+json');
}
if (settle && (provider !== 'checkout' || mode !== 'kit')) {
  throw new Error('--settle is for checkout kit only');
}
const count = Number(countText);
const rounds = Number(roundsText);
const WARMUP = 2_000;
/** Pending intents a --settle run needs: warm-up plus every measured delivery, at most. */
const SETTLE_POOL = 12_000;

/**
 * The Antom case's keys, generated once and kept in the temporary directory: key generation
 * does a random amount of work, which would not cancel out between two counted runs.
 */
async function savedAntomKeys(): Promise<AntomBenchKeys> {
  const file = join(tmpdir(), 'capture-kit-webhook-driver-keys.json');
  const saved = await readFile(file, 'utf8').catch(() => undefined);
  if (saved !== undefined) return JSON.parse(saved) as AntomBenchKeys;
  const keys = antomBenchKeys();
  await writeFile(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

const dir = process.env.CAPTURE_KIT_LIB ?? (await buildLibrary());
const lib = await loadLibrary(dir);

let item = provider === 'checkout' ? checkoutWebhookCase(lib, CHECKOUT_POOL) : undefined;
item ??= antomWebhookCase(lib, ANTOM_POOL, await savedAntomKeys());
let deliveries: readonly WebhookRequest[] = item.deliveries;
let client = item.client;
if (settle) {
  const settled = checkoutSettleDeliveries(
    lib,
    SETTLE_POOL,
    // The action id is the key's, so each settling webhook can name its capture.
    acceptingDispatcher((key) => `act_${key}`),
  );
  client = settled.client;
  deliveries = settled.deliveries;
  for (const [i, payment] of settled.payments.entries()) {
    const result = await client.capture({
      provider: 'bench',
      paymentId: payment,
      amount: { currency: 'EUR', value: 1000n },
      idempotencyKey: settled.keys[i] as string,
    });
    if (result.isErr() || result.value.status !== 'pending') {
      throw new Error(`capture ${i} did not end pending`);
    }
  }
}
const size = deliveries.length;
if (settle && WARMUP + rounds * count > size) {
  throw new Error(`--settle needs at most ${size} deliveries in all; lower count or rounds`);
}
const verify = item.verify;
let next = 0;
const op: () => Promise<void> | undefined =
  mode === 'kit'
    ? async () => {
        const result = await client.parseWebhook(
          'bench',
          deliveries[next++ % size] as WebhookRequest,
        );
        if (result.isErr()) throw new Error(result.error.message);
      }
    : mode === 'raw'
      ? () => {
          if (!verify(deliveries[next++ % size] as WebhookRequest)) throw new Error('raw failed');
          return undefined;
        }
      : () => {
          const delivery = deliveries[next++ % size] as WebhookRequest;
          if (!verify(delivery)) throw new Error('raw failed');
          JSON.parse((delivery.rawBody as Buffer).toString('utf8'));
          return undefined;
        };

// As the benchmark's loop does: only a promise is awaited.
const run = async () => {
  const pending = op();
  if (pending) await pending;
};
for (let i = 0; i < WARMUP; i++) await run();
for (let round = 0; round < rounds; round++) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) await run();
  const used = process.cpuUsage(cpu);
  process.stderr.write(
    `${provider} ${mode}${settle ? ' settle' : ''}: ${(((performance.now() - started) * 1000) / count).toFixed(2)} µs wall, ${((used.user + used.system) / count).toFixed(2)} µs CPU per call\n`,
  );
}
if (settle) {
  const open = await client.intents({ state: 'pending', limit: 1_000_000 });
  process.stderr.write(`pending intents left: ${open.length}\n`);
}
await client.close();

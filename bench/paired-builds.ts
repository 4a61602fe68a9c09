/**
 * Two builds of the library compared in ONE process: CPU per Checkout.com capture through
 * `client.capture()` and an in-process dispatcher (bench/accepting-dispatcher.ts), the two
 * builds' segments alternated so both share the machine's every moment. On a VM whose speed
 * swings between minutes, this separates a change from the machine where two processes run
 * one after the other cannot (bench/FINDINGS.md, session 6).
 *
 *   git worktree add ../before <rev>
 *   npx tsc -p ../before/tsconfig.build.json --outDir node_modules/.cache/lib-before
 *   npx tsc -p tsconfig.build.json --outDir node_modules/.cache/lib-after
 *   npx tsx bench/paired-builds.ts node_modules/.cache/lib-before node_modules/.cache/lib-after 40 5000 64
 *
 * Arguments: the two compiled directories (inside node_modules, so their imports resolve),
 * then pairs (default 30), captures per segment (5 000) and concurrency (1). Each build gets a
 * new client every 10 000 captures, as a bench segment does. Prints the median CPU per capture
 * of each and the median of the per-pair ratios (after / before), with their range.
 */
import { resolve } from 'node:path';
import { acceptingDispatcher } from './accepting-dispatcher.js';
import { loadLibrary } from './library.js';
import { median } from './stats.js';

const [before, after, pairsText = '30', perText = '5000', concurrencyText = '1'] =
  process.argv.slice(2);
if (!before || !after) {
  throw new Error(
    'usage: npx tsx bench/paired-builds.ts <before-dir> <after-dir> [pairs] [per-segment] [concurrency]',
  );
}
const pairs = Number(pairsText);
const perSegment = Number(perText);
const concurrency = Number(concurrencyText);
const dispatcher = acceptingDispatcher();
const secretKey = 'sk_sbox_paired_builds_000000000000';
const paymentId = (i: number) => `pay_${i.toString(36).padStart(26, '0')}`;
let next = 0;

/** Runs `count` captures with `concurrency` workers on one build; a new client every 10 000. */
async function captures(dir: string): Promise<(count: number) => Promise<void>> {
  const lib = await loadLibrary(resolve(dir));
  const newClient = () =>
    lib.createCaptureClient({
      providers: {
        p: lib.checkout({
          secretKey,
          webhookSecret: 'whsec_paired',
          baseUrl: 'https://api.sandbox.checkout.com',
          dispatcher,
        } as never),
      },
    });
  let client = newClient();
  let used = 0;
  return async (count) => {
    if (used >= 10_000) {
      await client.close();
      client = newClient();
      used = 0;
    }
    used += count;
    let left = count;
    const worker = async () => {
      while (left-- > 0) {
        const i = next++;
        const result = await client.capture({
          provider: 'p',
          paymentId: paymentId(i),
          amount: { currency: 'EUR', value: 1000n },
          idempotencyKey: `paired-${i}`,
        });
        if (result.isErr()) throw new Error(result.error.message);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
}

const runs = [await captures(before), await captures(after)] as const;
for (const run of runs) for (let i = 0; i < 2; i++) await run(2_000); // JIT warm-up
const cpu: [number[], number[]] = [[], []];
for (let pair = 0; pair < pairs; pair++) {
  // Which build goes first alternates, so neither always runs right after a collection.
  for (const side of pair % 2 === 0 ? [0, 1] : [1, 0]) {
    const started = process.cpuUsage();
    await (runs[side] as (count: number) => Promise<void>)(perSegment);
    const used = process.cpuUsage(started);
    cpu[side]?.push((used.user + used.system) / perSegment);
  }
}
const ratios = cpu[1].map((value, i) => value / (cpu[0][i] as number));
process.stdout.write(
  `before ${median(cpu[0]).toFixed(2)} µs, after ${median(cpu[1]).toFixed(2)} µs CPU per capture; after / before ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), ${pairs} pairs of ${perSegment} at concurrency ${concurrency}\n`,
);

/**
 * Sync vs thread-pool RSA (issue 13, bench/FINDINGS.md): one RSA-2048 signature at a time,
 * and many in flight at once, for `signRsa256Async` in each mode, with the event-loop delay
 * while they run. Run from a build, as the library ships:
 *
 *   npx tsx bench/rsa-offload.ts [in-flight=2000] [rounds=3]
 */
import { generateKeyPairSync } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type * as Offload from '../src/provider-kit/rsa-offload.js';
import { buildLibrary, moduleUrl } from './library.js';

const [manyText = '2000', roundsText = '3'] = process.argv.slice(2);
const many = Number(manyText);
const rounds = Number(roundsText);
const dir = await buildLibrary();
const { signRsa256Async } = (await import(
  moduleUrl(dir, 'provider-kit/rsa-offload.js')
)) as typeof Offload;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const content = Buffer.alloc(300, 7);
const modes = ['sync', 'pool', 'auto'] as const;

async function oneAtATime(mode: (typeof modes)[number], count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await signRsa256Async(content, privateKey, mode);
  return ((performance.now() - started) * 1000) / count;
}

async function allAtOnce(mode: (typeof modes)[number], count: number) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 30));
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, () => signRsa256Async(content, privateKey, mode)),
  );
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  return {
    perSec: (count / ms) * 1000,
    p99: Math.max(0, histogram.percentile(99) / 1e6 - 10),
    max: Math.max(0, histogram.max / 1e6 - 10),
    cpu: (used.user + used.system) / count,
  };
}

for (const mode of modes) await oneAtATime(mode, 50);
for (let round = 1; round <= rounds; round++) {
  for (const mode of modes) {
    const single = await oneAtATime(mode, 300);
    const burst = await allAtOnce(mode, many);
    process.stdout.write(
      `round ${round} ${mode.padEnd(4)}: one at a time ${single.toFixed(0)} µs/signature; ${many} at once ${burst.perSec.toFixed(0)}/s, loop delay p99 ${burst.p99.toFixed(1)} ms max ${burst.max.toFixed(1)} ms, CPU ${burst.cpu.toFixed(0)} µs/signature\n`,
    );
  }
}

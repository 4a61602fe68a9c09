import { firstJsonLine, spawnTsx } from './sim-client.js';
import { fitLine } from './stats.js';
import type { HeapCheckpoint, MemoryResult, Profile } from './types.js';

/**
 * Memory: the client's heap after 100 000 captures against the Checkout.com simulator.
 * The capturing client runs in its own process (`memory-client.ts`, with `--expose-gc`)
 * so that nothing else lives in its heap.
 */

const CONCURRENCY = 64;
/**
 * Largest slope still called flat. Retaining anything at all per capture (one small
 * object is 30-100 bytes) would show as tens of bytes per capture or more; 8 B/capture
 * over 100 000 captures is 0.8 MB, the size of ordinary GC noise between readings.
 */
const FLAT_BELOW = 8;

interface MemoryClientReport {
  readonly checkpoints: readonly HeapCheckpoint[];
  readonly seconds: number;
  readonly captures: number;
}

/**
 * Runs the memory benchmark.
 *
 * @example
 * ```ts
 * const result = await memoryGrowth(libraryDir, profile);
 * console.log(result.slopeBytesPerCapture);
 * ```
 */
export async function memoryGrowth(libraryDir: string, profile: Profile): Promise<MemoryResult> {
  const child = spawnTsx(
    'bench/memory-client.ts',
    [profile.memoryCheckpoints.join(','), String(CONCURRENCY), libraryDir],
    { nodeFlags: ['--expose-gc'], ipc: true },
  );
  const report = await firstJsonLine<MemoryClientReport>(child, 'the memory benchmark client');
  if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  // The first reading (right after warm-up) anchors the line like every other.
  const points = report.checkpoints.map((c) => [c.captures, c.heapUsed] as const);
  const withExternal = report.checkpoints.map(
    (c) => [c.captures, c.heapUsed + c.external] as const,
  );
  const slope = fitLine(points).slope;
  const total = report.checkpoints.at(-1)?.captures ?? 0;
  return {
    kind: 'memory',
    id: 'memory',
    title: `Client heap over ${total.toLocaleString('en-US')} captures`,
    setup: [
      `${total.toLocaleString('en-US')} Checkout.com captures through \`client.capture()\`, ${CONCURRENCY} in flight, each of its own freshly authorized payment (no replays),`,
      'in batches of 5 000 payment ids fetched from the simulator process just before they are captured;',
      'each capture is then settled by its signed `payment_captured` webhook through `client.parseWebhook()`, as in production, so the memory journal (as shipped: 10 000 settled intents kept) reaches its steady state.',
      'The client runs in its own process started with `--expose-gc`; after the warm-up it reads `process.memoryUsage()` after two full GCs at each checkpoint.',
      "The simulator's own state (every payment and capture) grows in the simulator's process, not in the client.",
    ].join(' '),
    checkpoints: report.checkpoints,
    slopeBytesPerCapture: slope,
    slopeWithExternalBytesPerCapture: fitLine(withExternal).slope,
    flatBelowBytesPerCapture: FLAT_BELOW,
    capturesPerSec: report.captures / report.seconds,
    notes: [],
  };
}

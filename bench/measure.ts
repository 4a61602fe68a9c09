import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { median, quantile } from './stats.js';

/**
 * The measuring loop shared by every benchmark: calibrate, then run the contenders
 * interleaved (a rotating ABC / BCA / CAB order, so no contender always runs first or
 * last), one measured segment per contender per round, and keep the medians of rounds.
 */

/** What one contender needs for one measured segment, prepared before the clock starts. */
export interface Segment {
  /** One operation. `index` runs from 0 (warm-up operations first, then measured ones). */
  op(index: number): Promise<void> | void;
  /** Untimed clean-up (close pools, clients). */
  teardown?(): Promise<void>;
}

/** One way of doing the work being compared. */
export interface Contender {
  /** Short id, e.g. `capture-kit`. */
  readonly name: string;
  /** What a reader sees in tables and the chart. */
  readonly label: string;
  /** In-flight operations (closed loop): 1 = one after the other. */
  readonly concurrency: number;
  /** Whether the operation talks to the simulator (then its CPU use is reported). */
  readonly usesSimulator: boolean;
  /**
   * Prepares a segment able to run `ops` operations: fresh simulator state, clients,
   * authorized payments. Nothing here is timed.
   */
  setup(ops: number): Promise<Segment>;
}

/** How long and how often to measure. */
export interface MeasureOptions {
  readonly rounds: number;
  /** Target length of one measured segment; the operation count is calibrated to it. */
  readonly segmentMs: number;
  /** Untimed operations at the start of every segment (connections, caches). */
  readonly warmupOps: number;
  /** Operations of each calibration run. */
  readonly calibrationOps: number;
  /** Calibration runs before measuring: all warm the JIT, the last one sizes the segments. */
  readonly calibrationRuns: number;
  readonly minOps: number;
  readonly maxOps: number;
  /** Record per-operation latency (skip for micro-operations, where the timer itself costs). */
  readonly latency: boolean;
  /** CPU µs used so far by the simulator process, when there is one. */
  readonly simulatorCpu?: () => Promise<number>;
  /** Called after each segment, for progress output. */
  readonly onSample?: (contender: Contender, sample: SegmentSample, round: number) => void;
}

/** What is measured per segment, and reported as medians per contender. */
export interface Measures {
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU µs this (client) process spent per operation. */
  readonly clientCpuUsPerOp: number;
  /** CPU µs the simulator process spent per operation (0 when not measured). */
  readonly simCpuUsPerOp: number;
  /** Simulator CPU time / wall time during the segment: 1.0 = one core fully busy. */
  readonly simBusy: number;
}

/** One measured segment. */
export interface SegmentSample extends Measures {
  readonly ops: number;
  readonly seconds: number;
}

/** A contender's medians over all rounds. */
export interface ContenderResult extends Measures {
  readonly name: string;
  readonly label: string;
  readonly concurrency: number;
  readonly usesSimulator: boolean;
  readonly samples: readonly SegmentSample[];
}

let collect: ((options?: { type: 'major' | 'minor' }) => void) | undefined;

/**
 * Runs a garbage collection: `'full'` (a major GC, for heap readings) or `'young'` (a
 * scavenge of the young generation only). Between measured segments the benchmarks use
 * `'young'`, so one contender's short-lived garbage is not collected on the next one's time:
 * a forced major GC there also threw away compiled code, and every segment then ran partly
 * cold — it doubled the client CPU per operation of every contender and hurt most the one
 * with the most JavaScript (bench/FINDINGS.md, session 4). Uses `global.gc` when Node runs
 * with `--expose-gc`, otherwise turns the flag on at run time.
 */
export function collectGarbage(kind: 'full' | 'young' = 'full'): void {
  if (!collect) {
    const exposed = (globalThis as { gc?: typeof collect }).gc;
    if (exposed) collect = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as typeof collect;
    }
  }
  collect?.(kind === 'young' ? { type: 'minor' } : undefined);
}

/** Runs operations `from`..`from + ops - 1` with `concurrency` workers; returns latencies. */
async function closedLoop(
  segment: Segment,
  from: number,
  ops: number,
  concurrency: number,
  latencies: Float64Array | undefined,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= ops) return;
      const started = latencies ? performance.now() : 0;
      const pending = segment.op(from + i);
      if (pending) await pending;
      if (latencies) latencies[i] = performance.now() - started;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, ops)) }, worker));
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Sets up, warms and measures one segment of `ops` operations. */
async function measureSegment(
  contender: Contender,
  ops: number,
  options: MeasureOptions,
): Promise<SegmentSample> {
  const segment = await contender.setup(options.warmupOps + ops);
  try {
    await closedLoop(segment, 0, options.warmupOps, contender.concurrency, undefined);
    collectGarbage('young');
    const latencies = options.latency ? new Float64Array(ops) : undefined;
    const simBefore =
      contender.usesSimulator && options.simulatorCpu ? await options.simulatorCpu() : 0;
    const cpuBefore = cpuMicros();
    const started = performance.now();
    await closedLoop(segment, options.warmupOps, ops, contender.concurrency, latencies);
    const seconds = (performance.now() - started) / 1000;
    const clientCpu = cpuMicros() - cpuBefore;
    const simAfter =
      contender.usesSimulator && options.simulatorCpu ? await options.simulatorCpu() : 0;
    return {
      ops,
      seconds,
      opsPerSec: ops / seconds,
      p50Ms: latencies ? quantile(latencies, 0.5) : Number.NaN,
      p99Ms: latencies ? quantile(latencies, 0.99) : Number.NaN,
      clientCpuUsPerOp: clientCpu / ops,
      simCpuUsPerOp: (simAfter - simBefore) / ops,
      simBusy: (simAfter - simBefore) / 1e6 / seconds,
    };
  } finally {
    await segment.teardown?.();
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/**
 * Calibrates each contender (untimed runs that warm the JIT; the last one's rate sizes its
 * segments to `segmentMs`), then measures `rounds` rounds with the contenders interleaved,
 * rotating the order every round.
 *
 * @example
 * ```ts
 * const results = await runInterleaved([kit, raw], { rounds: 5, segmentMs: 1500, warmupOps: 100,
 *   calibrationOps: 500, calibrationRuns: 2, minOps: 200, maxOps: 50_000, latency: true });
 * ```
 */
export async function runInterleaved(
  contenders: readonly Contender[],
  options: MeasureOptions,
): Promise<ContenderResult[]> {
  const opsPerSegment = new Map<Contender, number>();
  for (const contender of contenders) {
    let estimate = await measureSegment(contender, options.calibrationOps, options);
    for (let run = 1; run < options.calibrationRuns; run++) {
      estimate = await measureSegment(contender, options.calibrationOps, options);
    }
    const ops = Math.round((estimate.opsPerSec * options.segmentMs) / 1000);
    opsPerSegment.set(contender, clamp(ops, options.minOps, options.maxOps));
  }
  const samples = new Map<Contender, SegmentSample[]>(contenders.map((c) => [c, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length] as Contender;
      const sample = await measureSegment(
        contender,
        opsPerSegment.get(contender) ?? options.minOps,
        options,
      );
      samples.get(contender)?.push(sample);
      options.onSample?.(contender, sample, round);
    }
  }
  return contenders.map((contender) => {
    const list = samples.get(contender) ?? [];
    const pick = (key: keyof Measures) => median(list.map((s) => s[key]));
    const keys = [
      'opsPerSec',
      'p50Ms',
      'p99Ms',
      'clientCpuUsPerOp',
      'simCpuUsPerOp',
      'simBusy',
    ] as const satisfies readonly (keyof Measures)[];
    const medians = Object.fromEntries(keys.map((key) => [key, pick(key)])) as Record<
      (typeof keys)[number],
      number
    >;
    return {
      name: contender.name,
      label: contender.label,
      concurrency: contender.concurrency,
      usesSimulator: contender.usesSimulator,
      samples: list,
      ...medians,
    };
  });
}

/** A subject/baseline ratio over rounds: each round's pair, then the median and range. */
export interface PairedRatio {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Ratio of ops/s between two contenders, paired round by round (they ran back to back
 * in the same round, so slow drift of the machine cancels out).
 *
 * @example
 * ```ts
 * pairedRatio(kitResult, rawResult); // { median: 0.93, min: 0.9, max: 0.97 }
 * ```
 */
export function pairedRatio(subject: ContenderResult, baseline: ContenderResult): PairedRatio {
  return pairedBy(subject, baseline, (sample) => sample.opsPerSec);
}

/**
 * Ratio of client CPU per operation between two contenders, paired round by round (how
 * much more CPU the subject spends on one operation: 1.25 = 25 % more).
 *
 * @example
 * ```ts
 * pairedCpuRatio(kitResult, rawResult); // { median: 1.18, min: 1.1, max: 1.3 }
 * ```
 */
export function pairedCpuRatio(subject: ContenderResult, baseline: ContenderResult): PairedRatio {
  return pairedBy(subject, baseline, (sample) => sample.clientCpuUsPerOp);
}

function pairedBy(
  subject: ContenderResult,
  baseline: ContenderResult,
  value: (sample: SegmentSample) => number,
): PairedRatio {
  const ratios = subject.samples.map((sample, i) => {
    const other = baseline.samples[i];
    return other ? value(sample) / value(other) : Number.NaN;
  });
  const finite = ratios.filter(Number.isFinite);
  return {
    median: median(finite),
    min: Math.min(...finite),
    max: Math.max(...finite),
  };
}

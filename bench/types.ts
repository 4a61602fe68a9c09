import type { ContenderResult, MeasureOptions, PairedRatio } from './measure.js';

/** How much to measure: `full` for RESULTS.md, `quick` for CI (reports, never asserts). */
export interface Profile {
  readonly name: 'full' | 'quick';
  readonly rounds: number;
  /** Target length of one measured capture segment. */
  readonly captureSegmentMs: number;
  /** Target length of one measured webhook segment. */
  readonly webhookSegmentMs: number;
  /** Captures in the memory run, and where the heap is read. */
  readonly memoryCheckpoints: readonly number[];
}

/** The measuring settings a throughput benchmark uses for one concurrency. */
export function captureMeasureOptions(
  profile: Profile,
  concurrency: number,
): Omit<MeasureOptions, 'simulatorCpu' | 'onSample'> {
  const quick = profile.name === 'quick';
  return {
    rounds: profile.rounds,
    segmentMs: profile.captureSegmentMs,
    // Enough to open every connection of the pool before the clock starts.
    warmupOps: Math.max(50, 2 * concurrency),
    calibrationOps: Math.max(quick ? 150 : 400, 4 * concurrency),
    calibrationRuns: quick ? 1 : 2,
    minOps: Math.max(100, 2 * concurrency),
    maxOps: 40_000,
    latency: true,
  };
}

/** One "subject vs baseline" line of a table, with the target when it has one. */
export interface Comparison {
  readonly subject: string;
  readonly baseline: string;
  readonly ratio: PairedRatio;
  /**
   * What is compared: `throughput` (ops/s, higher is better; the default) or `client-cpu`
   * (client CPU per operation, lower is better).
   */
  readonly metric?: 'throughput' | 'client-cpu';
  /**
   * The subject/baseline ratio the issue asks for: a minimum for throughput, a maximum for
   * client CPU. Absent = shown for information.
   */
  readonly target?: number;
}

/** A throughput benchmark's outcome. */
export interface ThroughputResult {
  readonly kind: 'throughput';
  readonly id: string;
  readonly title: string;
  /** `captures/s`, `verifications/s`, … */
  readonly unit: string;
  /** What exactly ran: request, concurrency, segment sizes. Markdown. */
  readonly setup: string;
  readonly contenders: readonly ContenderResult[];
  readonly comparisons: readonly Comparison[];
  readonly notes: readonly string[];
}

/** One heap reading of the memory benchmark. */
export interface HeapCheckpoint {
  readonly captures: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rss: number;
}

/** The memory benchmark's outcome. */
export interface MemoryResult {
  readonly kind: 'memory';
  readonly id: string;
  readonly title: string;
  readonly setup: string;
  readonly checkpoints: readonly HeapCheckpoint[];
  /** Least-squares slope of heapUsed over the checkpoints after warm-up. */
  readonly slopeBytesPerCapture: number;
  /** Same for heapUsed + external (buffers live outside the JS heap). */
  readonly slopeWithExternalBytesPerCapture: number;
  /** Largest slope still called flat. */
  readonly flatBelowBytesPerCapture: number;
  readonly capturesPerSec: number;
  readonly notes: readonly string[];
}

/** One contender of the event-loop delay benchmark (one burst per round). */
export interface LoopDelayContender {
  readonly name: string;
  readonly label: string;
  /** Per round: p99 and max of `monitorEventLoopDelay` while the burst was in flight (ms). */
  readonly p99Ms: readonly number[];
  readonly maxMs: readonly number[];
  /** Per round: from the first capture started to the last answered (ms). */
  readonly burstMs: readonly number[];
  /** Per round: client CPU per capture (µs). */
  readonly clientCpuUsPerOp: readonly number[];
}

/** The event-loop delay benchmark's outcome. */
export interface LoopDelayResult {
  readonly kind: 'loop-delay';
  readonly id: string;
  readonly title: string;
  readonly setup: string;
  /** Captures started at once in each burst. */
  readonly burst: number;
  readonly contenders: readonly LoopDelayContender[];
  /** The contender the target is about. */
  readonly subject: string;
  /** Largest p99 (median of rounds) the issue accepts, in ms. */
  readonly targetP99Ms: number;
  readonly notes: readonly string[];
}

/** Any benchmark's outcome. */
export type BenchResult = ThroughputResult | MemoryResult | LoopDelayResult;

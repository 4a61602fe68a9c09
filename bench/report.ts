import type { MachineInfo } from './machine.js';
import type { ContenderResult } from './measure.js';
import { formatBytes, formatMs, formatRate, formatRatio, median } from './stats.js';
import type {
  BenchResult,
  Comparison,
  LoopDelayResult,
  MemoryResult,
  Profile,
  ThroughputResult,
} from './types.js';

/** Everything one `npm run bench` produced. */
export interface RunRecord {
  readonly profile: Profile;
  readonly command: string;
  readonly startedAt: Date;
  readonly wallSeconds: number;
  readonly machine: MachineInfo;
  readonly results: readonly BenchResult[];
  /** Hand-written notes (profiling findings) appended verbatim, if any. */
  readonly findings?: string;
}

function contenderLabel(result: ThroughputResult, name: string): string {
  return result.contenders.find((c) => c.name === name)?.label ?? name;
}

/** Whether a comparison reached its target; undefined when it has none. */
export function targetMet(comparison: Comparison): boolean | undefined {
  if (comparison.target === undefined) return undefined;
  return comparison.metric === 'client-cpu'
    ? comparison.ratio.median <= comparison.target
    : comparison.ratio.median >= comparison.target;
}

/** `≥ 0.9×` for throughput, `≤ 1.25×` for client CPU. */
function targetCell(comparison: Comparison): string {
  if (comparison.target === undefined) return '(information)';
  return `${comparison.metric === 'client-cpu' ? '≤' : '≥'} ${comparison.target}×`;
}

function comparisonLabel(result: ThroughputResult, comparison: Comparison): string {
  const pair = `${contenderLabel(result, comparison.subject)} / ${contenderLabel(result, comparison.baseline)}`;
  return comparison.metric === 'client-cpu' ? `client CPU per op, ${pair}` : pair;
}

/** Median over rounds of the loop-delay subject's p99, and whether it met the target. */
export function loopDelayVerdict(result: LoopDelayResult): {
  readonly p99Ms: number;
  readonly met: boolean;
} {
  const subject = result.contenders.find((c) => c.name === result.subject);
  const p99Ms = subject ? median(subject.p99Ms) : Number.NaN;
  return { p99Ms, met: p99Ms <= result.targetP99Ms };
}

/** Captures below which a slope of a few bytes per capture drowns in GC noise. */
export const MEMORY_JUDGED_FROM = 50_000;

/**
 * Whether the memory run stayed flat; `undefined` when it was too short to tell (a quick
 * run's 10 000 captures times 8 B is 80 kB, less than the heap moves between readings).
 */
export function memoryFlat(result: MemoryResult): boolean | undefined {
  const captures = result.checkpoints.at(-1)?.captures ?? 0;
  if (captures < MEMORY_JUDGED_FROM) return undefined;
  return Math.abs(result.slopeBytesPerCapture) < result.flatBelowBytesPerCapture;
}

function memoryVerdict(result: MemoryResult): string {
  const flat = memoryFlat(result);
  if (flat === undefined)
    return `not judged (fewer than ${MEMORY_JUDGED_FROM.toLocaleString('en-US')} captures)`;
  return flat ? 'flat' : 'GROWING';
}

function verdict(met: boolean | undefined): string {
  if (met === undefined) return '—';
  return met ? '**met**' : '**missed**';
}

function ratioCell(comparison: Comparison): string {
  const { median, min, max } = comparison.ratio;
  return `${formatRatio(median)} (${formatRatio(min)}–${formatRatio(max)})`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

function simulatorCell(c: ContenderResult, value: string): string {
  return c.usesSimulator ? value : '—';
}

function throughputSection(result: ThroughputResult, index: number): string[] {
  const hasLatency = result.contenders.some((c) => Number.isFinite(c.p50Ms));
  const hasSimulator = result.contenders.some((c) => c.usesSimulator);
  const header = [
    'contender',
    `median ${result.unit}`,
    ...(hasLatency ? ['p50 latency', 'p99 latency'] : ['time per op']),
    'client CPU per op',
    ...(hasSimulator ? ['simulator CPU per op', 'simulator busy'] : []),
    `${result.unit} per round`,
  ];
  const rows = result.contenders.map((c) => [
    c.label,
    formatRate(c.opsPerSec),
    ...(hasLatency
      ? [formatMs(c.p50Ms), formatMs(c.p99Ms)]
      : [`${(1e6 / c.opsPerSec).toFixed(2)} µs`]),
    `${c.clientCpuUsPerOp.toFixed(c.clientCpuUsPerOp < 10 ? 2 : 1)} µs`,
    ...(hasSimulator
      ? [
          simulatorCell(c, `${c.simCpuUsPerOp.toFixed(1)} µs`),
          simulatorCell(c, `${Math.round(c.simBusy * 100)} %`),
        ]
      : []),
    c.samples.map((s) => formatRate(s.opsPerSec)).join(', '),
  ]);
  const comparisons = result.comparisons.map((comparison) => [
    comparisonLabel(result, comparison),
    ratioCell(comparison),
    targetCell(comparison),
    verdict(targetMet(comparison)),
  ]);
  const lines = [
    `## ${index}. ${result.title}`,
    '',
    result.setup,
    '',
    ...table(header, rows),
    '',
    ...table(
      ['ratio (median of per-round pairs, min–max)', 'value', 'target', 'result'],
      comparisons,
    ),
    '',
  ];
  const simUsers = result.contenders.filter((c) => c.usesSimulator && c.simCpuUsPerOp > 0);
  if (simUsers.length > 0) {
    const ceilings = simUsers
      .map(
        (c) =>
          `${formatRate(1e6 / c.simCpuUsPerOp)}/s serving ${c.label} (busy ${Math.round(c.simBusy * 100)} % of one core)`,
      )
      .join('; ');
    lines.push(
      `Simulator ceiling — the most captures per second the simulator process could answer with one whole core, from its measured CPU time per capture: ${ceilings}. A ratio near 1.0 between two contenders whose simulator is near 100 % busy only says both saturate the simulator.`,
      '',
    );
  }
  const notes = [...comparisonNotes(result), ...result.notes];
  for (const note of notes) lines.push(`- ${note}`);
  if (notes.length > 0) lines.push('');
  return lines;
}

/** For every missed target: where the time went, from the measured CPU per operation. */
function comparisonNotes(result: ThroughputResult): string[] {
  const notes: string[] = [];
  for (const comparison of result.comparisons) {
    if (targetMet(comparison) !== false) continue;
    const subject = result.contenders.find((c) => c.name === comparison.subject);
    const baseline = result.contenders.find((c) => c.name === comparison.baseline);
    if (!subject || !baseline) continue;
    const extra = subject.clientCpuUsPerOp - baseline.clientCpuUsPerOp;
    let note = `Missed ${comparisonLabel(result, comparison)} ${targetCell(comparison)}: the client spent ${subject.clientCpuUsPerOp.toFixed(1)} µs of CPU per operation against ${baseline.clientCpuUsPerOp.toFixed(1)} µs (${extra >= 0 ? '+' : ''}${extra.toFixed(1)} µs).`;
    if (subject.usesSimulator && !baseline.usesSimulator) {
      note += ` ${baseline.label} runs with the simulator idle; every real capture also cost the simulator ${subject.simCpuUsPerOp.toFixed(0)} µs of CPU on the same two vCPUs (it was ${Math.round(subject.simBusy * 100)} % busy), which the bare loop never pays.`;
    }
    notes.push(note);
  }
  return notes;
}

function memorySection(result: MemoryResult, index: number): string[] {
  const first = result.checkpoints[0];
  const rows = result.checkpoints.map((c) => [
    c.captures.toLocaleString('en-US'),
    formatBytes(c.heapUsed),
    first ? formatBytes(c.heapUsed - first.heapUsed) : '',
    formatBytes(c.external),
    formatBytes(c.rss),
  ]);
  return [
    `## ${index}. ${result.title}`,
    '',
    result.setup,
    '',
    ...table(['captures after warm-up', 'heapUsed', 'Δ heapUsed', 'external', 'rss'], rows),
    '',
    `Slope of heapUsed over captures (least squares over every reading): **${result.slopeBytesPerCapture.toFixed(2)} bytes per capture** ` +
      `(${result.slopeWithExternalBytesPerCapture.toFixed(2)} B/capture with external memory). ` +
      `Flat means |slope| < ${result.flatBelowBytesPerCapture} B/capture: keeping even one small object per capture would show as 30–100 B/capture. ` +
      `Result: ${memoryFlat(result) === undefined ? memoryVerdict(result) : memoryFlat(result) ? '**flat** (target met)' : '**growing** (target missed)'}. ` +
      `rss includes memory V8 keeps reserved after collections and is shown for information only. ` +
      `Overall rate including authorization batches and GC pauses: ${formatRate(result.capturesPerSec)} captures/s.`,
    '',
    ...result.notes.map((note) => `- ${note}`),
    ...(result.notes.length > 0 ? [''] : []),
  ];
}

function loopDelaySection(result: LoopDelayResult, index: number): string[] {
  const rows = result.contenders.map((c) => [
    c.label,
    `${median(c.p99Ms).toFixed(1)} ms`,
    `${median(c.maxMs).toFixed(1)} ms`,
    `${median(c.burstMs).toFixed(0)} ms`,
    `${median(c.clientCpuUsPerOp).toFixed(1)} µs`,
    c.p99Ms.map((v) => v.toFixed(1)).join(', '),
  ]);
  const { p99Ms, met } = loopDelayVerdict(result);
  return [
    `## ${index}. ${result.title}`,
    '',
    result.setup,
    '',
    ...table(
      [
        'contender',
        'loop delay p99 (median of rounds)',
        'loop delay max',
        `${result.burst.toLocaleString('en-US')} captures took`,
        'client CPU per capture',
        'p99 per round (ms)',
      ],
      rows,
    ),
    '',
    `Target: p99 ≤ ${result.targetP99Ms} ms for ${result.subject}; measured ${p99Ms.toFixed(1)} ms → ${met ? '**met**' : '**missed**'}.`,
    '',
    ...result.notes.map((note) => `- ${note}`),
    ...(result.notes.length > 0 ? [''] : []),
  ];
}

function summaryRows(results: readonly BenchResult[]): string[][] {
  const rows: string[][] = [];
  for (const result of results) {
    if (result.kind === 'memory') {
      rows.push([
        result.title,
        'heap slope',
        `−${result.flatBelowBytesPerCapture} < slope < ${result.flatBelowBytesPerCapture} B/capture`,
        `${result.slopeBytesPerCapture.toFixed(2)} B/capture`,
        memoryFlat(result) === undefined ? memoryVerdict(result) : verdict(memoryFlat(result)),
      ]);
      continue;
    }
    if (result.kind === 'loop-delay') {
      const { p99Ms, met } = loopDelayVerdict(result);
      rows.push([
        result.title,
        `event-loop delay p99, ${result.contenders.find((c) => c.name === result.subject)?.label ?? result.subject}`,
        `≤ ${result.targetP99Ms} ms`,
        `${p99Ms.toFixed(1)} ms`,
        verdict(met),
      ]);
      continue;
    }
    for (const comparison of result.comparisons) {
      if (comparison.target === undefined) continue;
      rows.push([
        result.title,
        comparisonLabel(result, comparison),
        targetCell(comparison),
        ratioCell(comparison),
        verdict(targetMet(comparison)),
      ]);
    }
  }
  return rows;
}

/**
 * Renders `bench/RESULTS.md`.
 *
 * @example
 * ```ts
 * await writeFile('bench/RESULTS.md', markdownReport(record));
 * ```
 */
export function markdownReport(record: RunRecord): string {
  const { machine } = record;
  const probe = machine.parallel;
  const lines = [
    '# capture-kit benchmarks',
    '',
    `Generated by \`${record.command}\` (${record.profile.name} profile) on ${record.startedAt.toISOString()}; the whole run took ${record.wallSeconds.toFixed(0)} s.`,
    'Regenerate with `npm run bench` (2–3 minutes on 2 cores); `npm run bench -- --quick` is the reduced run CI uses (under 30 s; it prints a summary and asserts nothing).',
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpuModel}, ${machine.cores} logical cores; memory ${formatBytes(machine.memoryBytes)} (${formatBytes(machine.freeMemoryBytes)} free at start)`,
    `- OS: ${machine.os}; Node ${machine.node} (V8 ${machine.v8})`,
    `- Load average when the run started: ${machine.loadAverage.toFixed(2)}`,
    ...(probe
      ? [
          `- Parallelism probe: one process alone signs ${formatRate(probe.aloneSignsPerSec)} RSA-2048 signatures/s; two at once sign ${formatRate(probe.pairSignsPerSec[0])} and ${formatRate(probe.pairSignsPerSec[1])}/s — **${probe.effectiveCores.toFixed(2)} cores' worth** of CPU for two busy processes.`,
          '  Every capture benchmark is such a pair (client + simulator), so when both are busy each runs slower than it would alone.',
        ]
      : ['- Parallelism probe: skipped (quick run).']),
    '',
    '## Method',
    '',
    '- capture-kit is measured as it ships: `src/` compiled by `tsc -p tsconfig.build.json` into `node_modules/.cache/capture-kit-bench` (not through tsx, whose transform adds a helper call per closure). The simulators run from the same build.',
    '- The simulator runs in its own process (`bench/sim-process.ts`, loopback only); the benchmark process is the client, so its CPU time is what the library costs.',
    '- Contenders run interleaved in the same run: one measured segment each per round, the order rotating every round (ABC, BCA, CAB, …).',
    `  Before measuring, each contender runs ${record.profile.name === 'quick' ? 'one untimed calibration segment' : 'two untimed calibration segments'} (JIT warm-up; sizing its segments to about ${record.profile.captureSegmentMs / 1000} s for captures, ${record.profile.webhookSegmentMs / 1000} s for webhooks).`,
    '- Every capture segment starts from a freshly reset simulator (same empty state for every contender) with freshly authorized payments, then runs untimed warm-up captures before the clock starts.',
    '- Reported: the median over rounds of each contender, and ratios as the median of per-round pairs (contenders of one round ran back to back) with the min–max over rounds.',
    '- CPU per op is `process.cpuUsage()` of the client process, and of the simulator process, over the measured segment, divided by the operations.',
    '',
    '## Targets',
    '',
    ...table(
      ['benchmark', 'comparison', 'target', 'measured', 'result'],
      summaryRows(record.results),
    ),
    '',
    '![results](results.svg)',
    '',
  ];
  let index = 1;
  for (const result of record.results) {
    lines.push(
      ...(result.kind === 'memory'
        ? memorySection(result, index)
        : result.kind === 'loop-delay'
          ? loopDelaySection(result, index)
          : throughputSection(result, index)),
    );
    index += 1;
  }
  if (record.findings) lines.push(record.findings.trim(), '');
  return `${lines.join('\n')}\n`;
}

/**
 * A short plain-text summary for the terminal (what `--quick` prints in CI).
 *
 * @example
 * ```ts
 * console.log(textSummary(record));
 * ```
 */
export function textSummary(record: RunRecord): string {
  const lines = [
    `capture-kit benchmarks (${record.profile.name}) — ${record.machine.cpuModel} ×${record.machine.cores}, Node ${record.machine.node}, ${record.wallSeconds.toFixed(1)} s`,
    ...(record.profile.name === 'quick'
      ? [
          '  (quick run: short segments on a JIT that is not fully warm — a smoke test whose numbers are indicative only; bench/RESULTS.md has the full run)',
        ]
      : []),
  ];
  for (const result of record.results) {
    if (result.kind === 'memory') {
      lines.push(
        `  ${result.title}: heap slope ${result.slopeBytesPerCapture.toFixed(2)} B/capture → ${memoryVerdict(result)}`,
      );
      continue;
    }
    if (result.kind === 'loop-delay') {
      lines.push(`  ${result.title}:`);
      for (const c of result.contenders) {
        lines.push(
          `    ${c.label.padEnd(46)} loop delay p99 ${median(c.p99Ms).toFixed(1)} ms, max ${median(c.maxMs).toFixed(1)} ms, burst ${median(c.burstMs).toFixed(0)} ms, client CPU ${median(c.clientCpuUsPerOp).toFixed(1)} µs/op`,
        );
      }
      const { p99Ms, met } = loopDelayVerdict(result);
      lines.push(
        `    ${result.subject} p99 ${p99Ms.toFixed(1)} ms (target ≤ ${result.targetP99Ms} ms → ${met ? 'met' : 'missed'})`,
      );
      continue;
    }
    lines.push(`  ${result.title}:`);
    for (const c of result.contenders) {
      lines.push(
        `    ${c.label.padEnd(46)} ${formatRate(c.opsPerSec).padStart(10)} ${result.unit}  client CPU ${c.clientCpuUsPerOp.toFixed(1)} µs/op`,
      );
    }
    for (const comparison of result.comparisons) {
      const met = targetMet(comparison);
      const what = comparison.metric === 'client-cpu' ? 'client CPU ' : '';
      lines.push(
        `    ${what}${comparison.subject} / ${comparison.baseline}: ${formatRatio(comparison.ratio.median)}${comparison.target === undefined ? '' : ` (target ${targetCell(comparison)} → ${met ? 'met' : 'missed'})`}`,
      );
    }
  }
  return lines.join('\n');
}

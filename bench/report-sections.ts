import type { ContenderResult } from './measure.js';
import { formatBytes, formatMs, formatRate, formatRatio, median } from './stats.js';
import type { Comparison, LoopDelayResult, MemoryResult, ThroughputResult } from './types.js';

/** The per-benchmark sections of RESULTS.md and the verdict helpers the report and chart share. */

export function contenderLabel(result: ThroughputResult, name: string): string {
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
export function targetCell(comparison: Comparison): string {
  if (comparison.target === undefined) return '(information)';
  return `${comparison.metric === 'client-cpu' ? '≤' : '≥'} ${comparison.target}×`;
}

export function comparisonLabel(result: ThroughputResult, comparison: Comparison): string {
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

export function memoryVerdict(result: MemoryResult): string {
  const flat = memoryFlat(result);
  if (flat === undefined)
    return `not judged (fewer than ${MEMORY_JUDGED_FROM.toLocaleString('en-US')} captures)`;
  return flat ? 'flat' : 'GROWING';
}

export function verdict(met: boolean | undefined): string {
  if (met === undefined) return '—';
  return met ? '**met**' : '**missed**';
}

export function ratioCell(comparison: Comparison): string {
  const { median, min, max } = comparison.ratio;
  return `${formatRatio(median)} (${formatRatio(min)}–${formatRatio(max)})`;
}

export function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

export function simulatorCell(c: ContenderResult, value: string): string {
  return c.usesSimulator ? value : '—';
}

export function throughputSection(result: ThroughputResult, index: number): string[] {
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
export function comparisonNotes(result: ThroughputResult): string[] {
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

export function memorySection(result: MemoryResult, index: number): string[] {
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

export function loopDelaySection(result: LoopDelayResult, index: number): string[] {
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

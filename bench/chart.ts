import type { RunRecord } from './report.js';
import { loopDelayVerdict, memoryFlat, targetMet } from './report.js';
import { formatBytes, formatRate, formatRatio, median } from './stats.js';
import type { LoopDelayResult, MemoryResult, ThroughputResult } from './types.js';

/**
 * `bench/results.svg`: one group of horizontal bars per benchmark (median throughput of
 * each contender, scaled within the group), the ratio to the group's reference contender
 * on the right, a dashed marker where the target lies, and a small line chart of the heap
 * for the memory run. Hand-written SVG: no script, no chart library.
 */

const WIDTH = 980;
const LABEL_RIGHT = 300;
const BAR_LEFT = 310;
const BAR_MAX = 430;
const RATIO_X = 950;
const BAR_HEIGHT = 18;
const BAR_GAP = 6;
const SUBJECT = '#2563eb';
const OTHER = '#9ca3af';
const MET = '#15803d';
const MISSED = '#b91c1c';

/** Escapes text for use inside SVG elements and attributes. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function text(
  x: number,
  y: number,
  content: string,
  options: {
    anchor?: 'start' | 'middle' | 'end';
    size?: number;
    weight?: string;
    fill?: string;
  } = {},
): string {
  const attributes = [
    `x="${x.toFixed(1)}"`,
    `y="${y.toFixed(1)}"`,
    `font-size="${options.size ?? 12}"`,
    ...(options.anchor && options.anchor !== 'start' ? [`text-anchor="${options.anchor}"`] : []),
    ...(options.weight ? [`font-weight="${options.weight}"`] : []),
    ...(options.fill ? [`fill="${options.fill}"`] : []),
  ];
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

function throughputGroup(result: ThroughputResult, top: number): { svg: string[]; height: number } {
  const out: string[] = [];
  const throughput = result.comparisons.filter((c) => c.metric !== 'client-cpu');
  const reference = throughput.find((c) => c.target !== undefined) ?? throughput[0];
  const referenceOps =
    result.contenders.find((c) => c.name === reference?.baseline)?.opsPerSec ?? Number.NaN;
  const max = Math.max(...result.contenders.map((c) => c.opsPerSec));
  const scale = (ops: number) => (ops / max) * BAR_MAX;
  out.push(text(20, top + 14, result.title, { size: 14, weight: 'bold' }));
  const verdicts = result.comparisons
    .filter((c) => c.target !== undefined)
    .map((c) => {
      const met = targetMet(c);
      const baseline = result.contenders.find((x) => x.name === c.baseline)?.label ?? c.baseline;
      const cpu = c.metric === 'client-cpu';
      return {
        met,
        line: `${met ? '✓' : '✗'} ${cpu ? 'client CPU ' : ''}${formatRatio(c.ratio.median)} of ${baseline} (median of paired rounds; target ${cpu ? '≤' : '≥'} ${c.target}×)`,
      };
    });
  let y = top + 22;
  for (const item of verdicts) {
    y += 15;
    out.push(text(40, y, item.line, { size: 12, fill: item.met ? MET : MISSED }));
  }
  const referenceLabel = result.contenders.find((c) => c.name === reference?.baseline)?.label ?? '';
  const header = `column: ÷ median of ${referenceLabel}`;
  out.push(
    text(RATIO_X, top + 14, header.length > 56 ? `${header.slice(0, 55)}…` : header, {
      anchor: 'end',
      size: 10,
      fill: '#4b5563',
    }),
  );
  // Room above the first bar for the labels of the target markers.
  y += 20;
  const barTops = new Map<string, number>();
  for (const contender of result.contenders) {
    const isSubject = contender.name === reference?.subject;
    barTops.set(contender.name, y);
    const width = Math.max(1, scale(contender.opsPerSec));
    out.push(
      text(LABEL_RIGHT, y + 13, contender.label, {
        anchor: 'end',
        ...(isSubject ? { weight: 'bold' } : {}),
      }),
      `<rect x="${BAR_LEFT}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${isSubject ? SUBJECT : OTHER}" rx="2"/>`,
      text(BAR_LEFT + width + 6, y + 13, `${formatRate(contender.opsPerSec)} ${result.unit}`, {
        size: 11,
      }),
      text(RATIO_X, y + 13, formatRatio(contender.opsPerSec / referenceOps), {
        anchor: 'end',
        ...(isSubject ? { weight: 'bold' } : {}),
      }),
    );
    y += BAR_HEIGHT + BAR_GAP;
  }
  for (const comparison of throughput) {
    if (comparison.target === undefined) continue;
    const baselineOps = result.contenders.find((c) => c.name === comparison.baseline)?.opsPerSec;
    const barTop = barTops.get(comparison.subject);
    if (baselineOps === undefined || barTop === undefined) continue;
    const x = BAR_LEFT + scale(comparison.target * baselineOps);
    if (x > BAR_LEFT + BAR_MAX + 40) continue;
    const met = targetMet(comparison);
    const baselineLabel =
      result.contenders.find((c) => c.name === comparison.baseline)?.label ?? '';
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${barTop - 4}" x2="${x.toFixed(1)}" y2="${barTop + BAR_HEIGHT + 3}" stroke="${met ? MET : MISSED}" stroke-width="2" stroke-dasharray="3 2"/>`,
      text(x, barTop - 6, `${comparison.target}× ${baselineLabel.split(' ')[0]}`, {
        anchor: 'middle',
        size: 9,
        fill: met ? MET : MISSED,
      }),
    );
  }
  return { svg: out, height: y - top + 14 };
}

function loopDelayGroup(result: LoopDelayResult, top: number): { svg: string[]; height: number } {
  const out: string[] = [];
  const { p99Ms, met } = loopDelayVerdict(result);
  out.push(text(20, top + 14, result.title, { size: 14, weight: 'bold' }));
  out.push(
    text(
      40,
      top + 37,
      `${met ? '✓' : '✗'} event-loop delay p99 ${p99Ms.toFixed(1)} ms (median of rounds; target ≤ ${result.targetP99Ms} ms)`,
      { size: 12, fill: met ? MET : MISSED },
    ),
  );
  const values = result.contenders.map((c) => median(c.p99Ms));
  const max = Math.max(result.targetP99Ms, ...values.filter(Number.isFinite));
  const scale = (ms: number) => (ms / max) * BAR_MAX;
  let y = top + 62;
  const firstBar = y;
  result.contenders.forEach((contender, i) => {
    const isSubject = contender.name === result.subject;
    const width = Math.max(1, scale(values[i] ?? 0));
    out.push(
      text(LABEL_RIGHT, y + 13, contender.label, {
        anchor: 'end',
        ...(isSubject ? { weight: 'bold' } : {}),
      }),
      `<rect x="${BAR_LEFT}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${isSubject ? SUBJECT : OTHER}" rx="2"/>`,
      text(BAR_LEFT + width + 6, y + 13, `p99 ${(values[i] ?? Number.NaN).toFixed(1)} ms`, {
        size: 11,
      }),
    );
    y += BAR_HEIGHT + BAR_GAP;
  });
  const x = BAR_LEFT + scale(result.targetP99Ms);
  out.push(
    `<line x1="${x.toFixed(1)}" y1="${firstBar - 4}" x2="${x.toFixed(1)}" y2="${y}" stroke="${met ? MET : MISSED}" stroke-width="2" stroke-dasharray="3 2"/>`,
    text(x, firstBar - 6, `${result.targetP99Ms} ms`, {
      anchor: 'middle',
      size: 9,
      fill: met ? MET : MISSED,
    }),
  );
  return { svg: out, height: y - top + 14 };
}

function memoryGroup(result: MemoryResult, top: number): { svg: string[]; height: number } {
  const out: string[] = [];
  const flat = memoryFlat(result);
  const verdict = flat === undefined ? '· too short to judge' : flat ? '✓ flat' : '✗ growing';
  out.push(text(20, top + 14, result.title, { size: 14, weight: 'bold' }));
  out.push(
    text(
      40,
      top + 37,
      `${verdict}: ${result.slopeBytesPerCapture.toFixed(2)} bytes of heap per capture (target |slope| < ${result.flatBelowBytesPerCapture})`,
      { fill: flat === false ? MISSED : flat ? MET : '#4b5563' },
    ),
  );
  const plotTop = top + 52;
  const plotHeight = 110;
  const points = result.checkpoints;
  const maxCaptures = Math.max(1, ...points.map((p) => p.captures));
  const maxHeap = Math.max(1, ...points.map((p) => p.heapUsed)) * 1.25;
  const px = (captures: number) => BAR_LEFT + (captures / maxCaptures) * BAR_MAX;
  const py = (bytes: number) => plotTop + plotHeight - (bytes / maxHeap) * plotHeight;
  out.push(
    `<line x1="${BAR_LEFT}" y1="${plotTop + plotHeight}" x2="${BAR_LEFT + BAR_MAX}" y2="${plotTop + plotHeight}" stroke="#6b7280"/>`,
    `<line x1="${BAR_LEFT}" y1="${plotTop}" x2="${BAR_LEFT}" y2="${plotTop + plotHeight}" stroke="#6b7280"/>`,
    text(LABEL_RIGHT, plotTop + 10, `heapUsed (max ${formatBytes(maxHeap / 1.25)})`, {
      anchor: 'end',
      size: 11,
    }),
    text(LABEL_RIGHT, plotTop + plotHeight, '0', { anchor: 'end', size: 11 }),
    text(
      BAR_LEFT + BAR_MAX,
      plotTop + plotHeight + 15,
      `${maxCaptures.toLocaleString('en-US')} captures`,
      {
        anchor: 'end',
        size: 11,
      },
    ),
    `<polyline fill="none" stroke="${SUBJECT}" stroke-width="2" points="${points
      .map((p) => `${px(p.captures).toFixed(1)},${py(p.heapUsed).toFixed(1)}`)
      .join(' ')}"/>`,
    ...points.map(
      (p) =>
        `<circle cx="${px(p.captures).toFixed(1)}" cy="${py(p.heapUsed).toFixed(1)}" r="3" fill="${SUBJECT}"/>`,
    ),
  );
  return { svg: out, height: plotTop + plotHeight + 24 - top };
}

/**
 * Renders the results chart.
 *
 * @example
 * ```ts
 * await writeFile('bench/results.svg', resultsSvg(record));
 * ```
 */
export function resultsSvg(record: RunRecord): string {
  const body: string[] = [];
  let y = 20;
  body.push(text(20, y + 8, 'capture-kit benchmarks', { size: 18, weight: 'bold' }));
  body.push(
    text(
      20,
      y + 28,
      `${record.machine.cpuModel} ×${record.machine.cores} · Node ${record.machine.node} · ${record.startedAt.toISOString().slice(0, 10)} · ${record.profile.name} run · medians of ${record.profile.rounds} interleaved rounds · bars scaled within each group`,
      { size: 11, fill: '#4b5563' },
    ),
  );
  y += 50;
  for (const result of record.results) {
    const group =
      result.kind === 'memory'
        ? memoryGroup(result, y)
        : result.kind === 'loop-delay'
          ? loopDelayGroup(result, y)
          : throughputGroup(result, y);
    body.push(...group.svg);
    y += group.height + 12;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" fill="#111827">`,
    `<rect width="${WIDTH}" height="${y}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

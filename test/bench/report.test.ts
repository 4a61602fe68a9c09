import { describe, expect, it } from 'vitest';
import { escapeXml, resultsSvg } from '../../bench/chart.js';
import type { MachineInfo } from '../../bench/machine.js';
import type { ContenderResult, SegmentSample } from '../../bench/measure.js';
import { pairedCpuRatio, pairedRatio } from '../../bench/measure.js';
import { markdownReport, type RunRecord, textSummary } from '../../bench/report.js';
import { fitLine, formatBytes, formatRate, median, quantile } from '../../bench/stats.js';
import type { LoopDelayResult, MemoryResult, ThroughputResult } from '../../bench/types.js';

describe('bench statistics', () => {
  it('takes medians and interpolated quantiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.99)).toBeCloseTo(4.96);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('fits a least-squares line', () => {
    expect(
      fitLine([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
    ).toEqual({ slope: 2, intercept: 1 });
    expect(
      fitLine([
        [5, 1],
        [5, 2],
      ]).slope,
    ).toBe(0);
  });

  it('formats rates and sizes', () => {
    expect(formatRate(12_345.6)).toBe('12 346');
    expect(formatRate(12.34)).toBe('12.3');
    expect(formatBytes(1_234_567)).toBe('1.23 MB');
    expect(formatBytes(-2_500)).toBe('-2.5 kB');
  });
});

function sample(opsPerSec: number): SegmentSample {
  return {
    ops: 1000,
    seconds: 1000 / opsPerSec,
    opsPerSec,
    p50Ms: 0.2,
    p99Ms: 0.9,
    clientCpuUsPerOp: 80,
    simCpuUsPerOp: 60,
    simBusy: 0.6,
  };
}

function contender(name: string, rates: number[]): ContenderResult {
  return {
    name,
    label: `<${name}>`,
    concurrency: 64,
    usesSimulator: true,
    samples: rates.map(sample),
    opsPerSec: median(rates),
    p50Ms: 0.2,
    p99Ms: 0.9,
    clientCpuUsPerOp: 80,
    simCpuUsPerOp: 60,
    simBusy: 0.6,
  };
}

describe('paired ratios', () => {
  it('pairs rounds and keeps the median and range', () => {
    const ratio = pairedRatio(contender('a', [90, 80, 100]), contender('b', [100, 100, 100]));
    expect(ratio).toEqual({ median: 0.9, min: 0.8, max: 1 });
  });
});

describe('RESULTS.md and the chart', () => {
  const kit = contender('capture-kit', [900, 950, 1000]);
  const raw = contender('undici', [1000, 1000, 1000]);
  const throughput: ThroughputResult = {
    kind: 'throughput',
    id: 't',
    title: 'Throughput & more',
    unit: 'captures/s',
    setup: 'setup text',
    contenders: [kit, raw],
    comparisons: [
      { subject: 'capture-kit', baseline: 'undici', ratio: pairedRatio(kit, raw), target: 0.85 },
    ],
    notes: ['a note'],
  };
  const memory: MemoryResult = {
    kind: 'memory',
    id: 'memory',
    title: 'Heap',
    setup: 'memory setup',
    checkpoints: [0, 50_000, 100_000].map((captures) => ({
      captures,
      heapUsed: 10_000_000 + captures,
      external: 1,
      arrayBuffers: 1,
      rss: 1,
    })),
    slopeBytesPerCapture: 1,
    slopeWithExternalBytesPerCapture: 1,
    flatBelowBytesPerCapture: 8,
    capturesPerSec: 5000,
    notes: [],
  };
  const machine: MachineInfo = {
    cpuModel: 'Test CPU',
    cores: 2,
    memoryBytes: 8e9,
    freeMemoryBytes: 4e9,
    os: 'Linux',
    node: 'v20.20.2',
    v8: '11',
    loadAverage: 0.5,
    parallel: { aloneSignsPerSec: 4000, pairSignsPerSec: [2500, 2500], effectiveCores: 1.25 },
  };
  const record: RunRecord = {
    profile: {
      name: 'quick',
      rounds: 3,
      captureSegmentMs: 1,
      webhookSegmentMs: 1,
      memoryCheckpoints: [10, 20],
    },
    command: 'npm run bench -- --quick',
    startedAt: new Date('2026-01-01T00:00:00Z'),
    wallSeconds: 12,
    machine,
    results: [throughput, memory],
  };

  it('writes the machine, the targets with verdicts, and every benchmark', () => {
    const markdown = markdownReport(record);
    expect(markdown).toContain('Test CPU, 2 logical cores');
    expect(markdown).toContain('Node v20.20.2');
    expect(markdown).toContain('npm run bench -- --quick');
    expect(markdown).toMatch(
      /\| Throughput & more \| <capture-kit> \/ <undici> \| ≥ 0.85× \| 0.95× \(0.90×–1.00×\) \| \*\*met\*\* \|/,
    );
    expect(markdown).toContain('**flat** (target met)');
    expect(textSummary(record)).toContain('target ≥ 0.85× → met');
  });

  it('does not judge the heap slope of a short (quick) memory run', () => {
    const short = {
      ...memory,
      checkpoints: memory.checkpoints.map((c) => ({ ...c, captures: c.captures / 10 })),
    };
    const markdown = markdownReport({ ...record, results: [short] });
    expect(markdown).toContain('not judged (fewer than 50,000 captures)');
    expect(markdown).toContain('Parallelism probe:');
  });

  it('draws an SVG with escaped labels and no script', () => {
    const svg = resultsSvg(record);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('&lt;capture-kit&gt;');
    expect(svg).toContain('Throughput &amp; more');
    expect(svg).not.toMatch(/<script/i);
    expect(svg.match(/<rect /g)?.length).toBe(3);
    expect(escapeXml('"a" < b & c')).toBe('&quot;a&quot; &lt; b &amp; c');
  });
});

describe('issue 13 rows: client CPU targets and the event-loop delay', () => {
  const kit = contender('capture-kit', [900, 950, 1000]);
  const raw = contender('undici', [1000, 1000, 1000]);
  const cpuHeavy = {
    ...kit,
    samples: kit.samples.map((s) => ({ ...s, clientCpuUsPerOp: 110 })),
  };
  const throughput: ThroughputResult = {
    kind: 'throughput',
    id: 't',
    title: 'Checkout',
    unit: 'captures/s',
    setup: 'setup',
    contenders: [cpuHeavy, raw],
    comparisons: [
      { subject: 'capture-kit', baseline: 'undici', ratio: pairedRatio(kit, raw), target: 0.92 },
      {
        subject: 'capture-kit',
        baseline: 'undici',
        metric: 'client-cpu',
        ratio: pairedCpuRatio(cpuHeavy, raw),
        target: 1.25,
      },
    ],
    notes: [],
  };
  const loop: LoopDelayResult = {
    kind: 'loop-delay',
    id: 'loop-delay',
    title: 'Event-loop delay, 10,000 Antom captures in flight',
    setup: 'loop setup',
    burst: 10_000,
    contenders: [
      {
        name: 'capture-kit',
        label: 'capture-kit',
        p99Ms: [12, 15, 30],
        maxMs: [20, 25, 40],
        burstMs: [4000, 4100, 4200],
        clientCpuUsPerOp: [500, 510, 520],
      },
      {
        name: 'sync-rsa',
        label: 'sync',
        p99Ms: [3000, 3100, 3200],
        maxMs: [3000, 3100, 3200],
        burstMs: [5000, 5000, 5000],
        clientCpuUsPerOp: [450, 450, 450],
      },
    ],
    subject: 'capture-kit',
    targetP99Ms: 20,
    notes: [],
  };
  const record: RunRecord = {
    profile: {
      name: 'full',
      rounds: 3,
      captureSegmentMs: 1,
      webhookSegmentMs: 1,
      memoryCheckpoints: [],
    },
    command: 'npm run bench',
    startedAt: new Date('2026-01-01T00:00:00Z'),
    wallSeconds: 1,
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      memoryBytes: 8e9,
      freeMemoryBytes: 4e9,
      os: 'Linux',
      node: 'v20.20.2',
      v8: '11',
      loadAverage: 0.5,
    },
    results: [throughput, loop],
  };

  it('judges client CPU as "at most" and the loop delay by the median p99 of rounds', () => {
    expect(pairedCpuRatio(cpuHeavy, raw).median).toBeCloseTo(1.375);
    const markdown = markdownReport(record);
    expect(markdown).toMatch(
      /\| Checkout \| client CPU per op, <capture-kit> \/ <undici> \| ≤ 1.25× \| 1.38× \(1.38×–1.38×\) \| \*\*missed\*\* \|/,
    );
    expect(markdown).toMatch(
      /\| Checkout \| <capture-kit> \/ <undici> \| ≥ 0.92× \| 0.95× .*\*\*met\*\* \|/,
    );
    expect(markdown).toMatch(
      /\| Event-loop delay, 10,000 Antom captures in flight \| event-loop delay p99, capture-kit \| ≤ 20 ms \| 15.0 ms \| \*\*met\*\* \|/,
    );
    expect(markdown).toContain('10,000 captures took');
    expect(textSummary(record)).toContain('capture-kit p99 15.0 ms (target ≤ 20 ms → met)');
    const svg = resultsSvg(record);
    expect(svg).toContain('event-loop delay p99 15.0 ms');
    expect(svg).toContain('client CPU 1.38×');
  });
});

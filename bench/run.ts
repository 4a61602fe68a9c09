/**
 * `npm run bench` — capture-kit's benchmarks (see bench/RESULTS.md for the method).
 *
 *   npm run bench                        full run; writes bench/RESULTS.md and bench/results.svg
 *   npm run bench -- --quick             reduced run (< 30 s) for CI; prints a summary only
 *   npm run bench -- --only antom,memory run some benchmarks; prints a summary only
 *   npm run bench -- --out <dir>         also write RESULTS.md + results.svg to <dir>
 *   npm run bench -- --rounds 7          override the number of interleaved rounds
 *
 * Benchmarks: checkout-c1, checkout-c64 (or checkout for both), idle-gap, library-overhead,
 * antom, loop-delay, webhooks, memory, journal, journal-captures.
 * Timings are reported, never asserted; the exit code is non-zero only when a benchmark
 * could not run (a capture failed, a process died).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { antomThroughput } from './antom-throughput.js';
import { resultsSvg } from './chart.js';
import { checkoutThroughput } from './checkout-throughput.js';
import { idleGap } from './idle-gap.js';
import { journalWrites } from './journal.js';
import { journalCaptures } from './journal-captures.js';
import { buildLibrary, loadLibrary } from './library.js';
import { libraryOverhead } from './library-overhead.js';
import { loopDelay } from './loop-delay.js';
import { describeMachine } from './machine.js';
import type { Contender, SegmentSample } from './measure.js';
import { memoryGrowth } from './memory.js';
import { markdownReport, type RunRecord, textSummary } from './report.js';
import { killChildren, REPO_ROOT, type SimProcess, startSimProcess } from './sim-client.js';
import { formatRate } from './stats.js';
import type { BenchResult, Profile } from './types.js';
import { webhookVerification } from './webhooks.js';

const BENCHMARKS = [
  'checkout-c1',
  'checkout-c64',
  'idle-gap',
  'library-overhead',
  'antom',
  'loop-delay',
  'webhooks',
  'memory',
  'journal',
  'journal-captures',
] as const;
type BenchmarkId = (typeof BENCHMARKS)[number];

const FULL: Profile = {
  name: 'full',
  rounds: 7,
  captureSegmentMs: 1_200,
  webhookSegmentMs: 600,
  memoryCheckpoints: Array.from({ length: 10 }, (_, i) => (i + 1) * 10_000),
};

const QUICK: Profile = {
  name: 'quick',
  rounds: 2,
  captureSegmentMs: 250,
  webhookSegmentMs: 150,
  memoryCheckpoints: [2_000, 4_000, 6_000, 8_000, 10_000],
};

interface Flags {
  readonly profile: Profile;
  readonly only: readonly BenchmarkId[];
  readonly filtered: boolean;
  readonly out?: string;
}

function usage(problem?: string): never {
  if (problem) process.stderr.write(`bench: ${problem}\n`);
  process.stderr.write(
    'usage: npm run bench -- [--quick] [--only checkout,antom,loop-delay,webhooks,memory,journal,checkout-c1,checkout-c64] [--rounds N] [--out DIR]\n',
  );
  process.exit(problem ? 2 : 0);
}

function parseFlags(argv: readonly string[]): Flags {
  let profile = FULL;
  let only: BenchmarkId[] = [...BENCHMARKS];
  let filtered = false;
  let out: string | undefined;
  let rounds: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) usage(`${flag} needs a value`);
      return next;
    };
    if (flag === '--quick') profile = QUICK;
    else if (flag === '--only') {
      filtered = true;
      only = value()
        .split(',')
        .flatMap((name): BenchmarkId[] => {
          if (name === 'checkout') return ['checkout-c1', 'checkout-c64'];
          if ((BENCHMARKS as readonly string[]).includes(name)) return [name as BenchmarkId];
          return usage(`unknown benchmark ${JSON.stringify(name)}`);
        });
    } else if (flag === '--out') out = value();
    else if (flag === '--rounds') {
      rounds = Number(value());
      if (!Number.isInteger(rounds) || rounds < 1) usage('--rounds must be a whole number ≥ 1');
    } else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown flag ${JSON.stringify(flag)}`);
  }
  return {
    profile: rounds === undefined ? profile : { ...profile, rounds },
    only: BENCHMARKS.filter((id) => only.includes(id)),
    filtered,
    ...(out !== undefined ? { out } : {}),
  };
}

function progress(contender: Contender, sample: SegmentSample, round: number): void {
  const latency = Number.isFinite(sample.p50Ms) ? ` p50 ${sample.p50Ms.toFixed(3)} ms` : '';
  const simulator = contender.usesSimulator
    ? ` · simulator ${sample.simCpuUsPerOp.toFixed(0)} µs/op, ${Math.round(sample.simBusy * 100)} % busy`
    : '';
  process.stderr.write(
    `    round ${round + 1} ${contender.label.padEnd(46)} ${formatRate(sample.opsPerSec).padStart(10)}/s${latency} · client ${sample.clientCpuUsPerOp.toFixed(1)} µs/op${simulator}\n`,
  );
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const startedAt = new Date();
  const clock = performance.now();
  const { profile, only } = flags;
  process.stderr.write(`bench: ${profile.name} run of ${only.join(', ')}\n`);

  process.stderr.write('  compiling src/ (tsc -p tsconfig.build.json) into node_modules/.cache\n');
  const libraryDir = await buildLibrary();
  const lib = await loadLibrary(libraryDir);
  const needs = (ids: readonly BenchmarkId[]) => ids.some((id) => only.includes(id));
  const [checkoutSim, antomSim] = await Promise.all([
    needs(['checkout-c1', 'checkout-c64', 'idle-gap'])
      ? startSimProcess('checkout', libraryDir)
      : undefined,
    needs(['antom', 'loop-delay']) ? startSimProcess('antom', libraryDir) : undefined,
  ]);
  const required = (sim: SimProcess | undefined) => {
    if (!sim) throw new Error('simulator not started');
    return sim;
  };
  process.stderr.write('  machine\n');
  const machine = await describeMachine(profile.name === 'quick' ? 0 : 700);

  const results: BenchResult[] = [];
  for (const id of only) {
    process.stderr.write(`  ${id}\n`);
    switch (id) {
      case 'checkout-c1':
        results.push(await checkoutThroughput(lib, required(checkoutSim), profile, 1, progress));
        break;
      case 'checkout-c64':
        results.push(await checkoutThroughput(lib, required(checkoutSim), profile, 64, progress));
        break;
      case 'idle-gap':
        results.push(await idleGap(required(checkoutSim), profile, progress));
        break;
      case 'library-overhead':
        results.push(await libraryOverhead(lib, profile, progress));
        break;
      case 'antom':
        results.push(await antomThroughput(lib, required(antomSim), profile, progress));
        break;
      case 'loop-delay':
        results.push(
          await loopDelay(lib, required(antomSim), profile, (line) => process.stderr.write(line)),
        );
        break;
      case 'webhooks':
        results.push(...(await webhookVerification(lib, profile, progress)));
        break;
      case 'memory':
        results.push(await memoryGrowth(libraryDir, profile));
        break;
      case 'journal':
        results.push(await journalWrites(libraryDir, profile, progress));
        break;
      case 'journal-captures':
        results.push(await journalCaptures(lib, libraryDir, profile, progress));
        break;
    }
  }
  await Promise.all([checkoutSim?.close(), antomSim?.close()]);

  const findings = await readFile(join(REPO_ROOT, 'bench/FINDINGS.md'), 'utf8').catch(
    () => undefined,
  );
  const record: RunRecord = {
    profile,
    command: [
      'npm run bench',
      ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
    ].join(' '),
    startedAt,
    wallSeconds: (performance.now() - clock) / 1000,
    machine,
    results,
    ...(findings ? { findings } : {}),
  };
  process.stdout.write(`${textSummary(record)}\n`);
  const outDir =
    flags.out ??
    (profile.name === 'full' && !flags.filtered ? join(REPO_ROOT, 'bench') : undefined);
  if (outDir) {
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'RESULTS.md'), markdownReport(record));
    await writeFile(join(outDir, 'results.svg'), resultsSvg(record));
    process.stderr.write(`bench: wrote ${join(outDir, 'RESULTS.md')} and results.svg\n`);
  }
}

main().then(
  () => {
    killChildren();
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    killChildren();
    process.exit(1);
  },
);

import { spawn } from 'node:child_process';
import { cpus, freemem, loadavg, release, totalmem, type } from 'node:os';

/** What the benchmarks ran on. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly freeMemoryBytes: number;
  readonly os: string;
  readonly node: string;
  readonly v8: string;
  /** 1-minute load average when the run started (other processes compete for the cores). */
  readonly loadAverage: number;
  /** Absent when the probe was skipped (`--quick`). */
  readonly parallel?: ParallelProbe;
}

/**
 * How much two CPU-bound processes slow each other down: RSA-2048 signs per second of one
 * process alone, and of each of two running at once. On two independent cores both
 * numbers match; on two hyper-threads of one core (or a busy host) they do not, and every
 * client + simulator pair here shares the machine that way.
 */
export interface ParallelProbe {
  readonly aloneSignsPerSec: number;
  readonly pairSignsPerSec: readonly [number, number];
  /** (sum of the pair) / alone: 2.0 = two full cores, 1.0 = one core's worth in all. */
  readonly effectiveCores: number;
}

const PROBE = `
const c = require('node:crypto');
const { privateKey } = c.generateKeyPairSync('rsa', { modulusLength: 2048 });
const data = Buffer.alloc(300, 7);
for (let i = 0; i < 50; i++) c.sign('sha256', data, privateKey);
process.stdout.write('ready\\n');
process.stdin.once('data', () => {
  let n = 0;
  const end = performance.now() + Number(process.argv[1]);
  while (performance.now() < end) { c.sign('sha256', data, privateKey); n++; }
  process.stdout.write(String(n / (Number(process.argv[1]) / 1000)) + '\\n');
});
`;

/** Runs `count` probe processes that start signing at the same moment; returns signs/s each. */
async function probe(count: number, ms: number): Promise<number[]> {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', PROBE, String(ms)], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const lines = children.map((child) => {
    const queue: string[] = [];
    const waiters: ((line: string) => void)[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
        const waiter = waiters.shift();
        if (waiter) waiter(line);
        else queue.push(line);
      }
    });
    return () =>
      new Promise<string>((resolve) => {
        const queued = queue.shift();
        if (queued !== undefined) resolve(queued);
        else waiters.push(resolve);
      });
  });
  try {
    await Promise.all(lines.map((next) => next()));
    for (const child of children) child.stdin.write('go\n');
    return (await Promise.all(lines.map((next) => next()))).map(Number);
  } finally {
    for (const child of children) child.kill();
  }
}

/**
 * Describes the machine and (unless `probeMs` is 0) measures how parallel its cores really are.
 *
 * @example
 * ```ts
 * const machine = await describeMachine(600);
 * console.log(machine.parallel.effectiveCores);
 * ```
 */
export async function describeMachine(probeMs: number): Promise<MachineInfo> {
  const list = cpus();
  const base = {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    os: `${type()} ${release()}`,
    node: process.version,
    v8: process.versions.v8,
    loadAverage: loadavg()[0] ?? Number.NaN,
  };
  if (probeMs <= 0) return base;
  const [alone = Number.NaN] = await probe(1, probeMs);
  const [first = Number.NaN, second = Number.NaN] = await probe(2, probeMs);
  return {
    ...base,
    parallel: {
      aloneSignsPerSec: alone,
      pairSignsPerSec: [first, second],
      effectiveCores: (first + second) / alone,
    },
  };
}

import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type * as JournalModule from '../src/core/journal.js';
import type * as PostgresJournalModule from '../src/journals/postgres/index.js';
import {
  type Contender,
  type ContenderResult,
  collectGarbage,
  pairedRatio,
  type SegmentSample,
} from './measure.js';
import { median, quantile } from './stats.js';
import type { Comparison, Profile, ThroughputResult } from './types.js';

/**
 * Journal writes per second: the two single-row writes every capture makes — `begin` (the
 * intent, `sending`, before the first byte leaves) and `apply` (the answer) — at client
 * concurrency 64, for the memory, PGlite and PostgreSQL journals, against `pgbench` running
 * the same two writes (same table, same server, same 64 clients) as the physical reference.
 *
 * pgbench is a process of its own and measures itself, so this benchmark runs time-boxed
 * segments (pgbench `-T`) instead of the calibrated operation counts of measure.ts: every
 * round runs each contender for the same number of seconds, the order rotating per round.
 */

const CONCURRENCY = 64;
/** Seconds pgbench runs before its measured ones: its 64 connections open meanwhile. */
const SETTLE_S = 2;
const execFileAsync = promisify(execFile);

/** The PostgreSQL server the benchmark may use; the tests' by default. */
export const BENCH_PG_URL =
  process.env.CAPTURE_KIT_BENCH_PG_URL ??
  process.env.CAPTURE_KIT_TEST_PG_URL ??
  'postgresql://root@localhost/capture_kit_test?host=/var/run/postgresql';

/** One time-boxed contender: runs `seconds` of work and reports what it measured. */
interface TimedContender {
  readonly name: string;
  readonly label: string;
  run(seconds: number): Promise<SegmentSample>;
  close(): Promise<void>;
}

/** Closed loop of CONCURRENCY workers doing one capture's two journal writes each. */
function journalContender(
  name: string,
  label: string,
  open: () => Promise<JournalModule.CaptureJournal>,
): TimedContender {
  let segment = 0;
  let journal: JournalModule.CaptureJournal | undefined;
  const capture = async (prefix: string, i: number) => {
    if (!journal) throw new Error('journal not open');
    const key = `${prefix}-${i}`;
    const now = Date.now();
    const decision = await journal.begin(
      {
        provider: 'bench',
        kind: 'checkout',
        idempotencyKey: key,
        paymentId: `pay-${key}`,
        amount: { currency: 'EUR', value: 1_000n },
        final: true,
        reference: key,
        inFlightMs: 16_000,
      },
      { now, ignoreUnresolved: false },
    );
    if (decision.action !== 'send') throw new Error(`begin answered ${decision.action}`);
    await journal.apply('bench', key, {
      source: 'capture',
      verdict: 'succeeded',
      at: now + 1,
      captureId: `act_${key}`,
      capturedAmount: { currency: 'EUR', value: 1_000n },
      httpStatus: 202,
    });
  };
  return {
    name,
    label,
    async run(seconds) {
      const prefix = `${process.pid}-${name}-${segment++}`;
      // A journal per segment: its pool's connections are closed again before pgbench needs
      // its own 64 (max_connections is 100 by default).
      journal = await open();
      // Untimed: every pooled connection opened, the JIT warm.
      let warm = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let k = 0; k < 2; k++) await capture(`${prefix}-warm`, warm++);
        }),
      );
      collectGarbage('young');
      const latencies: number[] = [];
      let next = 0;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const deadline = started + seconds * 1000;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < deadline) {
            const t0 = performance.now();
            await capture(prefix, next++);
            latencies.push(performance.now() - t0);
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      await journal.close();
      journal = undefined;
      const ops = latencies.length;
      return {
        ops,
        seconds: elapsed,
        opsPerSec: ops / elapsed,
        p50Ms: quantile(Float64Array.from(latencies), 0.5),
        p99Ms: quantile(Float64Array.from(latencies), 0.99),
        clientCpuUsPerOp: (cpu.user + cpu.system) / ops,
        simCpuUsPerOp: 0,
        simBusy: 0,
      };
    },
    async close() {
      await journal?.close();
    },
  };
}

/**
 * pgbench with a custom script of the same two single-row writes into the journal's own
 * table (same columns, indexes and constraints): the INSERT a `begin` makes, then the UPDATE
 * an `apply` makes, each its own transaction, like the journal's.
 */
async function pgbenchContender(url: string, schema: string, dir: string): Promise<TimedContender> {
  const table = `"${schema}"."capture_kit_intents"`;
  const scriptPath = join(dir, 'journal-writes.sql');
  await writeFile(
    scriptPath,
    [
      '\\set k random(1, 9000000000000000)',
      `INSERT INTO ${table} (provider, idempotency_key, kind, payment_id, amount_currency, amount_value, final, reference, state, attempts, created_at_ms, updated_at_ms, in_flight_until_ms, revision) VALUES ('pgbench', 'k' || :k, 'checkout', 'pay-' || :k, 'EUR', 1000, TRUE, 'k' || :k, 'sending', 1, 1800000000000, 1800000000000, 1800000016000, 1) ON CONFLICT DO NOTHING;`,
      `UPDATE ${table} SET state = 'succeeded', capture_id = 'act_' || :k, captured_currency = 'EUR', captured_value = 1000, http_status = 202, updated_at_ms = 1800000000001, in_flight_until_ms = NULL, revision = revision + 1 WHERE provider = 'pgbench' AND idempotency_key = 'k' || :k;`,
      '',
    ].join('\n'),
  );
  return {
    name: 'pgbench',
    label: `pgbench, same 2 writes (-c ${CONCURRENCY})`,
    async run(seconds) {
      // pgbench's -T includes opening its 64 connections, so it runs SETTLE_S longer and only
      // its per-second progress reports (-P 1) after those seconds are counted. bash's `times`
      // prints the CPU time of its children: pgbench's own CPU (connections included).
      const child = spawn(
        'bash',
        [
          '-c',
          'pgbench -n -P 1 -c "$1" -j 2 -T "$2" -f "$3" "$4" && times',
          'pgbench',
          String(CONCURRENCY),
          String(seconds + SETTLE_S),
          scriptPath,
          url,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      const intervals = [...out.matchAll(/progress: ([\d.]+) s, ([\d.]+) tps, lat ([\d.]+) ms/g)]
        .map((m) => ({ at: Number(m[1]), tps: Number(m[2]), latency: Number(m[3]) }))
        .filter((interval) => interval.at > SETTLE_S + 0.5);
      const processed = Number(/transactions actually processed: (\d+)/.exec(out)?.[1]);
      if (code !== 0 || intervals.length === 0) {
        throw new Error(`pgbench failed (exit ${code}):\n${out.replaceAll(url, '<url>')}`);
      }
      const tps = intervals.reduce((sum, i) => sum + i.tps, 0) / intervals.length;
      const children = [...out.matchAll(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/g)].at(-1);
      const cpuSeconds = children
        ? Number(children[1]) * 60 +
          Number(children[2]) +
          Number(children[3]) * 60 +
          Number(children[4])
        : Number.NaN;
      return {
        ops: Math.round(tps * intervals.length),
        seconds: intervals.length,
        opsPerSec: tps,
        // pgbench reports average latencies, not percentiles.
        p50Ms: median(intervals.map((i) => i.latency)),
        p99Ms: Number.NaN,
        clientCpuUsPerOp: (cpuSeconds * 1e6) / processed,
        simCpuUsPerOp: 0,
        simBusy: 0,
      };
    },
    async close() {},
  };
}

async function importFrom<T>(libraryDir: string, path: string): Promise<T> {
  return (await import(pathToFileURL(join(libraryDir, path)).href)) as T;
}

/** Whether PostgreSQL and pgbench are there; the reason when not. */
async function postgresProblem(url: string): Promise<string | undefined> {
  try {
    await execFileAsync('pgbench', ['--version']);
  } catch {
    return 'pgbench is not installed (Debian: postgresql-contrib / postgresql-client)';
  }
  try {
    await execFileAsync('psql', [url, '-tAc', 'SELECT 1'], { timeout: 10_000 });
  } catch {
    return 'no PostgreSQL server reachable (set CAPTURE_KIT_BENCH_PG_URL or CAPTURE_KIT_TEST_PG_URL)';
  }
  return undefined;
}

function result(contender: TimedContender, samples: SegmentSample[]): ContenderResult {
  const pick = (key: keyof SegmentSample) => median(samples.map((s) => s[key]));
  return {
    name: contender.name,
    label: contender.label,
    concurrency: CONCURRENCY,
    usesSimulator: false,
    samples,
    opsPerSec: pick('opsPerSec'),
    p50Ms: pick('p50Ms'),
    p99Ms: pick('p99Ms'),
    clientCpuUsPerOp: pick('clientCpuUsPerOp'),
    simCpuUsPerOp: 0,
    simBusy: 0,
  };
}

/**
 * Runs the journal benchmark.
 *
 * @example
 * ```ts
 * const result = await journalWrites(libraryDir, profile, progress);
 * ```
 */
export async function journalWrites(
  libraryDir: string,
  profile: Profile,
  onSample: (contender: Contender, sample: SegmentSample, round: number) => void,
): Promise<ThroughputResult> {
  const { memoryJournal } = await importFrom<typeof JournalModule>(libraryDir, 'core/journal.js');
  const { postgresJournal } = await importFrom<typeof PostgresJournalModule>(
    libraryDir,
    'journals/postgres/index.js',
  );
  const { PGlite } = await import('@electric-sql/pglite');
  const seconds = profile.name === 'quick' ? 2 : 4;
  const dir = await mkdtemp(join(tmpdir(), 'capture-kit-bench-journal-'));
  const schema = `capture_kit_bench_${process.pid}`;
  const notes: string[] = [];
  const contenders: TimedContender[] = [];
  const problem = await postgresProblem(BENCH_PG_URL);
  let dropSchema = async () => {};
  let closeDb = async () => {};
  try {
    if (problem) {
      notes.push(`PostgreSQL contenders skipped: ${problem}.`);
    } else {
      const openPostgres = () =>
        postgresJournal({ connectionString: BENCH_PG_URL, schema, poolSize: CONCURRENCY });
      const migrating = openPostgres();
      await migrating.migrate();
      await migrating.close();
      dropSchema = async () => {
        await execFileAsync('psql', [
          BENCH_PG_URL,
          '-qc',
          `DROP SCHEMA IF EXISTS "${schema}" CASCADE`,
        ]);
      };
      contenders.push(
        journalContender('postgres', `postgresJournal (pg pool of ${CONCURRENCY})`, async () =>
          openPostgres(),
        ),
        await pgbenchContender(BENCH_PG_URL, schema, dir),
      );
    }
    const db = await PGlite.create(join(dir, 'pglite'));
    closeDb = () => db.close();
    // One schema for every segment: the journal closes, the database stays open.
    contenders.push(
      journalContender('pglite', 'pgliteJournal (embedded, file-backed)', async () =>
        postgresJournal({ pglite: db, migrate: true }),
      ),
      journalContender('memory', 'memoryJournal (default)', async () => memoryJournal()),
    );

    const samples = new Map<TimedContender, SegmentSample[]>(contenders.map((c) => [c, []]));
    for (let round = 0; round < profile.rounds; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const contender = contenders[(round + k) % contenders.length] as TimedContender;
        const sample = await contender.run(seconds);
        samples.get(contender)?.push(sample);
        onSample(
          {
            name: contender.name,
            label: contender.label,
            concurrency: CONCURRENCY,
            usesSimulator: false,
            setup: async () => ({ op() {} }),
          },
          sample,
          round,
        );
      }
    }
    const results = contenders.map((c) => result(c, samples.get(c) ?? []));
    const byName = (name: string) => results.find((r) => r.name === name);
    const comparisons: Comparison[] = [];
    const postgres = byName('postgres');
    const pgbench = byName('pgbench');
    const pglite = byName('pglite');
    const memory = byName('memory');
    if (postgres && pgbench) {
      comparisons.push({
        subject: 'postgres',
        baseline: 'pgbench',
        ratio: pairedRatio(postgres, pgbench),
        target: 0.7,
      });
    }
    if (postgres && memory) {
      comparisons.push({
        subject: 'postgres',
        baseline: 'memory',
        ratio: pairedRatio(postgres, memory),
      });
    }
    if (pglite && memory) {
      comparisons.push({
        subject: 'pglite',
        baseline: 'memory',
        ratio: pairedRatio(pglite, memory),
      });
    }
    notes.push(
      "pgbench reports average latencies per second (-P 1); the median of those is shown as its p50. Its client CPU is its own process (bash `times`), opening its 64 connections included. The server's CPU is in no client figure: the journal, pgbench and the server share the same two cores.",
      'pgbench commits each of its two writes on its own; the journal commits once per script of batched writes (group commit), which is how a Node.js client, costlier per round trip than pgbench, keeps up.',
    );
    return {
      kind: 'throughput',
      id: 'journal-writes',
      title: `Journal writes, concurrency ${CONCURRENCY}`,
      unit: 'captures/s',
      setup:
        `One operation = one capture's two single-row journal writes, through the journal's public API: \`begin\` (a new intent, \`sending\`: two advisory locks and a conditional INSERT) and \`apply\` (the answer, \`succeeded\`: a compare-and-set UPDATE on the row's revision). ` +
        'The PostgreSQL journal sends the writes that queue while earlier ones are in flight together, one script and one commit per batch (client-side group commit, at most 8 scripts in flight). ' +
        `${CONCURRENCY} in flight (closed loop); each contender runs ${seconds} s per round, untimed warm-up first, order rotating per round. ` +
        `pgbench (\`-n -c ${CONCURRENCY} -j 2 -P 1\`, simple query protocol like the journal; its first ${SETTLE_S} s, while its connections open, are not counted) runs a custom script of the same two writes — the INSERT and the UPDATE, each its own transaction — into the journal's own table on the same server, so the same indexes and constraints are maintained. ` +
        'PGlite runs in this process on a file-backed data directory; the memory journal is the default.',
      contenders: results,
      comparisons,
      notes,
    };
  } finally {
    for (const contender of contenders) await contender.close().catch(() => {});
    await dropSchema().catch(() => {});
    await closeDb().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as JournalModule from '../src/core/journal.js';
import type * as PostgresJournalModule from '../src/journals/postgres/index.js';
import { BENCH_PG_URL } from './journal.js';
import type { Library } from './library.js';
import { type Contender, pairedRatio, runInterleaved, type SegmentSample } from './measure.js';
import { paymentAt, type SimEndpoint, simContender, startSimProcess } from './sim-client.js';
import {
  type Comparison,
  captureMeasureOptions,
  type Profile,
  type ThroughputResult,
} from './types.js';

/**
 * Captures per second through `client.capture()` at concurrency 64 against the Checkout.com
 * simulator process, with the default memory journal, the embedded PGlite journal and the
 * PostgreSQL journal — the "what does durability cost" as ratios to memory, measured
 * in ONE run with the contenders interleaved (measure.ts), so machine load hits all alike.
 */

const CONCURRENCY = 64;
const PAYMENT = { amount: 1000n, currency: 'EUR', cardBrand: 'visa' } as const;

function credential(credentials: Readonly<Record<string, string>>, name: string): string {
  const value = credentials[name];
  if (!value) throw new Error(`the Checkout.com simulator reported no ${name}`);
  return value;
}

/** capture-kit with one journal (a fresh journal instance per segment, closed after it). */
function withJournal(
  lib: Library,
  sim: Parameters<typeof simContender>[0],
  name: string,
  label: string,
  journal: () => JournalModule.CaptureJournal,
): Contender {
  return simContender(
    sim,
    { name, label, concurrency: CONCURRENCY, payment: PAYMENT },
    (segment) => {
      const endpoint: SimEndpoint = segment.endpoint;
      const client = lib.createCaptureClient({
        providers: {
          bench: lib.checkout({
            secretKey: credential(endpoint.credentials, 'secretKey'),
            webhookSecret: credential(endpoint.credentials, 'webhookSecret'),
            baseUrl: endpoint.baseUrl,
          }),
        },
        journal: journal(),
      });
      return {
        async op(index) {
          const result = await client.capture({
            provider: 'bench',
            paymentId: paymentAt(segment, index),
            amount: { currency: PAYMENT.currency, value: PAYMENT.amount },
            idempotencyKey: segment.key(index),
          });
          if (result.isErr()) throw new Error(`${name} capture failed: ${result.error.message}`);
          if (result.value.status !== 'pending') {
            throw new Error(`expected a pending capture (202), got ${result.value.status}`);
          }
        },
        // Closes the adapter's pool and the journal (its pg pool; never the shared PGlite).
        teardown: () => client.close(),
      };
    },
  );
}

async function importFrom<T>(libraryDir: string, path: string): Promise<T> {
  return (await import(pathToFileURL(join(libraryDir, path)).href)) as T;
}

async function postgresReachable(url: string): Promise<string | undefined> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `no PostgreSQL server reachable (set CAPTURE_KIT_BENCH_PG_URL or CAPTURE_KIT_TEST_PG_URL): ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Runs the journal-captures benchmark (its own Checkout.com simulator process).
 *
 * @example
 * ```ts
 * const result = await journalCaptures(lib, libraryDir, profile, progress);
 * ```
 */
export async function journalCaptures(
  lib: Library,
  libraryDir: string,
  profile: Profile,
  onSample: (contender: Contender, sample: SegmentSample, round: number) => void,
): Promise<ThroughputResult> {
  const { memoryJournal } = await importFrom<typeof JournalModule>(libraryDir, 'core/journal.js');
  const { postgresJournal, migrate } = await importFrom<typeof PostgresJournalModule>(
    libraryDir,
    'journals/postgres/index.js',
  );
  const { PGlite } = await import('@electric-sql/pglite');
  const sim = await startSimProcess('checkout', libraryDir);
  const dir = await mkdtemp(join(tmpdir(), 'capture-kit-bench-journal-captures-'));
  const schema = `capture_kit_bench_captures_${process.pid}`;
  const notes: string[] = [];
  let cleanup = async () => {};
  try {
    // One PGlite database for the whole run (creating one takes seconds), file-backed like
    // pgliteJournal({ dataDir }); each segment's journal is a new instance over it.
    const db = await PGlite.create(join(dir, 'pglite'));
    const contenders: Contender[] = [
      withJournal(lib, sim, 'memory', 'capture-kit, memoryJournal (default)', () =>
        memoryJournal(),
      ),
      withJournal(lib, sim, 'pglite', 'capture-kit, PGlite journal (embedded, file-backed)', () =>
        postgresJournal({ pglite: db }),
      ),
    ];
    const problem = await postgresReachable(BENCH_PG_URL);
    if (problem) {
      notes.push(`PostgreSQL contender skipped: ${problem}.`);
    } else {
      await migrate({ connectionString: BENCH_PG_URL, schema });
      cleanup = async () => {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: BENCH_PG_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      };
      contenders.push(
        withJournal(lib, sim, 'postgres', 'capture-kit, PostgreSQL journal (pool of 10)', () =>
          postgresJournal({ connectionString: BENCH_PG_URL, schema, migrate: false }),
        ),
      );
    }
    const options = captureMeasureOptions(profile, CONCURRENCY);
    const results = await runInterleaved(contenders, {
      ...options,
      simulatorCpu: () => sim.cpuMicros(),
      onSample,
    });
    await db.close();
    const memory = results.find((r) => r.name === 'memory');
    const comparisons: Comparison[] = memory
      ? results
          .filter((r) => r.name !== 'memory')
          .map((r) => ({ subject: r.name, baseline: 'memory', ratio: pairedRatio(r, memory) }))
      : [];
    notes.push(
      'A durable journal adds two writes to every capture (the intent before the request, the answer after it) and waits for each to commit: what the ratios show is that cost at this concurrency. The PostgreSQL server, PGlite (in this process), the simulator process and the client share the same cores.',
    );
    return {
      kind: 'throughput',
      id: 'journal-captures',
      title: `Captures through the client with each journal, concurrency ${CONCURRENCY}`,
      unit: 'captures/s',
      setup: [
        `\`client.capture()\` → Checkout.com simulator process (\`POST /payments/{id}/captures\` → \`202\`), ${CONCURRENCY} in flight (closed loop).`,
        'Each capture is a full capture of its own freshly authorized payment (10.00 EUR) with its own idempotency key; the three contenders differ only in `createCaptureClient({ journal })`.',
        'Every segment gets a new journal instance (PGlite: over one database created once per run; PostgreSQL: its own pool of the default 10 connections, in a schema migrated once) and a freshly reset simulator,',
        `${options.warmupOps} untimed warm-up captures, then about ${profile.captureSegmentMs / 1000} s of measured captures; contenders interleaved, order rotating per round.`,
      ].join(' '),
      contenders: results,
      comparisons,
      notes,
    };
  } finally {
    await cleanup().catch(() => {});
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

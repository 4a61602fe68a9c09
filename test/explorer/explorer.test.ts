import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedPaymentState } from '../../src/testing/harness.js';
import { requireTestServer } from '../journal/postgres-test-server.js';
import { PROFILE_NAMES } from './explorer-commands.js';
import { type ExplorerDatabase, openExplorerDatabase } from './explorer-journal.js';
import {
  type CallerView,
  checkInvariants,
  DEFAULT_ENV_OPTIONS,
  exploreProfile,
  FAILING_KINDS,
  formatReproduction,
  type ProfileReport,
  shrinkFailure,
  startExplorerEnv,
  summaryLine,
} from './run-exploration.js';

/**
 * The model-based explorer (DESIGN §6, issue 10): a caller that follows the README's
 * outcome table to the letter, random faults on the capture AND on the inquiry, against
 * every simulator through the fault proxy. Never more money captured than meant; never a
 * key believed failed / not attempted that the provider captured.
 *
 * Bounded for `npm test`: EXPLORE_RUNS runs per profile (default 60), from EXPLORE_SEED
 * (default 20260110; run i uses seed + i), the profiles side by side. The first failure
 * per profile is minimized with fast-check for EXPLORE_SHRINK_MS (default 5000; 0 = off).
 * `npm run explore -- --runs 10000` runs the same model at any size.
 */
const RUNS = envNumber('EXPLORE_RUNS', 60);
const SEED = envNumber('EXPLORE_SEED', 20260110);
const SHRINK_MS = envNumber('EXPLORE_SHRINK_MS', 5_000);
/** Runs per profile with each durable journal (crash-restart steps and reconcile). */
const DURABLE_RUNS = envNumber('EXPLORE_DURABLE_RUNS', 6);

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a whole number ≥ 0 (got ${JSON.stringify(raw)}).`);
  }
  return value;
}

/** The summary, and the first failure (minimized when time allows), as the assertion message. */
async function explain(
  report: ProfileReport,
  env: Awaited<ReturnType<typeof startExplorerEnv>>,
): Promise<string> {
  // A double capture is the one to show when there is one; else the first wrong failed.
  const kind = FAILING_KINDS.find((k) => report.failures.some((f) => f.kinds.includes(k)));
  const first = kind && report.failures.find((f) => f.kinds.includes(kind));
  if (!kind || !first) return summaryLine(report);
  const shrunk =
    SHRINK_MS > 0
      ? await shrinkFailure(env, first.seed, kind, { timeLimitMs: SHRINK_MS })
      : undefined;
  const seeds = report.failures.map((f) => `${f.seed} (${f.kinds.join(', ')})`).join('; ');
  return [
    summaryLine(report),
    `failing runs: ${seeds}`,
    `first failure (${kind})${shrunk ? `, minimized in ${shrunk.shrinks} shrinks` : ''}:`,
    formatReproduction(report.profile, shrunk ?? first, env.journal),
  ].join('\n');
}

describe.concurrent('model-based explorer: a README-following caller never captures twice', () => {
  for (const profile of PROFILE_NAMES) {
    it(`${profile}: ${RUNS} runs from seed ${SEED}`, { timeout: 240_000 }, async () => {
      const env = await startExplorerEnv(profile, DEFAULT_ENV_OPTIONS);
      try {
        const report = await exploreProfile(env, { runs: RUNS, seed: SEED });
        const message = await explain(report, env);
        expect(report.doubleCaptures, message).toBe(0);
        expect(report.wrongFailed, message).toBe(0);
      } finally {
        await env.close();
      }
    });
  }
});

/**
 * The same explorer with a durable journal: the caller's process may die mid-capture (after
 * the intent is written, or after the answer came and before it is recorded) and a NEW
 * client over a NEW journal instance on the same database goes on; `reconcile()` is one of
 * the commands. PGlite always; PostgreSQL when a server is reachable (required in CI).
 * `npm run explore -- --journal postgres --runs 2000` runs it at size.
 */
function durableExploration(journal: 'pglite' | 'postgres', url?: string): void {
  describe.concurrent(`${journal} journal, crash-restart steps: still never a double capture`, () => {
    let database: ExplorerDatabase;
    beforeAll(async () => {
      database = await openExplorerDatabase(journal, url);
    }, 240_000);
    afterAll(async () => {
      await database?.close();
    });
    for (const profile of PROFILE_NAMES) {
      it(`${profile}: ${DURABLE_RUNS} runs from seed ${SEED}`, { timeout: 240_000 }, async () => {
        const env = await startExplorerEnv(profile, { ...DEFAULT_ENV_OPTIONS, database });
        try {
          const report = await exploreProfile(env, { runs: DURABLE_RUNS, seed: SEED });
          const message = await explain(report, env);
          expect(report.doubleCaptures, message).toBe(0);
          expect(report.wrongFailed, message).toBe(0);
        } finally {
          await env.close();
        }
      });
    }
  });
}

durableExploration('pglite');
const server = await requireTestServer();
if (server) {
  await server.end();
  durableExploration('postgres', server.url);
}

describe('the explorer invariants', () => {
  const state = (captures: [string, bigint, 'succeeded' | 'processing' | 'failed'][]) =>
    ({
      paymentId: 'p1',
      authorized: { currency: 'USD', value: 10_000n },
      capturedTotal: captures.reduce(
        (sum, [, amount, status]) => (status === 'failed' ? sum : sum + amount),
        0n,
      ),
      status: 'PARTIALLY_CAPTURED',
      captures: captures.map(([idempotencyKey, amount, status]) => ({
        idempotencyKey,
        captureId: `c-${idempotencyKey}`,
        amount,
        status,
        final: false,
      })),
    }) satisfies SimulatedPaymentState;
  const caller = (slots: { amount: bigint; attempts: { key: string; belief: string }[] }[]) => {
    const view = slots.map((slot, index) => ({
      index,
      amount: slot.amount,
      attempts: slot.attempts.map((a) => ({ ...a, slot: index, sameKeyOk: true })),
    }));
    return { slots: view, attempts: view.flatMap((s) => s.attempts) } as unknown as CallerView;
  };

  it('sees a capture taken twice under two keys of one meant capture', () => {
    const found = checkInvariants(
      state([
        ['k1', 3000n, 'succeeded'],
        ['k2', 3000n, 'succeeded'],
      ]),
      caller([
        {
          amount: 3000n,
          attempts: [
            { key: 'k1', belief: 'not_attempted' },
            { key: 'k2', belief: 'succeeded' },
          ],
        },
      ]),
      false,
    );
    expect(found.map((f) => f.kind)).toEqual(['double_capture', 'wrong_failed']);
  });

  it('counts a processing capture against a key believed failed, not as money taken twice', () => {
    const found = checkInvariants(
      state([
        ['k1', 3000n, 'succeeded'],
        ['k2', 3000n, 'processing'],
      ]),
      caller([
        {
          amount: 3000n,
          attempts: [
            { key: 'k1', belief: 'succeeded' },
            { key: 'k2', belief: 'failed' },
          ],
        },
      ]),
      false,
    );
    expect(found.map((f) => f.kind)).toEqual(['wrong_failed']);
  });

  it('sees a key believed failed that the simulator holds, and a succeeded one it does not', () => {
    const found = checkInvariants(
      state([['k1', 2000n, 'succeeded']]),
      caller([
        { amount: 2000n, attempts: [{ key: 'k1', belief: 'failed' }] },
        { amount: 2000n, attempts: [{ key: 'k9', belief: 'succeeded' }] },
      ]),
      true,
    );
    expect(found.map((f) => f.kind)).toEqual(['wrong_failed', 'wrong_succeeded']);
  });

  it('accepts honest states: declined attempts, open attempts, partial captures', () => {
    const found = checkInvariants(
      state([
        ['k1', 2000n, 'failed'],
        ['k2', 2000n, 'processing'],
        ['k3', 1000n, 'succeeded'],
      ]),
      caller([
        {
          amount: 2000n,
          attempts: [
            { key: 'k1', belief: 'failed' },
            { key: 'k2', belief: 'unknown' },
          ],
        },
        { amount: 1000n, attempts: [{ key: 'k3', belief: 'succeeded' }] },
      ]),
      true,
    );
    expect(found).toEqual([]);
  });
});

/**
 * The model-based explorer, at any size: plays generated runs of a README-following caller
 * against each simulator through the fault proxy and counts double captures and wrong
 * `failed` outcomes (test/explorer/run-exploration.ts has the model and the invariants).
 *
 *   npm run explore -- --runs 10000                    every profile, 10,000 runs each
 *   npm run explore -- --runs 200 --provider checkout  one profile
 *   npm run explore -- --seed 7 --runs 1 --provider antom-multi          replay run seed 7
 *   npm run explore -- --seed 7 --path 0:1:3 --provider antom-multi      replay a shrunk case
 *   npm run explore -- --journal postgres --runs 2000 --parallel 4     durable journal + crashes
 *
 * Options: --runs N (default 100) · --provider P (antom-multi, antom-full, alipay-v2,
 * checkout, checkout-async, stripe, adyen, or a group: antom, cko; default all) · --seed S (default 20260110)
 * · --commands N (most commands per run, default 20) · --timeout-ms N (adapter timeout, what
 * each timeout fault costs; default 200) · --shrink-ms N (time to shrink the first failure
 * per failing kind per profile; default 60000, 0 = no shrinking) · --parallel N (simulators
 * per profile playing runs side by side; run i always goes to simulator i mod N, so the
 * figures for a given N do not depend on timing; default 2) · --path P (with --seed: replay
 * fast-check's shrunk case) · --journal J (memory, pglite or postgres; default memory — with
 * a durable journal the commands include a crash of the caller's process mid-capture and
 * `reconcile()`; every client writes to a new journal instance over ONE shared database:
 * PGlite in memory, or the PostgreSQL server at CAPTURE_KIT_TEST_PG_URL, in a schema of its
 * own dropped at the end) · --quiet.
 *
 * Prints per profile "N runs, D double captures, W wrong failed" and, for the first run with
 * a double capture and the first with a wrong failed, a minimized reproduction. Exits 1 when D or W is above 0 anywhere, 2 on a usage error.
 */
import { PROFILE_NAMES, type ProfileName } from '../test/explorer/explorer-commands.js';
import {
  EXPLORER_JOURNALS,
  type ExplorerDatabase,
  type ExplorerJournalName,
  openExplorerDatabase,
} from '../test/explorer/explorer-journal.js';
import {
  DEFAULT_ENV_OPTIONS,
  exploreProfile,
  FAILING_KINDS,
  formatReproduction,
  type ProfileReport,
  shrinkFailure,
  startExplorerEnv,
  summaryLine,
} from '../test/explorer/run-exploration.js';

interface Flags {
  runs: number;
  profiles: ProfileName[];
  seed: number;
  commands: number;
  timeoutMs: number;
  shrinkMs: number;
  parallel: number;
  path?: string;
  journal: ExplorerJournalName;
  quiet: boolean;
}

function usage(message: string): never {
  console.error(
    `explore: ${message}\nUsage: npm run explore -- [--runs N] [--provider P] [--seed S] [--commands N] [--timeout-ms N] [--shrink-ms N] [--parallel N] [--path P] [--journal memory|pglite|postgres] [--quiet]`,
  );
  process.exit(2);
}

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = {
    runs: 100,
    profiles: [...PROFILE_NAMES],
    seed: 20260110,
    commands: 20,
    timeoutMs: DEFAULT_ENV_OPTIONS.timeoutMs,
    shrinkMs: 60_000,
    parallel: 2,
    journal: 'memory',
    quiet: false,
  };
  const whole = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isSafeInteger(n) || n < min) {
      usage(`${name} needs a whole number ≥ ${min} (got ${value ?? 'nothing'})`);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--runs':
        flags.runs = whole('--runs', value, 1);
        i++;
        break;
      case '--seed':
        flags.seed = whole('--seed', value, 0);
        i++;
        break;
      case '--commands':
        flags.commands = whole('--commands', value, 1);
        i++;
        break;
      case '--timeout-ms':
        flags.timeoutMs = whole('--timeout-ms', value, 1);
        i++;
        break;
      case '--shrink-ms':
        flags.shrinkMs = whole('--shrink-ms', value, 0);
        i++;
        break;
      case '--parallel':
        flags.parallel = whole('--parallel', value, 1);
        i++;
        break;
      case '--path':
        if (!value || !/^\d+(:\d+)*$/.test(value))
          usage('--path needs a fast-check path such as 0:2:1');
        flags.path = value;
        i++;
        break;
      case '--provider': {
        if (!value)
          usage(`--provider needs one of ${PROFILE_NAMES.join(', ')} or a group (antom, cko)`);
        const chosen = PROFILE_NAMES.filter(
          (p) =>
            p === value ||
            (value === 'antom' && p.startsWith('antom')) ||
            (value === 'cko' && p.startsWith('checkout')),
        );
        if (chosen.length === 0)
          usage(
            `--provider must be one of ${PROFILE_NAMES.join(', ')} or a group: antom, cko (got ${value})`,
          );
        flags.profiles = chosen;
        i++;
        break;
      }
      case '--journal':
        if (!EXPLORER_JOURNALS.includes(value as ExplorerJournalName))
          usage(
            `--journal must be one of ${EXPLORER_JOURNALS.join(', ')} (got ${value ?? 'nothing'})`,
          );
        flags.journal = value as ExplorerJournalName;
        i++;
        break;
      case '--quiet':
        flags.quiet = true;
        break;
      default:
        usage(`unknown argument ${flag}`);
    }
  }
  if (flags.path !== undefined && flags.profiles.length !== 1)
    usage('--path replays one case: name its --provider');
  return flags;
}

async function replayPath(
  flags: Flags & { path: string },
  profile: ProfileName,
  database: ExplorerDatabase,
): Promise<boolean> {
  const env = await startExplorerEnv(profile, {
    ...DEFAULT_ENV_OPTIONS,
    timeoutMs: flags.timeoutMs,
    database,
  });
  try {
    for (const kind of FAILING_KINDS) {
      const shrunk = await shrinkFailure(env, flags.seed, kind, {
        timeLimitMs: Math.max(flags.shrinkMs, 1),
        maxCommands: flags.commands,
        path: flags.path,
      });
      if (shrunk) {
        console.log(`${profile}: the case fails with ${kind}`);
        console.log(formatReproduction(profile, shrunk, database.name));
        return false;
      }
    }
    console.log(`${profile}: the case at --seed ${flags.seed} --path ${flags.path} passes`);
    return true;
  } finally {
    await env.close();
  }
}

async function exploreOne(
  flags: Flags,
  profile: ProfileName,
  database: ExplorerDatabase,
): Promise<ProfileReport> {
  const options = { ...DEFAULT_ENV_OPTIONS, timeoutMs: flags.timeoutMs, database };
  const envs = await Promise.all(
    Array.from({ length: flags.parallel }, () => startExplorerEnv(profile, options)),
  );
  try {
    const step = Math.max(1, Math.floor(flags.runs / 10));
    const report = await exploreProfile(envs, {
      runs: flags.runs,
      seed: flags.seed,
      maxCommands: flags.commands,
      onRun: (done) => {
        if (!flags.quiet && (done + 1) % step === 0 && done + 1 < flags.runs) {
          console.error(`  ${profile}: ${done + 1}/${flags.runs} runs`);
        }
      },
    });
    // One minimized reproduction per failing kind: the first run that shows it.
    for (const kind of FAILING_KINDS) {
      const failing = report.failures.filter((f) => f.kinds.includes(kind));
      const first = failing[0];
      if (!first) continue;
      const seeds = failing.map((f) => f.seed);
      const shown = seeds.slice(0, 20).join(', ') + (seeds.length > 20 ? ', …' : '');
      const env = envs[0] as (typeof envs)[number];
      const shrunk =
        flags.shrinkMs > 0
          ? await shrinkFailure(env, first.seed, kind, {
              timeLimitMs: flags.shrinkMs,
              maxCommands: flags.commands,
            })
          : undefined;
      const how = shrunk ? `minimized in ${shrunk.shrinks} shrinks` : 'not minimized';
      console.log(`\n${profile}: ${kind} in runs with seeds ${shown}`);
      console.log(`${profile}: first ${kind} (${how}):`);
      console.log(
        formatReproduction(
          profile,
          shrunk ?? { seed: first.seed, run: first.run, outcome: first.outcome },
          database.name,
        ),
      );
    }
    return report;
  } finally {
    await Promise.all(envs.map((env) => env.close()));
  }
}

const flags = parseFlags(process.argv.slice(2));
let database: ExplorerDatabase;
try {
  database = await openExplorerDatabase(flags.journal);
} catch (error) {
  console.error(`explore: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
if (flags.path !== undefined) {
  const passed = await replayPath(
    { ...flags, path: flags.path },
    flags.profiles[0] as ProfileName,
    database,
  ).finally(() => database.close());
  process.exit(passed ? 0 : 1);
}
console.log(
  `explore: ${flags.runs} runs per profile, seed ${flags.seed}, ≤ ${flags.commands} commands per run, adapter timeout ${flags.timeoutMs} ms, ${flags.journal} journal${flags.journal === 'memory' ? '' : ' with crash-restart steps'}`,
);
// Profiles run side by side: a run mostly waits (timeouts), so they share the CPU well.
const reports = await Promise.all(
  flags.profiles.map((profile) => exploreOne(flags, profile, database)),
).finally(() => database.close());
for (const report of reports) console.log(summaryLine(report));
const bad = reports.some((r) => r.doubleCaptures > 0 || r.wrongFailed > 0);
process.exit(bad ? 1 : 0);

import fc from 'fast-check';
import type { SimulatedPaymentState } from '../../src/testing/harness.js';
import {
  describeCommand,
  describeFault,
  type ExplorerCommand,
  type ExplorerRun,
  type ProfileName,
  plannedSlots,
  runArbitrary,
} from './explorer-commands.js';
import {
  DEFAULT_ENV_OPTIONS,
  type ExplorerClient,
  type ExplorerEnv,
  type ExplorerEnvOptions,
  startExplorerEnv,
} from './explorer-env.js';
import { type Attempt, type CallerSlot, LiteralCaller } from './literal-caller.js';

/**
 * The model-based explorer's driver, shared by the vitest test (test/explorer/) and
 * `npm run explore`: plays generated runs against one profile's simulator through the fault
 * proxy with a {@link LiteralCaller}, and checks after every command and at the end that
 *
 * (a) the simulator never holds more money for a meant capture (or for the payment) than
 *     the caller meant — a "double capture";
 * (b) no key the caller believes ended `failed` or `not_attempted` has a capture (succeeded
 *     or processing) at the simulator — a "wrong failed".
 *
 * It also reports (not asserted) "wrong succeeded": a key the caller believes succeeded for
 * which the simulator holds no capture.
 */

export type ViolationKind = 'double_capture' | 'wrong_failed' | 'wrong_succeeded';

export interface Violation {
  readonly kind: ViolationKind;
  /** Index of the command after which it was first seen; `commands.length` = the finish phase. */
  readonly afterCommand: number;
  readonly detail: string;
}

export interface RunOutcome {
  readonly violations: readonly Violation[];
  readonly trace: readonly string[];
  /**
   * Requests no fault touched whose answer came after the adapter's timeout (a busy
   * machine): they turned into `unknown` outcomes no command asked for. Honest, but such a
   * run may not reproduce on a quiet machine.
   */
  readonly slowAnswers: number;
}

/** Kinds that fail a run (wrong succeeded is reported only). */
export const FAILING_KINDS: readonly ViolationKind[] = ['double_capture', 'wrong_failed'];

/**
 * Money the simulator holds per key. `taken` counts captures that succeeded: a capture
 * still processing may yet fail (Antom finishes an injected U with the rules' verdict), so
 * it does not count as money moved twice. `open` adds processing ones: a key believed
 * failed must not have even those, since money may still move under it.
 */
function held(state: SimulatedPaymentState) {
  const taken = new Map<string, bigint>();
  const open = new Map<string, bigint>();
  let total = 0n;
  for (const capture of state.captures) {
    if (capture.status === 'failed') continue;
    open.set(capture.idempotencyKey, (open.get(capture.idempotencyKey) ?? 0n) + capture.amount);
    if (capture.status !== 'succeeded') continue;
    taken.set(capture.idempotencyKey, (taken.get(capture.idempotencyKey) ?? 0n) + capture.amount);
    total += capture.amount;
  }
  return { taken, open, total };
}

/** What the invariants read of the caller (a {@link LiteralCaller} is one). */
export interface CallerView {
  readonly slots: readonly Pick<CallerSlot, 'index' | 'amount' | 'attempts'>[];
  readonly attempts: readonly Pick<Attempt, 'key' | 'belief' | 'code'>[];
}

/** The invariants, against the simulator's ground truth. */
export function checkInvariants(
  state: SimulatedPaymentState,
  caller: CallerView,
  final: boolean,
): { kind: ViolationKind; detail: string }[] {
  const { taken: byKey, open, total } = held(state);
  const found: { kind: ViolationKind; detail: string }[] = [];
  const meant = caller.slots.reduce((sum, slot) => sum + slot.amount, 0n);
  for (const slot of caller.slots) {
    const taken = slot.attempts.reduce((sum, a) => sum + (byKey.get(a.key) ?? 0n), 0n);
    if (taken > slot.amount) {
      found.push({
        kind: 'double_capture',
        detail: `slot ${slot.index} meant ${slot.amount}, the simulator holds ${taken} under ${describeKeys(slot, byKey)}`,
      });
    }
  }
  if (total > meant && !found.some((f) => f.kind === 'double_capture')) {
    found.push({
      kind: 'double_capture',
      detail: `the caller meant ${meant} in all, the simulator holds ${total}`,
    });
  }
  for (const attempt of caller.attempts) {
    const amount = open.get(attempt.key);
    if ((attempt.belief === 'failed' || attempt.belief === 'not_attempted') && amount) {
      found.push({
        kind: 'wrong_failed',
        detail: `key ${attempt.key} ended ${attempt.belief} (${attempt.code}) but the simulator holds ${amount} under it`,
      });
    }
    if (final && attempt.belief === 'succeeded' && amount === undefined) {
      found.push({
        kind: 'wrong_succeeded',
        detail: `key ${attempt.key} believed succeeded but the simulator holds nothing under it`,
      });
    }
  }
  return found;
}

function describeKeys(slot: CallerView['slots'][number], byKey: Map<string, bigint>): string {
  return slot.attempts
    .filter((a) => byKey.has(a.key))
    .map((a) => `${a.key}=${byKey.get(a.key)} (caller: ${a.belief})`)
    .join(', ');
}

/** Plays one run against `env` and returns what was violated, with a readable trace. */
export async function executeRun(env: ExplorerEnv, run: ExplorerRun): Promise<RunOutcome> {
  const trace: string[] = [];
  const violations: Violation[] = [];
  const runId = env.nextRunId();
  const provider = env.providerName(runId);
  const session: Session = { provider, current: env.newClient(provider) };
  const firstSeq = env.proxy.exchanges.at(-1)?.seq ?? 0;
  const refuseNext = { capture: 0, inquiry: 0 };
  try {
    const payment = await env.authorize();
    const slots = plannedSlots(run.plan);
    trace.push(
      `payment ${payment.paymentId}: ${slots.map((s, i) => `slot ${i} ${s.omitAmount ? 'full (no amount)' : s.amount}${s.final ? ' final' : ''}`).join(', ')}; reference ${run.plan.reference}`,
    );
    const caller = new LiteralCaller({
      client: session.current.client,
      provider,
      paymentId: payment.paymentId,
      currency: env.currency,
      context: payment.context,
      slots,
      keyPrefix: `r${runId}`,
      reference: run.plan.reference,
      log: (line) => trace.push(`    ${line}`),
      firstEvent: env.events().length,
    });
    const seen = new Set<string>();
    const check = async (index: number, final: boolean) => {
      const state = await env.payment(payment.paymentId);
      for (const found of checkInvariants(state, caller, final)) {
        const id = `${found.kind}:${found.detail}`;
        if (seen.has(id)) continue;
        seen.add(id);
        violations.push({ ...found, afterCommand: index });
        trace.push(`    !! ${found.kind}: ${found.detail}`);
      }
    };
    const refusing = async (on: 'capture' | 'inquiry', call: () => Promise<void>) => {
      if (refuseNext[on] === 0) return call();
      refuseNext[on] -= 1;
      return env.proxy.whileRefusing(call);
    };

    for (const [index, command] of run.commands.entries()) {
      trace.push(`${index}. ${describeCommand(command)}`);
      const lastSeq = env.proxy.exchanges.at(-1)?.seq ?? 0;
      await perform(env, caller, session, command, refuseNext, refusing);
      noteSlowAnswers(env, lastSeq, trace);
      await check(index, false);
    }

    // The caller finishes its job with the network healthy again: resolves what is open,
    // captures what it still means to, as the table allows.
    trace.push(`${run.commands.length}. finish (no more faults)`);
    env.clearFaults();
    refuseNext.capture = 0;
    refuseNext.inquiry = 0;
    const settle = () => env.settle();
    for (let round = 0; round < 3; round++) {
      // What the caller believes was not attempted or failed it calls again at once, as the
      // table says; what is open it resolves; then time passes and webhooks arrive.
      for (const slot of caller.slots) {
        if (caller.unfinished(slot) && !caller.openAttempt(slot)) {
          await caller.capture(slot.index, 'new');
        }
      }
      for (const key of [...caller.mustResolve]) {
        const slot = caller.attempts.find((a) => a.key === key)?.slot ?? 0;
        await caller.resolveUntilFinal(slot, 4, settle);
      }
      for (const slot of caller.slots) {
        if (caller.openAttempt(slot)) await caller.resolveUntilFinal(slot.index, 4, settle);
      }
      await env.settle();
      caller.readWebhooks(env.events());
      const done = caller.slots.every((slot) => !caller.unfinished(slot));
      if (done && caller.mustResolve.size === 0) break;
    }
    await env.settle();
    caller.readWebhooks(env.events());
    await check(run.commands.length, true);
    const state = await env.payment(payment.paymentId);
    trace.push(
      `end: simulator holds ${state.capturedTotal} (${state.captures.map((c) => `${c.idempotencyKey}=${c.amount} ${c.status}`).join(', ') || 'no captures'}); caller: ${caller.attempts.map((a) => `${a.key} ${a.belief}`).join(', ')}`,
    );
  } finally {
    env.clearFaults();
    await session.current.client.close();
  }
  const slowAnswers = env.proxy.exchanges.filter(
    (e) => e.seq > firstSeq && !e.fault && e.state === 'client_gone',
  ).length;
  if (slowAnswers > 0) {
    trace.push(`(${slowAnswers} request(s) answered after the adapter's timeout: a busy machine)`);
  }
  return { violations, trace, slowAnswers };
}

/**
 * A busy machine can make a pass-through answer arrive after the adapter's timeout: the
 * caller then sees a timeout no fault asked for. Still an honest `unknown`, but worth
 * knowing when a reproduction does not reproduce.
 */
function noteSlowAnswers(env: ExplorerEnv, afterSeq: number, trace: string[]): void {
  for (const exchange of env.proxy.exchanges) {
    if (exchange.seq <= afterSeq || exchange.fault || exchange.state !== 'client_gone') continue;
    trace.push(
      `    (slow machine: ${exchange.method} ${exchange.path} was answered after the client gave up)`,
    );
  }
}

/** The client of the caller's current process (a crash replaces it). */
interface Session {
  readonly provider: string;
  current: ExplorerClient;
}

/**
 * The caller's process dies mid-capture (DESIGN §8: what a crash leaves is the journal's
 * `sending` intent, or an answer never recorded). The call is dropped, never awaited again;
 * nothing of the dead process runs on (its journal never settles another call). A restart
 * takes time, so its in-flight windows have passed; a NEW client over a NEW journal
 * instance on the same database continues.
 */
async function crashRestart(
  env: ExplorerEnv,
  caller: LiteralCaller,
  session: Session,
  command: Extract<ExplorerCommand, { do: 'crash' }>,
): Promise<void> {
  const journal = session.current.journal;
  if (journal) {
    const died = journal.crash(command.when).then((key) => ({ key }));
    const returned = caller.capture(command.slot, command.key).then(() => undefined);
    const dead = await Promise.race([died, returned]);
    if (dead) caller.lostAnswer(dead.key);
    // A call that ended before the crash point (nothing to send): the process dies now.
    journal.kill();
  }
  await env.passRestartTime();
  session.current = env.newClient(session.provider);
  caller.useClient(session.current.client);
}

async function perform(
  env: ExplorerEnv,
  caller: LiteralCaller,
  session: Session,
  command: ExplorerCommand,
  refuseNext: { capture: number; inquiry: number },
  refusing: (on: 'capture' | 'inquiry', call: () => Promise<void>) => Promise<void>,
): Promise<void> {
  // A call's own fault is armed just before it, on its first request of the class.
  if ('fault' in command && command.do !== 'fault' && command.fault) {
    const on = command.do === 'capture' || command.do === 'crash' ? 'capture' : 'inquiry';
    await perform(
      env,
      caller,
      session,
      { do: 'fault', on, fault: command.fault, times: 1 },
      refuseNext,
      refusing,
    );
  }
  switch (command.do) {
    case 'capture':
      return refusing('capture', () => caller.capture(command.slot, command.key));
    case 'resolve':
      return refusing('inquiry', () => caller.resolve(command.slot));
    case 'resolveUntilFinal':
      return refusing('inquiry', () =>
        caller.resolveUntilFinal(
          command.slot,
          command.maxAttempts,
          command.settle ? () => env.settle() : undefined,
        ),
      );
    case 'settle':
      await env.settle();
      caller.readWebhooks(env.events());
      return;
    case 'crash':
      return refusing('capture', () => crashRestart(env, caller, session, command));
    case 'reconcile':
      return caller.reconcile();
    case 'fault': {
      const { fault, on, times } = command;
      if ('sim' in fault) {
        for (let i = 0; i < times; i++) env.armSim(on, fault);
        return;
      }
      if (fault.net === 'refuse') {
        refuseNext[on] += times;
        return;
      }
      const target = {
        on,
        times,
        ...(on === 'inquiry' && env.inquiryPath ? { path: env.inquiryPath } : {}),
      };
      env.proxy.inject(
        fault.net === 'status'
          ? { ...target, kind: 'status', status: fault.status }
          : { ...target, kind: fault.net },
      );
      return;
    }
  }
}

export interface ExploreOptions {
  readonly runs: number;
  /** Run `i` is generated from seed `seed + i`. */
  readonly seed: number;
  readonly maxCommands?: number;
  /** Called after each run (progress). */
  readonly onRun?: (index: number, outcome: RunOutcome) => void;
}

export interface RunFailure {
  readonly index: number;
  readonly seed: number;
  readonly kinds: readonly ViolationKind[];
  readonly run: ExplorerRun;
  readonly outcome: RunOutcome;
}

export interface ProfileReport {
  readonly profile: ProfileName;
  readonly runs: number;
  /** Runs that ended with more money captured than meant. */
  readonly doubleCaptures: number;
  /** Runs with a key the caller believed failed / not attempted that the simulator captured. */
  readonly wrongFailed: number;
  /** Runs with a key the caller believed succeeded that the simulator never captured. */
  readonly wrongSucceeded: number;
  /** Runs in which a request no fault touched was answered after the adapter's timeout. */
  readonly slowRuns: number;
  readonly failures: readonly RunFailure[];
  readonly elapsedMs: number;
}

/** The run generated from `seed` (the same one fast-check's `check` starts from). */
export function generateRun(env: ExplorerEnv, seed: number, maxCommands?: number): ExplorerRun {
  const [run] = fc.sample(runArbitrary(env.space, maxCommands), { seed, numRuns: 1 });
  return run as ExplorerRun;
}

/**
 * Plays `runs` generated runs and counts violations. With several environments (of the
 * same profile) run `i` goes to `envs[i % envs.length]` and the environments play side by
 * side: each run has its own payment and client, and what one environment carries from run
 * to run depends only on which runs it got, so the figures do not depend on timing.
 */
export async function exploreProfile(
  envs: ExplorerEnv | readonly ExplorerEnv[],
  options: ExploreOptions,
): Promise<ProfileReport> {
  const pool = Array.isArray(envs) ? (envs as readonly ExplorerEnv[]) : [envs as ExplorerEnv];
  const first = pool[0];
  if (!first) throw new TypeError('exploreProfile needs at least one environment.');
  const started = performance.now();
  const failures: RunFailure[] = [];
  const counts = { double_capture: 0, wrong_failed: 0, wrong_succeeded: 0 };
  let done = 0;
  let slowRuns = 0;
  await Promise.all(
    pool.map(async (env, lane) => {
      for (let index = lane; index < options.runs; index += pool.length) {
        const seed = options.seed + index;
        const run = generateRun(env, seed, options.maxCommands);
        const outcome = await executeRun(env, run);
        const kinds = [...new Set(outcome.violations.map((v) => v.kind))];
        for (const kind of kinds) counts[kind] += 1;
        if (kinds.length > 0) failures.push({ index, seed, kinds, run, outcome });
        if (outcome.slowAnswers > 0) slowRuns += 1;
        options.onRun?.(done, outcome);
        done += 1;
      }
    }),
  );
  failures.sort((a, b) => a.index - b.index);
  return {
    profile: first.profile,
    runs: options.runs,
    doubleCaptures: counts.double_capture,
    wrongFailed: counts.wrong_failed,
    wrongSucceeded: counts.wrong_succeeded,
    slowRuns,
    failures,
    elapsedMs: performance.now() - started,
  };
}

export interface ShrunkFailure {
  readonly seed: number;
  /** fast-check's path to the shrunk case: `--seed <seed> --path <path>` replays it. */
  readonly path: string | undefined;
  readonly kind: ViolationKind;
  readonly run: ExplorerRun;
  readonly outcome: RunOutcome;
  readonly shrinks: number;
}

/**
 * Shrinks the run generated from `seed` with fast-check, keeping a violation of `kind`,
 * within `timeLimitMs`; then plays the smallest failing run once more for its trace.
 */
export async function shrinkFailure(
  env: ExplorerEnv,
  seed: number,
  kind: ViolationKind,
  options: { readonly timeLimitMs: number; readonly maxCommands?: number; readonly path?: string },
): Promise<ShrunkFailure | undefined> {
  const property = fc.asyncProperty(runArbitrary(env.space, options.maxCommands), async (run) => {
    const outcome = await executeRun(env, run);
    return !outcome.violations.some((v) => v.kind === kind);
  });
  const details = await fc.check(property, {
    seed,
    numRuns: 1,
    ...(options.path !== undefined ? { path: options.path } : {}),
    interruptAfterTimeLimit: options.timeLimitMs,
    markInterruptAsFailure: false,
  });
  const run = details.counterexample?.[0];
  if (!details.failed || !run) return undefined;
  const outcome = await executeRun(env, run);
  return {
    seed,
    path: details.counterexamplePath ?? undefined,
    kind,
    run,
    outcome,
    shrinks: details.numShrinks,
  };
}

/** `N runs, D double captures, W wrong failed` (+ wrong succeeded, reported only). */
export function summaryLine(report: ProfileReport): string {
  const slow =
    report.slowRuns > 0 ? `; ${report.slowRuns} runs met a timeout from machine load` : '';
  return `${report.profile}: ${report.runs} runs, ${report.doubleCaptures} double captures, ${report.wrongFailed} wrong failed (${report.wrongSucceeded} wrong succeeded, reported only${slow}) in ${(report.elapsedMs / 1000).toFixed(1)} s`;
}

/** A reproduction: profile, seed, the commands, and what happened. */
export function formatReproduction(
  profile: ProfileName,
  failure: { seed: number; path?: string | undefined; run: ExplorerRun; outcome: RunOutcome },
  journal = 'memory',
): string {
  const durable = journal === 'memory' ? '' : ` --journal ${journal}`;
  const replay = `npm run explore -- --provider ${profile}${durable} --seed ${failure.seed} --runs 1${failure.path ? ` --path ${failure.path}` : ''}`;
  const lines = [
    `reproduce: ${replay}`,
    `plan: ${JSON.stringify(failure.run.plan)}`,
    'commands:',
    ...failure.run.commands.map((c, i) => `  ${i}. ${describeCommand(c)}`),
    `json: ${JSON.stringify(failure.run.commands)}`,
    'trace:',
    ...failure.outcome.trace.map((line) => `  ${line}`),
  ];
  return lines.join('\n');
}

export { DEFAULT_ENV_OPTIONS, describeFault, type ExplorerEnvOptions, startExplorerEnv };

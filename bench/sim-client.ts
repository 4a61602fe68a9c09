import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Contender } from './measure.js';
import type { SimEndpoint, SimKind } from './sim-process.js';

export type { SimEndpoint } from './sim-process.js';

/** The repository root (`bench/..`): children run from here so `--import tsx` resolves. */
export const REPO_ROOT = new URL('..', import.meta.url).pathname;

const children = new Set<ChildProcess>();
let hooksInstalled = false;

/** Kills every child this process started (simulators, the memory client). */
export function killChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

/**
 * Makes sure no child outlives the benchmark: on normal exit, on an uncaught error and on
 * Ctrl-C / SIGTERM.
 */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killChildren();
      process.exit(130);
    });
  }
}

/**
 * Spawns `node [nodeFlags] --import tsx <script> ...args` from the repository root and
 * tracks it for clean-up. stdout is piped (the child reports on it), stderr is inherited.
 */
export function spawnTsx(
  script: string,
  args: readonly string[],
  options: { readonly nodeFlags?: readonly string[]; readonly ipc?: boolean } = {},
): ChildProcess {
  installExitHooks();
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), '--import', 'tsx', script, ...args],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit', ...(options.ipc ? (['ipc'] as const) : [])],
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resolves with the first stdout line of `child` parsed as JSON; rejects if it dies first. */
export function firstJsonLine<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (!child.stdout) {
      reject(new Error(`${what}: no stdout pipe`));
      return;
    }
    const lines = createInterface({ input: child.stdout });
    const onExit = (code: number | null) => {
      reject(new Error(`${what} exited (code ${code}) before it reported.`));
    };
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      lines.close();
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${what} printed something that is not JSON: ${line.slice(0, 200)}`));
      }
    });
  });
}

/** A simulator running in its own process, driven over IPC. */
export interface SimProcess {
  readonly kind: SimKind;
  /** The current simulator's address and credentials (changes after `reset()`). */
  readonly endpoint: SimEndpoint;
  /** Authorizes `count` payments in the child (no HTTP) and returns their ids. */
  authorize(
    count: number,
    options: { readonly amount: bigint; readonly currency: string; readonly cardBrand?: string },
  ): Promise<string[]>;
  /** Replaces the simulator with a fresh one (new port, new keys, empty state). */
  reset(): Promise<SimEndpoint>;
  /** CPU time (user + system, µs) the simulator process has used so far. */
  cpuMicros(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts `bench/sim-process.ts <kind> <libraryDir>` and waits for its JSON line.
 *
 * @example
 * ```ts
 * const sim = await startSimProcess('checkout', await buildLibrary());
 * const [paymentId] = await sim.authorize(1, { amount: 1000n, currency: 'EUR' });
 * await sim.close();
 * ```
 */
export async function startSimProcess(kind: SimKind, libraryDir: string): Promise<SimProcess> {
  const child = spawnTsx('bench/sim-process.ts', [kind, libraryDir], { ipc: true });
  let endpoint = await firstJsonLine<SimEndpoint>(child, `the ${kind} simulator process`);
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (value: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  child.on('message', (raw) => {
    const message = raw as Record<string, unknown> & { id: number; error?: string };
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${kind} simulator: ${message.error}`));
    else waiter.resolve(message);
  });
  child.once('exit', (code) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`the ${kind} simulator process exited (code ${code}).`));
    }
    pending.clear();
  });
  const call = (request: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, ...request });
    });

  return {
    kind,
    get endpoint() {
      return endpoint;
    },
    async authorize(count, options) {
      const answer = await call({
        op: 'authorize',
        count,
        amount: options.amount.toString(),
        currency: options.currency,
        ...(options.cardBrand ? { cardBrand: options.cardBrand } : {}),
      });
      return answer.paymentIds as string[];
    },
    async reset() {
      const answer = await call({ op: 'reset' });
      endpoint = { baseUrl: answer.baseUrl as string, credentials: answer.credentials as never };
      return endpoint;
    },
    async cpuMicros() {
      const answer = await call({ op: 'cpu' });
      return answer.cpuMicros as number;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await call({ op: 'close' }).catch(() => {});
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** A fresh simulator with `count` authorized payments: what one measured segment starts from. */
export interface FreshSegment {
  readonly endpoint: SimEndpoint;
  readonly paymentIds: readonly string[];
  /** A distinct idempotency key per operation, unique across segments. */
  key(index: number): string;
}

let segmentSequence = 0;

/**
 * Resets the simulator (empty state, new port and keys) and authorizes `count` payments on
 * it, so every segment of every contender starts from the same state.
 *
 * @example
 * ```ts
 * const { endpoint, paymentIds, key } = await freshSegment(sim, 1000, { amount: 1000n, currency: 'EUR' });
 * ```
 */
export async function freshSegment(
  sim: SimProcess,
  count: number,
  payment: { readonly amount: bigint; readonly currency: string; readonly cardBrand?: string },
): Promise<FreshSegment> {
  const endpoint = await sim.reset();
  const paymentIds = await sim.authorize(count, payment);
  segmentSequence += 1;
  const prefix = `bench-${process.pid}-${segmentSequence}-`;
  return { endpoint, paymentIds, key: (index) => `${prefix}${index}` };
}

/** The payment id for operation `index`; throws if the segment was sized too small. */
export function paymentAt(segment: FreshSegment, index: number): string {
  const id = segment.paymentIds[index];
  if (id === undefined) throw new Error(`no authorized payment for operation ${index}`);
  return id;
}

/** What a capture contender does with one fresh segment. */
export interface SegmentWork {
  op(index: number): Promise<void>;
  teardown?(): Promise<void>;
}

/**
 * A contender that talks to `sim`: each segment resets the simulator and authorizes the
 * payments it needs (untimed), then `prepare` builds the client under test for it.
 *
 * @example
 * ```ts
 * const raw = simContender(sim, { name: 'undici', label: 'raw undici', concurrency: 64, payment },
 *   (segment) => ({ op: (i) => send(segment, i) }));
 * ```
 */
export function simContender(
  sim: SimProcess,
  options: {
    readonly name: string;
    readonly label: string;
    readonly concurrency: number;
    readonly payment: {
      readonly amount: bigint;
      readonly currency: string;
      readonly cardBrand?: string;
    };
  },
  prepare: (segment: FreshSegment) => SegmentWork,
): Contender {
  return {
    name: options.name,
    label: options.label,
    concurrency: options.concurrency,
    usesSimulator: true,
    async setup(ops) {
      return prepare(await freshSegment(sim, ops, options.payment));
    },
  };
}

import fc from 'fast-check';

/**
 * What one exploration run is, as plain data: the caller's plan for one payment and the
 * commands it performs. Plain data so that fast-check can generate and shrink it and a
 * failing run can be printed and replayed.
 */

/**
 * Which simulator set-up a run is played against. `checkout` decides each capture as it
 * answers 202 (every run replays exactly); `checkout-async` decides it a few ms later, so an
 * inquiry can meet `Capture Pending` — real time, so its runs may not replay exactly.
 */
export type ProfileName =
  | 'antom-multi'
  | 'antom-full'
  | 'alipay-v2'
  | 'checkout'
  | 'checkout-async'
  | 'stripe'
  | 'adyen';

export const PROFILE_NAMES: readonly ProfileName[] = [
  'antom-multi',
  'antom-full',
  'alipay-v2',
  'checkout',
  'checkout-async',
  'stripe',
  'adyen',
];

/** A fault on the network between the client and the provider (the fault proxy). */
export type NetFault =
  | { readonly net: 'refuse' }
  | { readonly net: 'timeout_before_forward' }
  | { readonly net: 'timeout_after_forward' }
  | { readonly net: 'reset_after_forward' }
  | { readonly net: 'status'; readonly status: 401 | 403 | 429 | 500 | 502 | 503 };

/** A fault the simulator itself produces (protocol level), armed for the next request. */
export type SimFault =
  /** The capture is recorded as processing and answered U (`code`: the U result code). */
  | { readonly sim: 'unknown_status'; readonly code: string }
  /** The answer's signature does not verify. */
  | { readonly sim: 'bad_signature' }
  /** The next new capture gets this result code (a decline, or a U code). */
  | { readonly sim: 'result'; readonly code: string }
  /** A webhook fault on the notification the next capture produces. */
  | {
      readonly sim: 'webhook';
      readonly kind: 'webhook_duplicate' | 'webhook_missing' | 'webhook_bad_signature';
    };

export type ExplorerFault = NetFault | SimFault;

/**
 * One step of the caller (or of the world around it). `slot` is taken modulo the plan's
 * slots. A call's `fault` hits the first request of its class that the call makes (a
 * refusal: every connection the call opens), exactly as a `fault` command just before it.
 */
export type ExplorerCommand =
  /** Capture for a slot; `key: 'new'` asks for a new key where the README's table allows one. */
  | {
      readonly do: 'capture';
      readonly slot: number;
      readonly key: 'same' | 'new';
      readonly fault?: ExplorerFault;
    }
  | { readonly do: 'resolve'; readonly slot: number; readonly fault?: ExplorerFault }
  | {
      readonly do: 'resolveUntilFinal';
      readonly slot: number;
      /** Whether `settle` is the simulator's `settle()` (time passes) or nothing. */
      readonly settle: boolean;
      readonly maxAttempts: number;
      readonly fault?: ExplorerFault;
    }
  | {
      readonly do: 'fault';
      readonly on: 'capture' | 'inquiry';
      readonly fault: ExplorerFault;
      /** How many calls (refuse) or requests (other faults) it applies to. */
      readonly times: number;
    }
  /** Time passes: the simulator finishes processing captures and delivers webhooks; the caller reads them. */
  | { readonly do: 'settle' }
  /**
   * Durable journals only: a capture as above, and the process dies mid-capture — after the
   * intent is written (`before_send`) or after the request was answered, before the answer
   * is written (`after_send`). No close; the call never returns. A NEW client over a NEW
   * journal instance on the same database continues (the caller's belief: unknown).
   */
  | {
      readonly do: 'crash';
      readonly slot: number;
      readonly key: 'same' | 'new';
      readonly when: 'before_send' | 'after_send';
      readonly fault?: ExplorerFault;
    }
  /** Durable journals only: `client.reconcile()`; the caller reads the report. */
  | { readonly do: 'reconcile' };

/** What the caller means to capture on one payment. */
export interface ExplorerPlan {
  /** Relative sizes of the captures the caller means (one per slot). */
  readonly parts: readonly number[];
  /** Relative size of the share of the authorization meant to stay uncaptured (0: none). */
  readonly leftover: number;
  /** Whether the last capture is sent `final: true` (closing the authorization). */
  readonly lastIsFinal: boolean;
  /** Send a full capture without an amount ("full remaining"); only where one slot takes all. */
  readonly omitAmount: boolean;
  /** `shared`: one reference for every capture of the order, as docs/switching-acquirers.md shows. */
  readonly reference: 'none' | 'shared' | 'unique';
}

export interface ExplorerRun {
  readonly plan: ExplorerPlan;
  readonly commands: readonly ExplorerCommand[];
}

/** The authorized amount of every explored payment, in minor units. */
export const AUTHORIZED = 10_000n;

/** One meant capture: its amount, whether it is the last, and how it is sent. */
export interface PlannedSlot {
  readonly amount: bigint;
  readonly final: boolean;
  readonly omitAmount: boolean;
}

/** Turns the plan's parts into amounts; the last slot is the final capture. */
export function plannedSlots(plan: ExplorerPlan): PlannedSlot[] {
  const total = plan.parts.reduce((sum, part) => sum + part, 0) + plan.leftover;
  const single = plan.parts.length === 1 && plan.leftover === 0;
  return plan.parts.map((part, index) => ({
    amount: single ? AUTHORIZED : (AUTHORIZED * BigInt(part)) / BigInt(total),
    // A capture of the whole authorization is final whatever the plan says.
    final: single || (plan.lastIsFinal && index === plan.parts.length - 1),
    omitAmount: single && plan.omitAmount,
  }));
}

/** What a profile's simulator and adapter offer the generator. */
export interface CommandSpace {
  /** Partial and multiple captures: plans with several slots. */
  readonly multi: boolean;
  readonly simCaptureFaults: readonly SimFault[];
  readonly simInquiryFaults: readonly SimFault[];
  /** A durable journal: the process may crash mid-capture and a new one continue. */
  readonly crashRestart?: boolean;
}

/**
 * Network faults, weighted towards the ones that leave the caller unsure (a capture that
 * committed without an answer) and the ones that make an inquiry fail in ways that must
 * not be mistaken for an answer about the capture (refused, 401, 403, 429).
 */
const NET_FAULTS: readonly (readonly [number, NetFault])[] = [
  [3, { net: 'refuse' }],
  [1, { net: 'timeout_before_forward' }],
  [2, { net: 'timeout_after_forward' }],
  [2, { net: 'reset_after_forward' }],
  [2, { net: 'status', status: 401 }],
  [1, { net: 'status', status: 403 }],
  [2, { net: 'status', status: 429 }],
  [1, { net: 'status', status: 500 }],
  [1, { net: 'status', status: 502 }],
  [1, { net: 'status', status: 503 }],
];

function faultKindArbitrary(sim: readonly SimFault[]): fc.Arbitrary<ExplorerFault> {
  const net = fc.oneof(
    ...NET_FAULTS.map(([weight, fault]) => ({ weight, arbitrary: fc.constant(fault) })),
  );
  return sim.length > 0
    ? fc.oneof({ weight: 3, arbitrary: net }, { weight: 2, arbitrary: fc.constantFrom(...sim) })
    : net;
}

function faultArbitrary(on: 'capture' | 'inquiry', sim: readonly SimFault[]) {
  // Mostly one request; sometimes an outage that lasts a few.
  const times = fc.oneof(
    { weight: 4, arbitrary: fc.constant(1) },
    { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) },
  );
  return fc.record({
    do: fc.constant('fault' as const),
    on: fc.constant(on),
    fault: faultKindArbitrary(sim),
    times,
  });
}

/**
 * `fields` plus, more often than not, a fault on the call: an unfaulted call mostly just
 * succeeds, and shrinking drops the fault when it does not matter.
 */
function withFault<T extends object>(
  fields: fc.Arbitrary<T>,
  sim: readonly SimFault[],
): fc.Arbitrary<T & { readonly fault?: ExplorerFault }> {
  return fc
    .tuple(fields, fc.option(faultKindArbitrary(sim), { nil: undefined, freq: 3 }))
    .map(([value, fault]) => (fault === undefined ? value : { ...value, fault }));
}

/** The fast-check arbitrary of runs for one profile. */
export function runArbitrary(space: CommandSpace, maxCommands = 20): fc.Arbitrary<ExplorerRun> {
  const slot = fc.nat({ max: 2 });
  const command: fc.Arbitrary<ExplorerCommand> = fc.oneof(
    {
      weight: 6,
      arbitrary: withFault<{ do: 'capture'; slot: number; key: 'same' | 'new' }>(
        fc.record({
          do: fc.constant('capture' as const),
          slot,
          key: fc.constantFrom('new' as const, 'same' as const),
        }),
        space.simCaptureFaults,
      ),
    },
    {
      weight: 4,
      arbitrary: withFault<{ do: 'resolve'; slot: number }>(
        fc.record({ do: fc.constant('resolve' as const), slot }),
        space.simInquiryFaults,
      ),
    },
    {
      weight: 2,
      arbitrary: withFault<{
        do: 'resolveUntilFinal';
        slot: number;
        settle: boolean;
        maxAttempts: number;
      }>(
        fc.record({
          do: fc.constant('resolveUntilFinal' as const),
          slot,
          settle: fc.boolean(),
          maxAttempts: fc.integer({ min: 1, max: 4 }),
        }),
        space.simInquiryFaults,
      ),
    },
    { weight: 2, arbitrary: faultArbitrary('capture', space.simCaptureFaults) },
    { weight: 2, arbitrary: faultArbitrary('inquiry', space.simInquiryFaults) },
    { weight: 1, arbitrary: fc.constant({ do: 'settle' as const }) },
    // Added only for durable journals, so the runs of the memory journal stay as they were.
    ...(space.crashRestart
      ? [
          {
            weight: 3,
            arbitrary: withFault<{
              do: 'crash';
              slot: number;
              key: 'same' | 'new';
              when: 'before_send' | 'after_send';
            }>(
              fc.record({
                do: fc.constant('crash' as const),
                slot,
                key: fc.constantFrom('new' as const, 'same' as const),
                when: fc.constantFrom('before_send' as const, 'after_send' as const),
              }),
              space.simCaptureFaults,
            ),
          },
          { weight: 2, arbitrary: fc.constant({ do: 'reconcile' as const }) },
        ]
      : []),
  );
  // Where the provider allows it, most plans are several partial captures: only a capture
  // that leaves room in the authorization can be taken twice.
  const parts = space.multi
    ? fc.oneof(
        {
          weight: 1,
          arbitrary: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 1 }),
        },
        {
          weight: 4,
          arbitrary: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 3 }),
        },
      )
    : fc.constant([1]);
  const plan: fc.Arbitrary<ExplorerPlan> = fc.record({
    parts,
    // A capture can only be taken twice while the authorization has room for it.
    leftover: space.multi ? fc.integer({ min: 0, max: 6 }) : fc.constant(0),
    lastIsFinal: space.multi ? fc.boolean() : fc.constant(true),
    omitAmount: fc.boolean(),
    reference: fc.constantFrom('none' as const, 'shared' as const, 'unique' as const),
  });
  return fc.record({
    plan,
    commands: fc.array(command, { minLength: 1, maxLength: maxCommands }),
  });
}

/** One line per command, for reproductions. */
export function describeCommand(command: ExplorerCommand): string {
  switch (command.do) {
    case 'capture':
      return `capture slot ${command.slot} (${command.key} key if allowed)${withFaultText(command.fault)}`;
    case 'resolve':
      return `resolve slot ${command.slot}${withFaultText(command.fault)}`;
    case 'resolveUntilFinal':
      return `resolveUntilFinal slot ${command.slot} (maxAttempts ${command.maxAttempts}${command.settle ? ', settle' : ''})${withFaultText(command.fault)}`;
    case 'settle':
      return 'settle (time passes, webhooks delivered)';
    case 'crash':
      return `crash ${command.when === 'before_send' ? 'before the capture leaves' : 'after the capture was answered, before it is recorded'}: capture slot ${command.slot} (${command.key} key if allowed)${withFaultText(command.fault)}, then a new client over a new journal instance`;
    case 'reconcile':
      return 'reconcile()';
    case 'fault':
      return `fault on next ${command.times > 1 ? `${command.times} ` : ''}${command.on}${command.times > 1 ? 's' : ''}: ${describeFault(command.fault)}`;
  }
}

function withFaultText(fault: ExplorerFault | undefined): string {
  return fault ? ` with fault: ${describeFault(fault)}` : '';
}

export function describeFault(fault: ExplorerFault): string {
  if ('net' in fault) return fault.net === 'status' ? `HTTP ${fault.status}` : fault.net;
  switch (fault.sim) {
    case 'unknown_status':
      return `simulator U answer (${fault.code})`;
    case 'bad_signature':
      return 'simulator bad signature';
    case 'result':
      return `simulator result ${fault.code}`;
    case 'webhook':
      return `simulator ${fault.kind}`;
  }
}

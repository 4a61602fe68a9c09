import { Pool } from 'undici';
import { checkoutCaptureRequest } from './checkout-capture-request.js';
import { type Contender, pairedRatio, runInterleaved, type SegmentSample } from './measure.js';
import { paymentAt, type SimProcess, simContender } from './sim-client.js';
import { captureMeasureOptions, type Profile, type ThroughputResult } from './types.js';

/**
 * What this machine charges for a pause between two requests at concurrency 1: raw undici
 * captures (the bytes of checkout-throughput.ts) with N µs of busy work after each answer,
 * N from 0 to 120. Each pause adds N µs to a round trip, until the simulator's idle vCPU is
 * put to sleep: then the next request pays the wake-up as well. This is the machine, not any
 * client, and it decides how much a per-capture cost of a few tens of µs shows at
 * concurrency 1 (bench/FINDINGS.md, "Session 4").
 */

const PAUSES_US = [0, 40, 60, 80, 120] as const;
const PAYMENT = { amount: 1000n, currency: 'EUR', cardBrand: 'visa' } as const;

/** Busy-waits (the CPU stays on): a stand-in for a client's own work between captures. */
function busyFor(microseconds: number): void {
  const until = performance.now() + microseconds / 1000;
  while (performance.now() < until) {
    // spin
  }
}

function pausedRaw(sim: SimProcess, pauseUs: number): Contender {
  const name = `pause-${pauseUs}`;
  return simContender(
    sim,
    {
      name,
      label: `raw undici + ${pauseUs} µs between captures`,
      concurrency: 1,
      payment: PAYMENT,
    },
    (segment) => {
      const secretKey = segment.endpoint.credentials.secretKey ?? '';
      const pool = new Pool(segment.endpoint.baseUrl, { connections: 128 });
      return {
        async op(index) {
          const key = segment.key(index);
          const response = await pool.request(
            checkoutCaptureRequest(paymentAt(segment, index), key, `Bearer ${secretKey}`),
          );
          await response.body.text();
          if (response.statusCode !== 202) throw new Error(`HTTP ${response.statusCode}`);
          if (pauseUs > 0) busyFor(pauseUs);
        },
        teardown: () => pool.close(),
      };
    },
  );
}

/**
 * Runs the idle-gap measurement against the Checkout.com simulator.
 *
 * @example
 * ```ts
 * const result = await idleGap(sim, profile, log);
 * ```
 */
export async function idleGap(
  sim: SimProcess,
  profile: Profile,
  onSample: (contender: Contender, sample: SegmentSample, round: number) => void,
): Promise<ThroughputResult> {
  const contenders = PAUSES_US.map((pause) => pausedRaw(sim, pause));
  const results = await runInterleaved(contenders, {
    ...captureMeasureOptions(profile, 1),
    simulatorCpu: () => sim.cpuMicros(),
    onSample,
  });
  const [none] = results;
  if (!none) throw new Error('idle-gap: no results');
  const p50 = (name: string) => results.find((r) => r.name === name)?.p50Ms ?? Number.NaN;
  const steps = PAUSES_US.slice(1).map((pause) => {
    const added = (p50(`pause-${pause}`) - none.p50Ms) * 1000;
    return `${pause} µs of work added ${added.toFixed(0)} µs to the median round trip`;
  });
  return {
    kind: 'throughput',
    id: 'idle-gap',
    title: 'What a pause between captures costs at concurrency 1 (this machine)',
    unit: 'captures/s',
    setup: [
      'Raw undici `Pool.request` captures against the Checkout.com simulator, one at a time, with N µs of busy work after each answer',
      `(N = ${PAUSES_US.join(', ')}). Without a wake-up cost each pause would add exactly N µs to a round trip.`,
    ].join(' '),
    contenders: results,
    comparisons: results.slice(1).map((result) => ({
      subject: result.name,
      baseline: none.name,
      ratio: pairedRatio(result, none),
    })),
    notes: [
      `${steps.join('; ')}.`,
      'Where the added time jumps above the pause itself, the simulator process had gone idle long enough for its vCPU to be put to sleep, and the next request paid for waking it: a property of this 2-vCPU VM, not of any client.',
    ],
  };
}

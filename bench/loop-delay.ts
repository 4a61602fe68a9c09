import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { Library } from './library.js';
import { collectGarbage } from './measure.js';
import { type FreshSegment, freshSegment, paymentAt, type SimProcess } from './sim-client.js';
import type { LoopDelayContender, LoopDelayResult, Profile } from './types.js';

/**
 * Event-loop delay while a burst of Antom captures is in flight (issue 13): a platform
 * starts `burst` captures at once (`Promise.all`) and its web server must keep answering
 * meanwhile. `perf_hooks.monitorEventLoopDelay` samples how late the loop runs a timer,
 * from the first capture started until the last one answered. The simulator runs in its
 * own process, so only the client's blocking shows.
 *
 * Contenders: capture-kit as shipped (RSA on libuv's thread pool once a turn has spent its
 * synchronous budget) and the hand-written client of the throughput benchmark (undici,
 * keys parsed once, `crypto.sign` / `crypto.verify` on the loop): what synchronous RSA
 * does to the loop.
 */

const AMOUNT = 1000n;
const CURRENCY = 'USD';
const PAYMENT = { amount: AMOUNT, currency: CURRENCY } as const;
/** The target for capture-kit. */
const TARGET_P99_MS = 20;
/** `monitorEventLoopDelay`'s default sampling interval. */
const RESOLUTION_MS = 10;

interface BurstRunner {
  readonly name: string;
  readonly label: string;
  /** Builds the client for one segment; `run` starts every capture at once. */
  prepare(segment: FreshSegment): {
    run(count: number): Promise<void>;
    close(): Promise<void>;
  };
}

function credentialsOf(segment: FreshSegment) {
  const { clientId, privateKey, antomPublicKey } = segment.endpoint.credentials;
  if (!clientId || !privateKey || !antomPublicKey) {
    throw new Error('the Antom simulator reported incomplete credentials');
  }
  return { clientId, privateKey, antomPublicKey };
}

function captureKit(lib: Library): BurstRunner {
  return {
    name: 'capture-kit',
    label: 'capture-kit',
    prepare(segment) {
      const client = lib.createCaptureClient({
        providers: {
          antom: lib.antom({
            ...credentialsOf(segment),
            baseUrl: segment.endpoint.baseUrl,
            // The burst queues behind 128 connections; the deadline counts queue time.
            timeoutMs: 300_000,
          }),
        },
      });
      return {
        async run(count) {
          const results = await Promise.all(
            Array.from({ length: count }, (_, i) =>
              client.capture({
                provider: 'antom',
                paymentId: paymentAt(segment, i),
                amount: { currency: CURRENCY, value: AMOUNT },
                idempotencyKey: segment.key(i),
              }),
            ),
          );
          const failed = results.find((result) => result.isErr());
          if (failed?.isErr())
            throw new Error(`capture-kit capture failed: ${failed.error.message}`);
        },
        close: () => client.close(),
      };
    },
  };
}

function handWrittenSync(): BurstRunner {
  return {
    name: 'sync-rsa',
    label: 'hand-written: undici, RSA on the loop',
    prepare(segment) {
      const credentials = credentialsOf(segment);
      const privateKey = createPrivateKey(credentials.privateKey);
      const publicKey = createPublicKey(credentials.antomPublicKey);
      const pool = new Pool(segment.endpoint.baseUrl, { connections: 128 });
      const path = credentials.clientId.startsWith('SANDBOX_')
        ? '/ams/sandbox/api/v1/payments/capture'
        : '/ams/api/v1/payments/capture';
      const content = (time: string, body: string) =>
        Buffer.from(`POST ${path}\n${credentials.clientId}.${time}.${body}`, 'utf8');
      async function one(i: number): Promise<void> {
        const body = JSON.stringify({
          paymentId: paymentAt(segment, i),
          captureRequestId: segment.key(i),
          captureAmount: { currency: CURRENCY, value: AMOUNT.toString() },
        });
        // One microtask later, as any async API would sign.
        await undefined;
        const time = String(Date.now());
        const signature = sign('sha256', content(time, body), privateKey).toString('base64');
        const response = await pool.request({
          method: 'POST',
          path,
          headers: {
            'content-type': 'application/json; charset=UTF-8',
            'client-id': credentials.clientId,
            'request-time': time,
            signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
          },
          body,
        });
        const text = await response.body.text();
        const encoded = /signature=([^,]+)/.exec(String(response.headers.signature ?? ''))?.[1];
        const responseTime = String(response.headers['response-time'] ?? '');
        if (!encoded) throw new Error(`unsigned Antom answer: ${text}`);
        const signed = Buffer.from(decodeURIComponent(encoded), 'base64');
        if (!verify('sha256', content(responseTime, text), publicKey, signed)) {
          throw new Error('the Antom answer did not verify');
        }
        const json = JSON.parse(text) as { result?: { resultStatus?: string } };
        if (json.result?.resultStatus !== 'S') throw new Error(`Antom capture not S: ${text}`);
      }
      return {
        run: async (count) => {
          await Promise.all(Array.from({ length: count }, (_, i) => one(i)));
        },
        close: () => pool.close(),
      };
    },
  };
}

/** One burst: the loop's delay percentiles, the burst's length and the client's CPU. */
async function measureBurst(
  runner: BurstRunner,
  sim: SimProcess,
  burst: number,
): Promise<{ p99Ms: number; maxMs: number; burstMs: number; cpuUsPerOp: number }> {
  const segment = await freshSegment(sim, burst, PAYMENT);
  const client = runner.prepare(segment);
  try {
    collectGarbage('young');
    const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    // The histogram records from its second timer tick on (the first only sets its clock,
    // as does reset()): let it tick before the burst, or a block right at the start would
    // not be sampled.
    await new Promise((resolve) => setTimeout(resolve, RESOLUTION_MS * 3));
    const cpu = process.cpuUsage();
    const started = performance.now();
    await client.run(burst);
    const burstMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    // One more timer turn, so a block that ended the burst is sampled too.
    await new Promise((resolve) => setTimeout(resolve, RESOLUTION_MS * 2));
    histogram.disable();
    // Each sample is the whole interval between two ticks (≥ the resolution): the delay is
    // what exceeds the resolution.
    const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    return {
      p99Ms: late(histogram.percentile(99)),
      maxMs: late(histogram.max),
      burstMs,
      cpuUsPerOp: (used.user + used.system) / burst,
    };
  } finally {
    await client.close();
  }
}

/**
 * Runs the event-loop delay benchmark: `burst` captures at once per round, contenders
 * alternating, order rotating every round.
 *
 * @example
 * ```ts
 * const result = await loopDelay(lib, antomSim, profile, (line) => process.stderr.write(line));
 * ```
 */
export async function loopDelay(
  lib: Library,
  sim: SimProcess,
  profile: Profile,
  log: (line: string) => void,
): Promise<LoopDelayResult> {
  const quick = profile.name === 'quick';
  const burst = quick ? 1_000 : 10_000;
  const rounds = quick ? 1 : Math.min(profile.rounds, 3);
  const runners = [captureKit(lib), handWrittenSync()];
  const results = runners.map(
    (
      runner,
    ): { -readonly [K in keyof LoopDelayContender]: LoopDelayContender[K] } & {
      p99Ms: number[];
      maxMs: number[];
      burstMs: number[];
      clientCpuUsPerOp: number[];
    } => ({
      name: runner.name,
      label: runner.label,
      p99Ms: [],
      maxMs: [],
      burstMs: [],
      clientCpuUsPerOp: [],
    }),
  );
  // Untimed warm-up: JIT and connections, a small burst each.
  for (const runner of runners) await measureBurst(runner, sim, 200);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < runners.length; k++) {
      const index = (round + k) % runners.length;
      const runner = runners[index];
      const into = results[index];
      if (!runner || !into) continue;
      const measured = await measureBurst(runner, sim, burst);
      into.p99Ms.push(measured.p99Ms);
      into.maxMs.push(measured.maxMs);
      into.burstMs.push(measured.burstMs);
      into.clientCpuUsPerOp.push(measured.cpuUsPerOp);
      log(
        `    round ${round + 1} ${runner.label.padEnd(46)} loop p99 ${measured.p99Ms.toFixed(1)} ms, max ${measured.maxMs.toFixed(1)} ms, ${burst} captures in ${measured.burstMs.toFixed(0)} ms, client ${measured.cpuUsPerOp.toFixed(0)} µs/op\n`,
      );
    }
  }
  return {
    kind: 'loop-delay',
    id: 'loop-delay',
    title: `Event-loop delay, ${burst.toLocaleString('en-US')} Antom captures in flight`,
    setup: [
      `${burst.toLocaleString('en-US')} Antom captures started at once (\`Promise.all\`), each of its own freshly authorized payment, against the simulator in its own process;`,
      `\`perf_hooks.monitorEventLoopDelay\` (resolution ${RESOLUTION_MS} ms) samples the client's loop from the first capture started to the last answered; a sample's delay is how much longer than ${RESOLUTION_MS} ms its tick took.`,
      `${rounds} round${rounds === 1 ? '' : 's'}, the contenders alternating; one untimed burst of 200 each first.`,
      'The hand-written client signs and verifies synchronously on the loop (what capture-kit did before issue 13).',
    ].join(' '),
    burst,
    contenders: results,
    subject: 'capture-kit',
    targetP99Ms: TARGET_P99_MS,
    notes: [],
  };
}

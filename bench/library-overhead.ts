import { acceptingDispatcher } from './accepting-dispatcher.js';
import { checkoutCaptureRequest } from './checkout-capture-request.js';
import { type Library, moduleUrl } from './library.js';
import { type Contender, pairedCpuRatio, runInterleaved, type SegmentSample } from './measure.js';
import type { Profile, ThroughputResult } from './types.js';

/**
 * The library's own work per Checkout.com capture, in process and without a network:
 * `client.capture()` (validation, journal begin and settle, the adapter's body and headers,
 * the transport, the 202's parsing) against the provider kit's transport alone sending the
 * same bytes and parsing the same answer, both through an in-process dispatcher that
 * answers `202` one event-loop turn later. The difference is what capture-kit adds above
 * HTTP, free of the simulator and of the machine's wake-up costs (bench/idle-gap.ts).
 */

const BASE_URL = 'https://api.sandbox.checkout.com';
const SECRET_KEY = 'sk_sbox_library_overhead_0000000000';

const paymentId = (i: number) => `pay_${i.toString(36).padStart(26, '0')}`;

function contender(name: string, label: string, setup: Contender['setup']): Contender {
  return { name, label, concurrency: 1, usesSimulator: false, setup };
}

/**
 * Runs the in-process overhead measurement.
 *
 * @example
 * ```ts
 * const result = await libraryOverhead(lib, profile, log);
 * ```
 */
export async function libraryOverhead(
  lib: Library,
  profile: Profile,
  onSample: (contender: Contender, sample: SegmentSample, round: number) => void,
): Promise<ThroughputResult> {
  const { createTransport } = (await import(moduleUrl(lib.dir, 'provider-kit/transport.js'))) as {
    createTransport: typeof import('../src/provider-kit/transport.js').createTransport;
  };
  const kit = contender('capture-kit', 'capture-kit client.capture()', async () => {
    const client = lib.createCaptureClient({
      providers: {
        p: lib.checkout({
          secretKey: SECRET_KEY,
          webhookSecret: 'whsec_library_overhead',
          baseUrl: BASE_URL,
          dispatcher: acceptingDispatcher(),
        } as never),
      },
    });
    return {
      async op(i) {
        const result = await client.capture({
          provider: 'p',
          paymentId: paymentId(i),
          amount: { currency: 'EUR', value: 1000n },
          idempotencyKey: `overhead-${i}`,
        });
        if (result.isErr()) throw new Error(result.error.message);
      },
      teardown: () => client.close(),
    };
  });
  const transport = contender('transport', 'provider-kit transport, same bytes', async () => {
    const sender = createTransport({ baseUrl: BASE_URL, dispatcher: acceptingDispatcher() });
    return {
      async op(i) {
        const key = `overhead-${i}`;
        const sent = await sender.send(
          checkoutCaptureRequest(paymentId(i), key, `Bearer ${SECRET_KEY}`),
        );
        if (sent.isErr() || sent.value.status !== 202) throw new Error('transport failed');
        JSON.parse(sent.value.body.toString('utf8'));
      },
      teardown: () => sender.close(),
    };
  });
  const results = await runInterleaved([kit, transport], {
    rounds: profile.rounds,
    segmentMs: profile.webhookSegmentMs,
    warmupOps: 200,
    calibrationOps: profile.name === 'quick' ? 500 : 2_000,
    calibrationRuns: profile.name === 'quick' ? 1 : 2,
    minOps: 500,
    // Every 202 leaves a pending intent in the segment's journal (memoryJournal maxOpen 100 000).
    maxOps: 50_000,
    latency: false,
    onSample,
  });
  const [kitResult, transportResult] = results as [
    (typeof results)[number],
    (typeof results)[number],
  ];
  const addedUs = kitResult.clientCpuUsPerOp - transportResult.clientCpuUsPerOp;
  return {
    kind: 'throughput',
    id: 'library-overhead',
    title: 'The library’s own work per Checkout.com capture (in process, no network)',
    unit: 'captures/s',
    setup:
      '`client.capture()` with the Checkout.com adapter against the provider kit’s transport sending the same bytes, both through an in-process undici dispatcher that answers `202` one event-loop turn later (bench/accepting-dispatcher.ts). One capture at a time.',
    contenders: results,
    comparisons: [
      {
        subject: kitResult.name,
        baseline: transportResult.name,
        metric: 'client-cpu',
        ratio: pairedCpuRatio(kitResult, transportResult),
      },
    ],
    notes: [
      `capture-kit adds ${addedUs.toFixed(1)} µs of CPU per capture above the transport (median of rounds): its validation, intent journal (two transitions), capabilities preflight, request body and headers, and the answer's mapping.`,
    ],
  };
}

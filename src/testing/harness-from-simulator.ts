import type { CaptureClient } from '../core/client.js';
import type {
  AuthorizedPayment,
  AuthorizeOptions,
  ConformanceHarness,
  Fault,
  FaultKind,
  SimulatedPaymentState,
} from './harness.js';

/**
 * What every simulator in `capture-kit/testing` offers; enough to run the conformance suite.
 *
 * @example
 * ```ts
 * const sim = await startCheckoutSimulator({ webhookUrl });
 * const client = createCaptureClient({
 *   providers: { cko: checkout({ ...sim.credentials, baseUrl: sim.baseUrl }) },
 * });
 * const simulator: ConformanceSimulator = sim; // every simulator in capture-kit/testing fits
 * const harness = harnessFromSimulator(simulator, { client, provider: 'cko', currency: 'EUR' });
 * ```
 */
export interface ConformanceSimulator {
  readonly faults: readonly FaultKind[];
  authorize(options: AuthorizeOptions): Promise<AuthorizedPayment>;
  injectFault(fault: Fault): void;
  advanceClock(ms: number): void;
  payment(paymentId: string): SimulatedPaymentState | Promise<SimulatedPaymentState>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds a {@link ConformanceHarness} from a simulator and a client whose `provider` entry
 * points at it. Closing the harness closes both. This is all a new adapter needs to run
 * `testProvider()` against its simulator.
 *
 * @example
 * ```ts
 * testProvider({
 *   name: 'checkout',
 *   async setup({ webhookUrl }) {
 *     const sim = await startCheckoutSimulator({ webhookUrl });
 *     const client = createCaptureClient({
 *       providers: { cko: checkout({ ...sim.credentials, baseUrl: sim.baseUrl, timeoutMs: 400 }) },
 *     });
 *     return harnessFromSimulator(sim, { client, provider: 'cko', currency: 'EUR', authorizeDefaults: { cardBrand: 'visa' } });
 *   },
 * });
 * ```
 */
export function harnessFromSimulator(
  sim: ConformanceSimulator,
  options: {
    readonly client: CaptureClient;
    readonly provider: string;
    readonly currency: string;
    /** Merged under every `authorize()` call, e.g. `{ cardBrand: 'visa' }`. */
    readonly authorizeDefaults?: Partial<AuthorizeOptions>;
    /** Builds a client with a fresh journal over the same adapter: see `ConformanceHarness.restartClient`. */
    readonly restartClient?: () => CaptureClient;
    /** See `ConformanceHarness.resultsProvenBy`. */
    readonly resultsProvenBy?: 'inquiry' | 'webhook';
  },
): ConformanceHarness {
  const { client, provider, currency, authorizeDefaults } = options;
  return {
    // Restarted clients share the adapter (and its pools) with `client`; closing `client`
    // releases them, so they are not closed on their own.
    ...(options.restartClient ? { restartClient: options.restartClient } : {}),
    ...(options.resultsProvenBy ? { resultsProvenBy: options.resultsProvenBy } : {}),
    client,
    provider,
    currency,
    faults: sim.faults,
    authorize: (authorize) => sim.authorize({ ...authorizeDefaults, ...authorize }),
    injectFault: (fault) => sim.injectFault(fault),
    advanceClock: (ms) => sim.advanceClock(ms),
    payment: async (paymentId) => sim.payment(paymentId),
    settle: () => sim.settle(),
    async close() {
      await client.close();
      await sim.close();
    },
  };
}

/**
 * `testProvider()`: the conformance suite every adapter passes against its simulator. A
 * separate entry point from `capture-kit/testing` because it needs vitest (an optional peer
 * dependency); the helpers it uses are exported from `capture-kit/testing`.
 *
 * @example
 * ```ts
 * import { testProvider } from 'capture-kit/testing/conformance';
 * testProvider({ name: 'checkout', setup: buildCheckoutHarness });
 * ```
 *
 * @module capture-kit/testing/conformance
 * @packageDocumentation
 */
import { afterAll, beforeAll, describe, it, type TestContext } from 'vitest';
import { createSuiteEnv, type FreshPayment, type SuiteEnv } from './conformance-env.js';
import { FAULT_SCENARIOS } from './conformance-faults.js';
import { CAPTURE_SCENARIOS, CAPTURE_WINDOW_SCENARIO } from './conformance-scenarios.js';
import { startWebhookRecorder, type WebhookRecorder } from './conformance-webhook-recorder.js';
import type { ConformanceHarness, ConformanceSetupContext, FaultKind } from './harness.js';

// The suite's helpers (resolveUntilFinal, assertSingleCapture, …) are exported from
// `capture-kit/testing`, which does not need vitest.

/**
 * Settings for {@link testProvider}.
 *
 * @example
 * ```ts
 * const options: TestProviderOptions = {
 *   name: 'antom',
 *   setup: ({ webhookUrl, webhookPath }) => buildAntomHarness(webhookUrl, webhookPath),
 *   timeoutMs: 30_000,
 * };
 * testProvider(options);
 * ```
 */
export interface TestProviderOptions {
  /** Shown in the suite title: `capture-kit conformance: <name>`. */
  readonly name: string;
  /**
   * Builds the adapter under test and its simulator, once per suite. The loopback webhook
   * server already listens at `ctx.webhookUrl` (and runs `client.webhookHandler(provider)`
   * as soon as `setup` returns): point the simulator's webhooks there. `harness.close()` must
   * release the simulator and the client.
   */
  readonly setup: (ctx: ConformanceSetupContext) => Promise<ConformanceHarness>;
  /** Per-test (and setup/teardown) timeout in ms. Default 20 000. */
  readonly timeoutMs?: number;
  /** How long to wait for a webhook that must arrive, in ms. Default 5 000. */
  readonly webhookTimeoutMs?: number;
}

/** Every fault kind, in matrix order; a kind the harness does not list is reported as skipped. */
const ALL_FAULT_KINDS = Object.keys(FAULT_SCENARIOS) as FaultKind[];

/**
 * The conformance suite every adapter passes against its simulator: capabilities, full,
 * explicit, partial and multiple captures, idempotent replay and conflicts, refusals, the
 * capture window, webhooks, and the full fault matrix. Every scenario that moves money ends
 * by resolving the capture to `Ok(succeeded)` and checking that the simulator holds exactly
 * one capture for the key with the intended amount. Where providers legitimately differ,
 * the suite branches on `client.capabilities(provider, payment.context)`, never on names.
 *
 * Call it at the top level of a vitest test file (vitest is an optional peer dependency).
 *
 * @example
 * ```ts
 * import { createCaptureClient } from 'capture-kit';
 * import { checkout } from 'capture-kit/checkout';
 * import { harnessFromSimulator, startCheckoutSimulator } from 'capture-kit/testing';
 * import { testProvider } from 'capture-kit/testing/conformance';
 *
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
export function testProvider(options: TestProviderOptions): void {
  const { name, setup } = options;
  const timeout = options.timeoutMs ?? 20_000;
  const webhookTimeoutMs = options.webhookTimeoutMs ?? 5_000;

  describe(`capture-kit conformance: ${name}`, () => {
    let recorder: WebhookRecorder | undefined;
    let harness: ConformanceHarness | undefined;
    let suiteEnv: SuiteEnv | undefined;
    const env = (): SuiteEnv => {
      if (!suiteEnv)
        throw new Error(
          `testProvider(${name}): setup() did not complete; see the beforeAll error.`,
        );
      return suiteEnv;
    };

    beforeAll(async () => {
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'provider';
      recorder = await startWebhookRecorder(`/webhooks/${slug}`);
      harness = await setup({ webhookUrl: recorder.url, webhookPath: recorder.path });
      const ready = harness;
      recorder.attach((onEvent, handlerOptions) =>
        ready.client.webhookHandler(ready.provider, onEvent, handlerOptions),
      );
      suiteEnv = createSuiteEnv(ready, recorder, webhookTimeoutMs);
    }, timeout);

    afterAll(async () => {
      try {
        await harness?.close();
      } finally {
        await recorder?.close();
      }
    }, timeout);

    /** One test on a freshly authorized payment. */
    const check = (
      title: string,
      body: (e: SuiteEnv, f: FreshPayment, context: TestContext) => Promise<unknown>,
    ) =>
      it(
        title,
        async (context) => {
          const e = env();
          await body(e, await e.fresh(), context);
        },
        timeout,
      );

    for (const { title, run } of CAPTURE_SCENARIOS) check(title, run);

    describe('fault matrix', () => {
      for (const kind of ALL_FAULT_KINDS) {
        const scenario = FAULT_SCENARIOS[kind];
        it(
          `${kind}: ${scenario.title}`,
          async (context) => {
            const e = env();
            if (!e.harness.faults.includes(kind)) {
              context.skip(`${name}: the harness does not list the fault '${kind}'`);
            }
            await scenario.run(e, context);
          },
          timeout,
        );
      }
    });

    // Last: moving the clock must not age payments other tests still use.
    check(CAPTURE_WINDOW_SCENARIO.title, CAPTURE_WINDOW_SCENARIO.run);
  });
}

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
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { resolveUntilFinal } from '../core/resolve-until-final.js';
import { capabilityProblems, unknownPaymentId } from './conformance-assertions.js';
import { createSuiteEnv, type FreshPayment, type SuiteEnv } from './conformance-env.js';
import { FAULT_SCENARIOS } from './conformance-faults.js';
import { startWebhookRecorder, type WebhookRecorder } from './conformance-webhook-recorder.js';
import type { ConformanceHarness, ConformanceSetupContext, FaultKind } from './harness.js';
import { DAY_MS } from './manual-clock.js';

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

    check('capabilities: well-formed, every false flag explained in reasons', async (e, f) => {
      const { client, provider } = e.harness;
      expect(capabilityProblems(f.caps), 'capabilities(payment.context)').toEqual([]);
      expect(capabilityProblems(client.capabilities(provider)), 'capabilities()').toEqual([]);
      expect(client.capabilities(provider, f.payment.context), 'pure').toEqual(f.caps);
    });

    check('full capture with the amount omitted', async (e, f, context) => {
      if (!f.caps.fullCapture) context.skip('capabilities.fullCapture is false');
      const request = f.request({ amount: null });
      if (f.caps.amountRequired) {
        const answer = await e.harness.client.capture(request);
        if (answer.isErr()) {
          // An adapter that cannot look the amount up must refuse before sending anything.
          e.expectErr(answer, ['invalid_request'], 'not_attempted', request.idempotencyKey);
          await e.expectNoCapture(f.payment.paymentId);
          return;
        }
        const capture = e.expectOk(answer, f, request);
        await e.finish(f, request, f.full, capture.captureId);
        return;
      }
      await e.captureOk(f, request);
    });

    check('full capture with an explicit amount', async (e, f) => {
      const { capture } = await e.captureOk(f, f.request());
      expect(capture.final, 'Capture.final defaults to true').toBe(true);
    });

    check('idempotent replay: the same key twice is one capture, same captureId', async (e, f) => {
      const request = f.request();
      const first = e.expectOk(await e.harness.client.capture(request), f, request);
      const replay = e.expectOk(await e.harness.client.capture(request), f, request);
      expect(first.captureId, 'Capture.captureId').toBeDefined();
      expect(replay.captureId, 'captureId of the replay').toBe(first.captureId);
      // The journal answered that replay; a restarted process (a fresh journal) relies on
      // the provider's own idempotency, which must hold too.
      const restarted = e.harness.restartClient?.();
      if (restarted) {
        const again = e.expectOk(await restarted.capture(request), f, request);
        expect(again.captureId, 'captureId of the replay after a restart').toBe(first.captureId);
      }
      await e.finish(f, request, f.full, first.captureId);
    });

    check(
      'same key with a different amount: Err(idempotency_conflict, not_attempted)',
      async (e, f) => {
        const request = f.request();
        const capture = e.expectOk(await e.harness.client.capture(request), f, request);
        const conflicting = await e.harness.client.capture(f.request({ amount: f.full / 2n }));
        e.expectErr(conflicting, ['idempotency_conflict'], 'not_attempted', request.idempotencyKey);
        await e.finish(f, request, f.full, capture.captureId);
      },
    );

    check(
      'a new key while a capture is unknown: Err(unresolved_capture), nothing sent',
      async (e, f, context) => {
        if (!e.harness.faults.includes('timeout_after_commit'))
          context.skip('no timeout_after_commit');
        const request = f.request();
        e.harness.injectFault({ kind: 'timeout_after_commit' });
        // A webhook would settle the intent (rightly); keep it unknown for this check.
        if (e.harness.faults.includes('webhook_missing'))
          e.harness.injectFault({ kind: 'webhook_missing' });
        const first = await e.harness.client.capture(request);
        e.expectErr(
          first,
          ['timeout', 'network_error', 'provider_error'],
          'unknown',
          request.idempotencyKey,
        );
        const other = f.request({ idempotencyKey: e.nextKey() });
        const blocked = await e.harness.client.capture(other);
        const error = e.expectErr(
          blocked,
          ['unresolved_capture'],
          'not_attempted',
          other.idempotencyKey,
        );
        expect(error.unresolvedIdempotencyKey, 'CaptureError.unresolvedIdempotencyKey').toBe(
          request.idempotencyKey,
        );
        await e.finish(f, request, f.full);
      },
    );

    check('partial capture, or preflight unsupported when partialCapture is off', async (e, f) => {
      const part = (f.full * 2n) / 5n;
      if (f.caps.partialCapture) {
        await e.captureOk(f, f.request({ amount: part }));
      } else {
        const request = f.request({ amount: part, authorizedAmount: f.full });
        await e.refuse(f, request, ['unsupported'], 'not_attempted');
      }
    });

    check('multiple captures, or preflight unsupported when off', async (e, f, context) => {
      const first = (f.full * 2n) / 5n;
      const second = (f.full * 3n) / 10n;
      if (!f.caps.multipleCaptures) {
        const request = f.request({ amount: first, final: false });
        await e.refuse(f, request, ['unsupported'], 'not_attempted');
        return;
      }
      if (!f.caps.partialCapture) context.skip('multipleCaptures without partialCapture');
      const { capture } = await e.captureOk(f, f.request({ amount: first, final: false }));
      expect(capture.final, 'Capture.final for final: false').toBe(false);
      await e.captureOk(f, f.request({ amount: second, final: true, idempotencyKey: e.nextKey() }));
      const state = await e.harness.payment(f.payment.paymentId);
      expect(state.capturedTotal, 'captured total after two captures').toBe(first + second);
    });

    check(
      'over-capture sent to the provider: Err(amount_exceeds_authorized, failed)',
      async (e, f) => {
        const request = f.request({ amount: f.full * 2n });
        const answer = await e.harness.client.capture(request);
        // An asynchronous provider may accept the request and refuse it in its result (Adyen:
        // 201 received, then a CAPTURE webhook with success false): resolve() must end there.
        if (f.caps.resultDelivery === 'asynchronous' && answer.isOk()) {
          e.expectOk(answer, f, request);
          const trace = await resolveUntilFinal(e.harness.client, request, {
            settle: () => e.settle(),
            maxAttempts: 8,
          });
          e.expectErr(
            trace.result,
            ['amount_exceeds_authorized'],
            'failed',
            request.idempotencyKey,
          );
        } else {
          e.expectErr(answer, ['amount_exceeds_authorized'], 'failed', request.idempotencyKey);
        }
        await e.expectNoCapture(f.payment.paymentId);
      },
    );

    check('unknown payment: Err(payment_not_found, failed)', (e, f) =>
      e.refuse(
        f,
        f.request({ paymentId: unknownPaymentId(f.payment.paymentId) }),
        ['payment_not_found'],
        'failed',
      ),
    );

    check('idempotency key: echoed on Ok and Err, generated when absent', async (e, f) => {
      const { idempotencyKey: _omitted, ...withoutKey } = f.request();
      const answer = await e.harness.client.capture(withoutKey);
      const generated = answer.match(
        (capture) => capture.idempotencyKey,
        (error) => error.idempotencyKey ?? '',
      );
      expect(generated.length, 'a generated idempotency key').toBeGreaterThan(0);
      const request = f.request({ idempotencyKey: generated });
      const capture = e.expectOk(answer, f, request);
      await e.finish(f, request, f.full, capture.captureId);
      const refused = f.request({ amount: null, final: false, idempotencyKey: e.nextKey() });
      const answerRefused = await e.harness.client.capture(refused);
      e.expectErr(answerRefused, ['invalid_request'], 'not_attempted', refused.idempotencyKey);
    });

    check(
      'a successful capture produces a verified capture.succeeded event',
      async (e, f, context) => {
        if (!f.caps.webhooks) context.skip('capabilities.webhooks is false for this payment');
        const request = f.request();
        const { capture, trace } = await e.captureOk(f, request);
        const resolved = trace.result.isOk() ? trace.result.value : capture;
        const [event] = await e.waitForEvents(f.payment.paymentId, 1);
        if (!event) throw new Error('no event recorded');
        expect(event.type, 'CaptureEvent.type').toBe('capture.succeeded');
        expect(event.provider, 'CaptureEvent.provider').toBe(e.harness.provider);
        expect(event.paymentId, 'CaptureEvent.paymentId').toBe(f.payment.paymentId);
        expect(event.id.length, 'CaptureEvent.id (dedupe key)').toBeGreaterThan(0);
        expect(Date.parse(event.occurredAt), 'CaptureEvent.occurredAt is ISO-8601').not.toBeNaN();
        const captureId = resolved.captureId ?? capture.captureId;
        if (event.captureId !== undefined && captureId !== undefined) {
          expect(event.captureId, 'CaptureEvent.captureId matches Capture.captureId').toBe(
            captureId,
          );
        }
        if (event.idempotencyKey !== undefined) {
          expect(event.idempotencyKey, 'CaptureEvent.idempotencyKey').toBe(request.idempotencyKey);
        }
        if (event.amount !== undefined) {
          expect(event.amount, 'CaptureEvent.amount').toEqual(f.payment.amount);
        }
      },
    );

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
    check(
      'capture after the window: authorization_expired | invalid_payment_state',
      async (e, f, context) => {
        const windowDays = f.caps.captureWindowDays;
        if (windowDays === undefined) context.skip('capabilities.captureWindowDays is not set');
        e.harness.advanceClock(Math.max(8, (windowDays ?? 7) + 1) * DAY_MS);
        const codes = ['authorization_expired', 'invalid_payment_state'] as const;
        await e.refuse(f, f.request(), codes, 'failed');
      },
    );
  });
}

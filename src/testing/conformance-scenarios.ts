import { expect, type TestContext } from 'vitest';
import { resolveUntilFinal } from '../core/resolve-until-final.js';
import { capabilityProblems, unknownPaymentId } from './conformance-assertions.js';
import type { FreshPayment, SuiteEnv } from './conformance-env.js';
import { DAY_MS } from './manual-clock.js';

/** One check of the conformance suite, run on a freshly authorized payment. */
interface CaptureScenario {
  /** The test title. */
  readonly title: string;
  run(env: SuiteEnv, fresh: FreshPayment, context: TestContext): Promise<unknown>;
}

function scenario(title: string, run: CaptureScenario['run']): CaptureScenario {
  return { title, run };
}

/**
 * The capture checks, in suite order: capabilities, full, explicit, partial and multiple
 * captures, idempotent replay and conflicts, refusals and webhooks. Every scenario that
 * moves money ends by resolving the capture and checking the simulator holds exactly one
 * capture for the key with the intended amount.
 */
export const CAPTURE_SCENARIOS: readonly CaptureScenario[] = [
  scenario('capabilities: well-formed, every false flag explained in reasons', async (e, f) => {
    const { client, provider } = e.harness;
    expect(capabilityProblems(f.caps), 'capabilities(payment.context)').toEqual([]);
    expect(capabilityProblems(client.capabilities(provider)), 'capabilities()').toEqual([]);
    expect(client.capabilities(provider, f.payment.context), 'pure').toEqual(f.caps);
  }),

  scenario('full capture with the amount omitted', async (e, f, context) => {
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
  }),

  scenario('full capture with an explicit amount', async (e, f) => {
    const { capture } = await e.captureOk(f, f.request());
    expect(capture.final, 'Capture.final defaults to true').toBe(true);
  }),

  scenario('idempotent replay: the same key twice is one capture, same captureId', async (e, f) => {
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
  }),

  scenario(
    'same key with a different amount: Err(idempotency_conflict, not_attempted)',
    async (e, f) => {
      const request = f.request();
      const capture = e.expectOk(await e.harness.client.capture(request), f, request);
      const conflicting = await e.harness.client.capture(f.request({ amount: f.full / 2n }));
      e.expectErr(conflicting, ['idempotency_conflict'], 'not_attempted', request.idempotencyKey);
      await e.finish(f, request, f.full, capture.captureId);
    },
  ),

  scenario(
    'a new key while a capture is unknown: Err(unresolved_capture), nothing sent',
    async (e, f, context) => {
      if (!e.harness.faults.includes('timeout_after_commit'))
        context.skip('no timeout_after_commit');
      const request = f.request();
      e.harness.injectFault({ kind: 'timeout_after_commit' });
      // A webhook would settle the intent (rightly); keep it unknown for this check — unless
      // only a webhook can prove the result, when finish() below needs it.
      if (e.harness.faults.includes('webhook_missing') && e.harness.resultsProvenBy !== 'webhook')
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
  ),

  scenario('partial capture, or preflight unsupported when partialCapture is off', async (e, f) => {
    const part = (f.full * 2n) / 5n;
    if (f.caps.partialCapture) {
      await e.captureOk(f, f.request({ amount: part }));
    } else {
      const request = f.request({ amount: part, authorizedAmount: f.full });
      await e.refuse(f, request, ['unsupported'], 'not_attempted');
    }
  }),

  scenario('multiple captures, or preflight unsupported when off', async (e, f, context) => {
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
  }),

  scenario(
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
        e.expectErr(trace.result, ['amount_exceeds_authorized'], 'failed', request.idempotencyKey);
      } else {
        e.expectErr(answer, ['amount_exceeds_authorized'], 'failed', request.idempotencyKey);
      }
      await e.expectNoCapture(f.payment.paymentId);
    },
  ),

  scenario('unknown payment: Err(payment_not_found, failed)', (e, f) =>
    e.refuse(
      f,
      f.request({ paymentId: unknownPaymentId(f.payment.paymentId) }),
      ['payment_not_found'],
      'failed',
    ),
  ),

  scenario('idempotency key: echoed on Ok and Err, generated when absent', async (e, f) => {
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
  }),

  scenario(
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
        expect(event.captureId, 'CaptureEvent.captureId matches Capture.captureId').toBe(captureId);
      }
      if (event.idempotencyKey !== undefined) {
        expect(event.idempotencyKey, 'CaptureEvent.idempotencyKey').toBe(request.idempotencyKey);
      }
      if (event.amount !== undefined) {
        expect(event.amount, 'CaptureEvent.amount').toEqual(f.payment.amount);
      }
    },
  ),
];

/** Runs after the fault matrix, because moving the clock must not age payments other tests still use. */
export const CAPTURE_WINDOW_SCENARIO: CaptureScenario = scenario(
  'capture after the window: authorization_expired | invalid_payment_state',
  async (e, f, context) => {
    const windowDays = f.caps.captureWindowDays;
    if (windowDays === undefined) context.skip('capabilities.captureWindowDays is not set');
    e.harness.advanceClock(Math.max(8, (windowDays ?? 7) + 1) * DAY_MS);
    const codes = ['authorization_expired', 'invalid_payment_state'] as const;
    await e.refuse(f, f.request(), codes, 'failed');
  },
);

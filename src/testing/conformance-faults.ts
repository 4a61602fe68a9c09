import { expect, type TestContext } from 'vitest';
import type { CaptureErrorCode } from '../core/errors.js';
import type { FreshPayment, SuiteEnv } from './conformance-env.js';
import { waitFor } from './conformance-webhook-recorder.js';
import type { Fault, FaultKind } from './harness.js';

/** One row of the fault matrix: what to inject and what the library must answer. */
interface FaultScenario {
  /** What is checked, for the test title. */
  readonly title: string;
  run(env: SuiteEnv, context: TestContext): Promise<void>;
}

/** What the first resolve() after the faulty capture must answer. */
type AfterFault = 'found' | 'not_found';

interface RequestFaultRow {
  readonly faults: readonly Fault[];
  /** `'ok'` or the codes an `Err(unknown)` may carry. */
  readonly first: 'ok' | readonly CaptureErrorCode[];
  readonly afterwards: AfterFault;
  /** An asynchronous provider may honestly answer `Ok(pending)` instead of an unknown error. */
  readonly pendingIfAsync?: boolean;
}

function requestFault(title: string, row: RequestFaultRow): FaultScenario {
  return {
    title,
    async run(env) {
      for (const fault of row.faults) {
        const f = await env.fresh();
        const request = f.request();
        env.harness.injectFault(fault);
        // This checks the capture exchange alone: a webhook could settle the intent while
        // the capture hangs (rightly turning the answer into Ok), so none is delivered
        // (only where the fault records a capture, so a webhook exists to drop) — except
        // where only a webhook can prove the result at all.
        if (
          row.afterwards !== 'not_found' &&
          env.harness.faults.includes('webhook_missing') &&
          env.harness.resultsProvenBy !== 'webhook'
        ) {
          env.harness.injectFault({ kind: 'webhook_missing' });
        }
        const answer = await env.harness.client.capture(request);
        let captureId: string | undefined;
        const pendingAllowed =
          row.pendingIfAsync === true &&
          f.caps.resultDelivery === 'asynchronous' &&
          answer.isOk() &&
          answer.value.status === 'pending';
        if (row.first === 'ok' || pendingAllowed) {
          captureId = env.expectOk(answer, f, request).captureId;
        } else {
          env.expectErr(answer, row.first, 'unknown', request.idempotencyKey);
        }
        const trace = await env.finish(f, request, f.full, captureId);
        const first = trace.steps[0]?.result;
        if (row.afterwards === 'not_found' && env.harness.resultsProvenBy === 'webhook') {
          // No inquiry: resolve() re-sends under the same key, and that re-send IS the
          // capture the lost request never made (one capture, checked by finish()).
          expect(
            first?.isOk() && first.value.status,
            `first resolve() after ${fault.kind} without a status inquiry: the same-key re-send is received`,
          ).toBe('pending');
        } else if (row.afterwards === 'not_found') {
          const error = first?.isErr() ? first.error : undefined;
          expect(
            error && { code: error.code, outcome: error.outcome, retryable: error.retryable },
            `first resolve() after ${fault.kind}: nothing was recorded, so the capture is not found`,
          ).toEqual({ code: 'capture_not_found', outcome: 'failed', retryable: true });
        } else {
          expect(
            first?.isOk(),
            `first resolve() after ${fault.kind}: the capture was recorded, so resolve() answers Ok`,
          ).toBe(true);
        }
      }
    },
  };
}

async function webhookPayment(env: SuiteEnv, context: TestContext): Promise<FreshPayment> {
  const f = await env.fresh();
  if (!f.caps.webhooks) {
    context.skip(
      'capabilities.webhooks is false for this payment, so webhook faults cannot be observed',
    );
  }
  return f;
}

const WEBHOOK_DELAY_MS = 300;

/**
 * The fault matrix: one scenario per {@link FaultKind}, typed as a total record so a new
 * kind cannot be added without its expected outcome.
 */
export const FAULT_SCENARIOS: Readonly<Record<FaultKind, FaultScenario>> = {
  delay: requestFault('answers Ok after the delay', {
    faults: [{ kind: 'delay', ms: 150 }],
    first: 'ok',
    afterwards: 'found',
  }),
  timeout_before_commit: requestFault(
    'Err(unknown, timeout); resolve() → capture_not_found; same key again → one capture',
    { faults: [{ kind: 'timeout_before_commit' }], first: ['timeout'], afterwards: 'not_found' },
  ),
  timeout_after_commit: requestFault('Err(unknown, timeout); resolve() → Ok; one capture', {
    faults: [{ kind: 'timeout_after_commit' }],
    first: ['timeout'],
    afterwards: 'found',
  }),
  reset_after_commit: requestFault('Err(unknown, network_error); resolve() → Ok; one capture', {
    faults: [{ kind: 'reset_after_commit' }],
    first: ['network_error'],
    afterwards: 'found',
  }),
  server_error: requestFault(
    '500 and 502 → Err(unknown, provider_error); resolve() → capture_not_found; one capture',
    {
      faults: [
        { kind: 'server_error', status: 500 },
        { kind: 'server_error', status: 502 },
      ],
      first: ['provider_error'],
      afterwards: 'not_found',
    },
  ),
  unknown_status: requestFault(
    'Err(unknown, outcome_unknown | capture_in_progress); resolve() → Ok (maybe pending first)',
    {
      faults: [{ kind: 'unknown_status' }],
      first: ['outcome_unknown', 'capture_in_progress'],
      afterwards: 'found',
      pendingIfAsync: true,
    },
  ),
  bad_signature: requestFault('Err(unknown, signature_invalid); resolve() → Ok; one capture', {
    faults: [{ kind: 'bad_signature' }],
    first: ['signature_invalid'],
    afterwards: 'found',
  }),

  webhook_duplicate: {
    title: 'two deliveries with one event id: both acknowledged, onEvent runs once',
    async run(env, context) {
      const f = await webhookPayment(env, context);
      const before = env.recorder.deliveries.length;
      await env.captureOk(f, f.request(), { kind: 'webhook_duplicate' });
      const [event] = await env.waitForEvents(f.payment.paymentId, 1);
      expect(event?.id, 'the event carries its dedupe key').toBeTruthy();
      await waitFor(
        () => (env.recorder.deliveries.length - before >= 2 ? true : undefined),
        'both deliveries to be answered',
      );
      const acks = env.recorder.deliveries.slice(before).map((entry) => entry.value);
      expect(
        acks.every((status) => status >= 200 && status < 300),
        `answers ${acks}`,
      ).toBe(true);
      await env.settle();
      expect(
        env.recorder.events.filter((entry) => entry.value.paymentId === f.payment.paymentId),
        'onEvent calls for one event id',
      ).toHaveLength(1);
    },
  },
  webhook_delayed: {
    title: `the event still arrives, after the delay (${WEBHOOK_DELAY_MS} ms)`,
    async run(env, context) {
      const f = await webhookPayment(env, context);
      const started = performance.now();
      await env.captureOk(f, f.request(), { kind: 'webhook_delayed', ms: WEBHOOK_DELAY_MS });
      const [event] = await env.waitForEvents(f.payment.paymentId, 1);
      const arrival = env.recorder.events.find((entry) => entry.value === event)?.at ?? 0;
      // A few ms of slack for timer rounding; the delay itself is the simulator's, not ours.
      expect(
        arrival - started,
        'ms between sending the capture and the event',
      ).toBeGreaterThanOrEqual(WEBHOOK_DELAY_MS - 5);
    },
  },
  webhook_missing: {
    title:
      'no event arrives; resolve() still reports succeeded (pending where only webhooks prove it)',
    async run(env, context) {
      const f = await webhookPayment(env, context);
      if (env.harness.resultsProvenBy === 'webhook') {
        await env.capturePendingWithoutWebhook(f, f.request(), { kind: 'webhook_missing' });
      } else {
        await env.captureOk(f, f.request(), { kind: 'webhook_missing' });
      }
      await env.settle();
      expect(env.eventsFor(f.payment.paymentId), 'events for a dropped webhook').toEqual([]);
    },
  },
  webhook_out_of_order: {
    title: "the held webhook arrives after the next capture's, both verified",
    async run(env, context) {
      const a = await webhookPayment(env, context);
      const b = await env.fresh();
      const requestA = a.request();
      const requestB = b.request();
      env.harness.injectFault({ kind: 'webhook_out_of_order' });
      // B must be captured before anything waits on A's webhook: the fault holds A until B's arrives.
      const captureA = env.expectOk(await env.harness.client.capture(requestA), a, requestA);
      await env.captureOk(b, requestB);
      await env.finish(a, requestA, a.full, captureA.captureId);
      await env.waitForEvents(a.payment.paymentId, 1);
      await env.waitForEvents(b.payment.paymentId, 1);
      const order = env.recorder.events
        .map((entry) => entry.value.paymentId)
        .filter((id) => id === a.payment.paymentId || id === b.payment.paymentId);
      expect(
        order.indexOf(b.payment.paymentId),
        "B's event arrives before the held event of A",
      ).toBeLessThan(order.indexOf(a.payment.paymentId));
    },
  },
  webhook_bad_signature: {
    title: 'the handler answers 401, reports signature_invalid, and emits no event',
    async run(env, context) {
      const f = await webhookPayment(env, context);
      const started = performance.now();
      if (env.harness.resultsProvenBy === 'webhook') {
        await env.capturePendingWithoutWebhook(f, f.request(), { kind: 'webhook_bad_signature' });
      } else {
        await env.captureOk(f, f.request(), { kind: 'webhook_bad_signature' });
      }
      await env.waitUntil(
        () =>
          env.recorder.errors.find(
            (entry) => entry.at >= started && entry.value.code === 'signature_invalid',
          ),
        'onError({ code: "signature_invalid" }) from the webhook handler',
      );
      await env.waitUntil(
        () => env.recorder.deliveries.find((entry) => entry.at >= started && entry.value === 401),
        'a 401 answer to the badly signed delivery',
      );
      await env.settle();
      expect(env.eventsFor(f.payment.paymentId), 'events from a badly signed delivery').toEqual([]);
    },
  },
};

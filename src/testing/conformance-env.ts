import { randomUUID } from 'node:crypto';
import type { Result } from 'neverthrow';
import { expect } from 'vitest';
import type { CaptureCapabilities } from '../core/capabilities.js';
import type { Capture } from '../core/capture.js';
import type { CaptureRequest } from '../core/capture-request.js';
import type { CaptureError, CaptureErrorCode, CaptureOutcome } from '../core/errors.js';
import {
  type ResolveStep,
  type ResolveTrace,
  resolveUntilFinal,
} from '../core/resolve-until-final.js';
import type { CaptureEvent } from '../core/webhook-types.js';
import { assertNoCapture, assertSingleCapture } from './conformance-assertions.js';
import { type WebhookRecorder, waitFor } from './conformance-webhook-recorder.js';
import type { AuthorizedPayment, ConformanceHarness, Fault } from './harness.js';

/** A capture request the suite sends: the key is always set, so it can be resolved and retried. */
type SuiteRequest = CaptureRequest & { readonly idempotencyKey: string };

/** How a scenario shapes its request; `amount: null` omits the amount (full capture). */
interface RequestShape {
  readonly amount?: bigint | null;
  readonly final?: boolean;
  readonly idempotencyKey?: string;
  readonly authorizedAmount?: bigint;
  readonly paymentId?: string;
}

/** A payment authorized for one test, with what the provider allows for it. */
export interface FreshPayment {
  readonly payment: AuthorizedPayment;
  readonly caps: CaptureCapabilities;
  /** The authorized amount, minor units. */
  readonly full: bigint;
  /** The test's first idempotency key. */
  readonly key: string;
  request(shape?: RequestShape): SuiteRequest;
}

/** What {@link SuiteEnv.captureOk} saw. */
interface CaptureOkResult {
  readonly capture: Capture;
  readonly trace: ResolveTrace;
}

/** Everything a conformance scenario needs; one per `describe`. */
export interface SuiteEnv {
  readonly harness: ConformanceHarness;
  readonly recorder: WebhookRecorder;
  readonly webhookTimeoutMs: number;
  /** Authorizes a new payment so tests never share state. */
  fresh(): Promise<FreshPayment>;
  /** A new idempotency key, unique in this run. */
  nextKey(): string;
  /** Lets the harness finish background work (or pauses briefly when it cannot). */
  settle(): Promise<void>;
  /** Asserts `Ok` with the suite's invariants (key, payment, status allowed by capabilities). */
  expectOk(result: Result<Capture, CaptureError>, f: FreshPayment, request: SuiteRequest): Capture;
  /** Asserts `Err` with one of `codes`, the given outcome, and the key echoed. */
  expectErr(
    result: Result<Capture, CaptureError>,
    codes: readonly CaptureErrorCode[],
    outcome: CaptureOutcome,
    idempotencyKey: string,
  ): CaptureError;
  /** Resolves to `Ok(succeeded)` and asserts exactly one capture of `intended` at the simulator. */
  finish(
    f: FreshPayment,
    request: SuiteRequest,
    intended: bigint,
    captureId?: string,
  ): Promise<ResolveTrace>;
  /** Asserts nothing was captured on the payment. */
  expectNoCapture(paymentId: string): Promise<void>;
  /** Sends `request` and expects a refusal (`codes`, `outcome`) that left nothing captured. */
  refuse(
    f: FreshPayment,
    request: SuiteRequest,
    codes: readonly CaptureErrorCode[],
    outcome: CaptureOutcome,
  ): Promise<CaptureError>;
  /**
   * Injects `fault` (if any), sends `request`, expects `Ok`, then resolves it to one
   * succeeded capture of the requested amount (the full amount when omitted).
   */
  captureOk(f: FreshPayment, request: SuiteRequest, fault?: Fault): Promise<CaptureOkResult>;
  /**
   * For a provider whose results only webhooks prove (`resultsProvenBy: 'webhook'`), with a
   * fault that keeps the verified webhook away: the capture is `Ok(pending)`, and after the
   * provider processed it `resolve()` still answers `Ok(pending)` — never `succeeded`
   * without proof, never `failed` — while the simulator holds exactly one capture.
   */
  capturePendingWithoutWebhook(f: FreshPayment, request: SuiteRequest, fault: Fault): Promise<void>;
  /** Polls `probe` until it finds something (kicking the harness's background work), or fails after `webhookTimeoutMs`. */
  waitUntil<T>(probe: () => T | undefined, what: string): Promise<T>;
  /** Waits until at least `count` verified events for `paymentId` were recorded. */
  waitForEvents(paymentId: string, count: number): Promise<CaptureEvent[]>;
  /** Verified events for `paymentId` recorded so far, in arrival order. */
  eventsFor(paymentId: string): CaptureEvent[];
}

/** Describes one result for failure messages. */
function describeResult(result: Result<Capture, CaptureError>): string {
  return result.match(
    (capture) => `Ok(${capture.status})`,
    (error) => `Err(${error.code}, ${error.outcome}): ${error.message}`,
  );
}

function describeSteps(steps: readonly ResolveStep[]): string {
  return steps.map((step) => `${step.action} → ${describeResult(step.result)}`).join('; ');
}

/** Builds the {@link SuiteEnv} for one harness. */
export function createSuiteEnv(
  harness: ConformanceHarness,
  recorder: WebhookRecorder,
  webhookTimeoutMs: number,
): SuiteEnv {
  const run = randomUUID().slice(0, 8);
  let sequence = 0;
  const nextKey = () => {
    sequence += 1;
    return `ck-conf-${run}-${sequence}`;
  };
  const settle = async () => {
    if (harness.settle) await harness.settle();
    else await new Promise((resolve) => setTimeout(resolve, 100));
  };
  const eventsFor = (paymentId: string) =>
    recorder.events.map((entry) => entry.value).filter((event) => event.paymentId === paymentId);

  const env: SuiteEnv = {
    harness,
    recorder,
    webhookTimeoutMs,
    nextKey,
    settle,
    eventsFor,
    async fresh() {
      const payment = await harness.authorize({ amount: 10_000n, currency: harness.currency });
      const caps = harness.client.capabilities(harness.provider, payment.context);
      const key = nextKey();
      const full = payment.amount.value;
      return {
        payment,
        caps,
        full,
        key,
        request(shape = {}) {
          const idempotencyKey = shape.idempotencyKey ?? key;
          const amount = shape.amount === undefined ? full : shape.amount;
          const currency = payment.amount.currency;
          return {
            provider: harness.provider,
            paymentId: shape.paymentId ?? payment.paymentId,
            idempotencyKey,
            // A reference lets providers that search by reference (Checkout.com) resolve.
            reference: `ref-${idempotencyKey}`,
            context: payment.context,
            ...(amount !== null ? { amount: { currency, value: amount } } : {}),
            ...(shape.final !== undefined ? { final: shape.final } : {}),
            ...(shape.authorizedAmount !== undefined
              ? { authorizedAmount: { currency, value: shape.authorizedAmount } }
              : {}),
          };
        },
      };
    },
    expectOk(result, f, request) {
      if (result.isErr()) {
        throw new Error(`Expected Ok from capture, got ${describeResult(result)}`);
      }
      const capture = result.value;
      expect(capture.idempotencyKey, 'Capture.idempotencyKey echoes the key sent').toBe(
        request.idempotencyKey,
      );
      expect(capture.paymentId, 'Capture.paymentId').toBe(request.paymentId);
      expect(capture.provider, 'Capture.provider').toBe(harness.provider);
      const allowed =
        f.caps.resultDelivery === 'asynchronous' ? ['succeeded', 'pending'] : ['succeeded'];
      expect(allowed, `Capture.status for resultDelivery ${f.caps.resultDelivery}`).toContain(
        capture.status,
      );
      if (capture.amount && request.amount) {
        expect(capture.amount, 'Capture.amount').toEqual({
          currency: request.amount.currency,
          value: BigInt(request.amount.value),
        });
      }
      return capture;
    },
    expectErr(result, codes, outcome, idempotencyKey) {
      if (result.isOk()) {
        throw new Error(
          `Expected Err(${codes.join(' | ')}, ${outcome}), got ${describeResult(result)}`,
        );
      }
      const error = result.error;
      const seen = describeResult(result);
      expect(codes, `error code (${seen})`).toContain(error.code);
      expect(error.outcome, `error outcome (${seen})`).toBe(outcome);
      expect(error.idempotencyKey, 'CaptureError.idempotencyKey echoes the key sent').toBe(
        idempotencyKey,
      );
      expect(error.message.length, 'CaptureError.message says what to do').toBeGreaterThan(0);
      return error;
    },
    async finish(f, request, intended, captureId) {
      const trace = await resolveUntilFinal(harness.client, request, {
        settle,
        maxAttempts: 8,
        ...(captureId !== undefined ? { captureId } : {}),
      });
      const answer = trace.result;
      if (!trace.final || answer.isErr() || answer.value.status !== 'succeeded') {
        throw new Error(
          `resolve() did not reach Ok(succeeded)${trace.final ? '' : ' within 8 inquiries'}: ${describeSteps(trace.steps)}`,
        );
      }
      expect(answer.value.idempotencyKey, 'resolve() echoes the key').toBe(request.idempotencyKey);
      expect(answer.value.paymentId, 'resolve() echoes the payment').toBe(request.paymentId);
      assertSingleCapture(await harness.payment(f.payment.paymentId), {
        idempotencyKey: request.idempotencyKey,
        amount: intended,
        status: 'succeeded',
      });
      return trace;
    },
    async expectNoCapture(paymentId) {
      assertNoCapture(await harness.payment(paymentId));
    },
    async refuse(f, request, codes, outcome) {
      const error = env.expectErr(
        await harness.client.capture(request),
        codes,
        outcome,
        request.idempotencyKey,
      );
      await env.expectNoCapture(f.payment.paymentId);
      return error;
    },
    async capturePendingWithoutWebhook(f, request, fault) {
      harness.injectFault(fault);
      const capture = env.expectOk(await harness.client.capture(request), f, request);
      expect(capture.status, 'capture answer without a status inquiry').toBe('pending');
      await settle();
      const resolved = await harness.client.resolve(request);
      expect(
        describeResult(resolved),
        'resolve() with no verified webhook: received, result unproven',
      ).toBe('Ok(pending)');
      const intended = request.amount ? BigInt(request.amount.value) : f.full;
      assertSingleCapture(await harness.payment(f.payment.paymentId), {
        idempotencyKey: request.idempotencyKey,
        amount: intended,
        status: 'succeeded',
      });
    },
    async captureOk(f, request, fault) {
      if (fault) harness.injectFault(fault);
      const capture = env.expectOk(await harness.client.capture(request), f, request);
      const intended = request.amount ? BigInt(request.amount.value) : f.full;
      const trace = await env.finish(f, request, intended, capture.captureId);
      return { capture, trace };
    },
    waitUntil(probe, what) {
      // Providers that process in the background (Checkout.com) only send after settling.
      void harness.settle?.()?.catch(() => {});
      return waitFor(probe, what, webhookTimeoutMs);
    },
    waitForEvents(paymentId, count) {
      return env.waitUntil(() => {
        const events = eventsFor(paymentId);
        return events.length >= count ? events : undefined;
      }, `${count} verified webhook event(s) for payment ${paymentId}`);
    },
  };
  return env;
}

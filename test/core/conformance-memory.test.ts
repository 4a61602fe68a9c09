import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureCapabilities } from '../../src/core/capabilities.js';
import { resolveUntilFinal } from '../../src/core/resolve-until-final.js';
import { testProvider } from '../../src/testing/conformance.js';
import {
  assertSingleCapture,
  capabilityProblems,
  unknownPaymentId,
} from '../../src/testing/conformance-assertions.js';
import {
  type ExampleAdapterBugs as MemoryBugs,
  startExampleHarness as startMemoryHarness,
} from '../../src/testing/example-adapter.js';
import type { ConformanceHarness } from '../../src/testing/harness.js';

testProvider({ name: 'memory', setup: (ctx) => startMemoryHarness(ctx) });

// Full-only, asynchronous, amount required: exercises the suite's capability branches.
testProvider({
  name: 'memory (strict)',
  setup: (ctx) => startMemoryHarness(ctx, { profile: 'strict' }),
});

describe('the conformance checks catch broken providers', () => {
  const open: ConformanceHarness[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((harness) => harness.close()));
  });

  // Webhooks go nowhere here: these tests only look at captures.
  async function broken(bugs: MemoryBugs, value = 4_000n) {
    const harness = await startMemoryHarness(
      { webhookUrl: 'http://127.0.0.1:9/none', webhookPath: '/none' },
      { bugs },
    );
    open.push(harness);
    const payment = await harness.authorize({ amount: 10_000n });
    const request = {
      provider: harness.provider,
      paymentId: payment.paymentId,
      amount: { currency: 'EUR', value },
      final: false,
      idempotencyKey: 'order-1-capture-1',
    };
    return { harness, payment, request };
  }

  it('a provider that ignores the idempotency key fails "exactly one capture" on replay', async () => {
    const { harness, payment, request } = await broken({ ignoreIdempotencyKey: true });
    expect((await harness.client.capture(request)).isOk()).toBe(true);
    // In-process the journal answers the replay; after a restart only the provider can.
    expect((await harness.client.capture(request)).isOk()).toBe(true);
    expect((await harness.restartClient?.().capture(request))?.isOk()).toBe(true);
    const state = await harness.payment(payment.paymentId);
    expect(() =>
      assertSingleCapture(state, { idempotencyKey: request.idempotencyKey, amount: 4_000n }),
    ).toThrow(/exactly one capture .* found 2/);
  });

  it('a provider whose inquiry loses committed captures double-captures in the resolve loop, and is caught', async () => {
    const { harness, payment, request } = await broken(
      { ignoreIdempotencyKey: true, inquiryNeverFinds: true },
      2_000n,
    );
    harness.injectFault({ kind: 'timeout_after_commit' });
    const first = await harness.client.capture(request);
    expect(first.isErr() && first.error.outcome).toBe('unknown');
    const trace = await resolveUntilFinal(harness.client, request, {
      settle: () => harness.settle?.() ?? Promise.resolve(),
      maxAttempts: 2,
    });
    // The loop trusts "not found" and sends again once; the broken provider captures again.
    expect(trace.steps.filter((step) => step.action === 'capture')).toHaveLength(1);
    const state = await harness.payment(payment.paymentId);
    expect(() =>
      assertSingleCapture(state, { idempotencyKey: request.idempotencyKey, amount: 2_000n }),
    ).toThrow(/found 2/);
  });

  it('a provider that captures a different amount than asked is caught', async () => {
    const { harness, payment, request } = await broken({ recordsWrongAmount: true });
    const answer = await harness.client.capture(request);
    // The answer looks right; only the ground truth shows the whole authorization was taken.
    expect(answer.isOk() && answer.value.amount?.value).toBe(4_000n);
    const state = await harness.payment(payment.paymentId);
    expect(() =>
      assertSingleCapture(state, { idempotencyKey: request.idempotencyKey, amount: 4_000n }),
    ).toThrow(/took 10000 EUR, but 4000 was intended/);
  });

  it('resolveUntilFinal gives up after maxAttempts on a provider that never settles', async () => {
    const { harness, request } = await broken({ neverSettles: true });
    harness.injectFault({ kind: 'unknown_status' });
    await harness.client.capture(request);
    const trace = await resolveUntilFinal(harness.client, request, {
      settle: () => harness.settle?.() ?? Promise.resolve(),
      maxAttempts: 4,
    });
    expect(trace.final).toBe(false);
    expect(trace.steps).toHaveLength(4);
    expect(trace.result.isOk() && trace.result.value.status).toBe('pending');
  });

  it('capabilityProblems flags a false flag without a reason', () => {
    const caps: CaptureCapabilities = {
      fullCapture: true,
      partialCapture: false,
      multipleCaptures: false,
      finalCaptureFlag: true,
      amountRequired: false,
      resultDelivery: 'synchronous',
      webhooks: true,
      reasons: ['Multiple captures need a NonFinal-capable card scheme.'],
    };
    expect(capabilityProblems(caps)).toEqual([expect.stringMatching(/^partialCapture is false/)]);
    expect(
      capabilityProblems({
        ...caps,
        reasons: [...caps.reasons, 'Partial capture needs a contract.'],
      }),
    ).toEqual([]);
  });

  it('unknownPaymentId keeps the format but never the id', () => {
    expect(unknownPaymentId('pay_00000001')).toBe('pay_99999998');
    expect(unknownPaymentId('pay_abcDEF12')).toBe('pay_zyxWVU87');
    expect(unknownPaymentId('2026-01-01')).not.toBe('2026-01-01');
  });
});

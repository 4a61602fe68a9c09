import { describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import { memoryJournal } from '../../src/core/journal.js';
import { checkout } from '../../src/providers/checkout/index.js';
import { startCheckoutSimulator } from '../../src/testing/simulators/checkout.js';
import { scriptedProvider } from './scripted-provider.js';

const request = {
  provider: 't',
  paymentId: 'pay_1',
  amount: { currency: 'EUR', value: 300n },
  idempotencyKey: 'k1',
};
const unknownTimeout = { code: 'timeout', outcome: 'unknown' } as const;

describe('client.reconcile()', () => {
  it('settles an unknown capture the provider reports succeeded', async () => {
    const adapter = scriptedProvider({
      captures: [unknownTimeout],
      resolves: [{ status: 'succeeded' }],
    });
    const client = createCaptureClient({ providers: { t: adapter }, inFlightGraceMs: 0 });
    await client.capture(request);
    const report = await client.reconcile();
    expect(report).toMatchObject({
      claimed: 1,
      resolved: { succeeded: 1, failed: 0, absent: 0 },
      resent: 0,
      stillOpen: 0,
      errors: [],
    });
    expect((await client.intents())[0]?.state).toBe('succeeded');
  });

  it('re-sends with the SAME key only when the provider authoritatively has none', async () => {
    const adapter = scriptedProvider({
      captures: [unknownTimeout, { status: 'succeeded' }],
      resolves: [{ code: 'capture_not_found', outcome: 'failed' }],
    });
    const client = createCaptureClient({ providers: { t: adapter }, inFlightGraceMs: 0 });
    await client.capture(request);
    const report = await client.reconcile();
    expect(report.resent).toBe(1);
    expect(report.items[0]).toMatchObject({ from: 'unknown', to: 'succeeded', resent: true });
    expect(adapter.captureCalls.map((call) => call.idempotencyKey)).toEqual(['k1', 'k1']);
  });

  it('the re-send is the original request: context, authorizedAmount, metadata, options', async () => {
    const adapter = scriptedProvider({
      captures: [unknownTimeout, { status: 'succeeded' }],
      resolves: [{ code: 'capture_not_found', outcome: 'failed' }],
    });
    const client = createCaptureClient({ providers: { t: adapter }, inFlightGraceMs: 0 });
    await client.capture({
      ...request,
      final: false,
      reference: 'ORD-1',
      metadata: { order: 'ORD-1', attempt: 1 },
      authorizedAmount: { currency: 'EUR', value: 900n },
      context: { cardBrand: 'visa', issuerCountry: 'FR' },
      providerOptions: { [adapter.kind]: { note: 'x' } },
    });
    const report = await client.reconcile();
    expect(report.resent).toBe(1);
    const [first, again] = adapter.captureCalls;
    // Per dispatch, not part of the request: the abort signal and the deadline.
    const { signal: _a, deadline: _c, ...sent } = first as NonNullable<typeof first>;
    const { signal: _b, deadline: _d, ...resent } = again as NonNullable<typeof again>;
    expect(resent).toEqual(sent);
    expect(resent).toMatchObject({
      authorizedAmount: { currency: 'EUR', value: 900n },
      context: { cardBrand: 'visa', issuerCountry: 'FR', currency: 'EUR' },
      providerOptions: { note: 'x' },
    });
  });

  it('leaves it open, and reports why, when the inquiry fails', async () => {
    const adapter = scriptedProvider({
      captures: [unknownTimeout],
      resolves: [{ code: 'rate_limited', outcome: 'failed', httpStatus: 429 }],
    });
    const client = createCaptureClient({ providers: { t: adapter }, inFlightGraceMs: 0 });
    await client.capture(request);
    const report = await client.reconcile();
    expect(report.stillOpen).toBe(1);
    expect(report.errors[0]).toMatchObject({
      idempotencyKey: 'k1',
      code: 'rate_limited',
      to: 'unknown',
    });
    expect(adapter.captureCalls).toHaveLength(1);
  });

  it('does not touch a capture still in flight, and honours olderThanMs', async () => {
    let now = 1_000_000;
    const adapter = scriptedProvider({
      captures: [unknownTimeout],
      resolves: [{ status: 'succeeded' }],
    });
    const client = createCaptureClient({
      inFlightGraceMs: 0,
      providers: { t: adapter },
      now: () => now,
    });
    await client.capture(request);
    expect((await client.reconcile({ olderThanMs: 60_000 })).claimed).toBe(0);
    now += 60_000;
    expect((await client.reconcile({ olderThanMs: 60_000 })).claimed).toBe(1);
  });

  it('two reconcilers at once resolve each intent exactly once', async () => {
    const count = 40;
    const adapter = scriptedProvider({
      captures: Array.from({ length: count }, () => unknownTimeout),
      resolves: Array.from({ length: count }, () => ({ status: 'succeeded' as const })),
    });
    const journal = memoryJournal();
    const a = createCaptureClient({ inFlightGraceMs: 0, providers: { t: adapter }, journal });
    const b = createCaptureClient({ inFlightGraceMs: 0, providers: { t: adapter }, journal });
    for (let i = 0; i < count; i += 1) {
      await a.capture({ ...request, paymentId: `pay_${i}`, idempotencyKey: `k${i}` });
    }
    const [ra, rb] = await Promise.all([
      a.reconcile({ limit: count }),
      b.reconcile({ limit: count }),
    ]);
    expect(ra.claimed + rb.claimed).toBe(count);
    expect(adapter.resolveCalls).toHaveLength(count);
    expect(new Set(adapter.resolveCalls.map((call) => call.idempotencyKey)).size).toBe(count);
  });

  it('Checkout.com: a pending capture whose webhook never came is settled by reconcile', async () => {
    const sim = await startCheckoutSimulator({});
    const client = createCaptureClient({
      inFlightGraceMs: 0,
      providers: { cko: checkout({ ...sim.credentials, baseUrl: sim.baseUrl, timeoutMs: 500 }) },
    });
    try {
      const payment = await sim.authorize({ amount: 6_540n, currency: 'EUR', cardBrand: 'visa' });
      const pending = await client.capture({ provider: 'cko', paymentId: payment.paymentId });
      expect(pending._unsafeUnwrap().status).toBe('pending');
      await sim.settle();
      const report = await client.reconcile();
      expect(report.items[0]).toMatchObject({ from: 'pending', to: 'succeeded' });
      expect((await sim.payment(payment.paymentId)).captures).toHaveLength(1);
    } finally {
      await client.close();
      await sim.close();
    }
  });

  it('rejects a bad option by name', async () => {
    const client = createCaptureClient({
      providers: { t: scriptedProvider({}) },
      inFlightGraceMs: 0,
    });
    await expect(client.reconcile({ limit: -1 })).rejects.toThrow(/reconcile\(\{ limit \}\)/);
  });
});

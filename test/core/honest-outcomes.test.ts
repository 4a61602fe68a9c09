// Issue 10: an outcome describes the capture, never the last HTTP exchange (DESIGN §0).
// Each test replays a sequence that used to end in a wrong answer or a double capture.
import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import { memoryJournal } from '../../src/core/journal.js';
import { resolveUntilFinal } from '../../src/core/resolve-until-final.js';
import { alipayV2 } from '../../src/providers/alipay-v2/index.js';
import { startAlipayV2Simulator } from '../../src/testing/simulators/alipay-v2.js';
import { startAntomFixture } from '../antom/antom-fixture.js';
import { scriptedProvider } from './scripted-provider.js';

const EUR = (value: bigint) => ({ currency: 'EUR', value });
const request = {
  provider: 't',
  paymentId: 'pay_1',
  amount: EUR(300n),
  idempotencyKey: 'order-1-capture-1',
};
const unknownTimeout = { code: 'timeout', outcome: 'unknown' } as const;
const noop = async () => {};

describe('resolve answers about the capture, not the inquiry (defect 1)', () => {
  it('429, 401 and a refused connection on the inquiry leave it unknown; resolveUntilFinal never ends final', async () => {
    const adapter = scriptedProvider({
      captures: [unknownTimeout],
      resolves: [
        { code: 'rate_limited', outcome: 'failed', httpStatus: 429, retryAfterMs: 1_500 },
        { code: 'authentication_failed', outcome: 'failed', httpStatus: 401 },
        { code: 'network_error', outcome: 'not_attempted' },
      ],
    });
    const client = createCaptureClient({ providers: { t: adapter } });
    expect((await client.capture(request))._unsafeUnwrapErr().outcome).toBe('unknown');
    const trace = await resolveUntilFinal(client, request, { settle: noop, maxAttempts: 3 });
    expect(trace.final).toBe(false);
    expect(trace.steps.map((step) => step.action)).toEqual(['resolve', 'resolve', 'resolve']);
    const outcomes = trace.steps.map((step) => step.result._unsafeUnwrapErr());
    expect(outcomes.map((e) => e.outcome)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(outcomes[0]).toMatchObject({
      code: 'rate_limited',
      httpStatus: 429,
      retryAfterMs: 1_500,
    });
    expect(outcomes[1]).toMatchObject({ code: 'authentication_failed', httpStatus: 401 });
    expect(adapter.captureCalls).toHaveLength(1);
    expect((await client.intents())[0]?.state).toBe('unknown');
  });

  it('without a journal record, a refused inquiry is still unknown (never not_attempted)', async () => {
    const adapter = scriptedProvider({
      resolves: [{ code: 'network_error', outcome: 'not_attempted' }],
    });
    const client = createCaptureClient({ providers: { t: adapter } });
    const answer = await client.resolve(request);
    expect(answer._unsafeUnwrapErr()).toMatchObject({ code: 'network_error', outcome: 'unknown' });
  });

  it('resolveUntilFinal without an idempotencyKey (plain JS) is not final (defect 8)', async () => {
    const client = createCaptureClient({ providers: { t: scriptedProvider({}) } });
    const { idempotencyKey: _key, ...withoutKey } = request;
    const trace = await resolveUntilFinal(client, withoutKey as typeof request, { settle: noop });
    expect(trace.final).toBe(false);
    expect(trace.result._unsafeUnwrapErr()).toMatchObject({ code: 'invalid_request' });
  });

  it('resolve() accepts the very object given to capture() (issue 14, item 2)', async () => {
    const adapter = scriptedProvider({ resolves: [{ status: 'succeeded' }] });
    const client = createCaptureClient({ providers: { t: adapter } });
    const answer = await client.resolve({ ...request, final: true, metadata: { a: 1 } });
    expect(answer._unsafeUnwrap().status).toBe('succeeded');
    expect(adapter.resolveCalls[0]?.amount).toEqual(EUR(300n));
  });
});

describe('once unknown, only an authoritative answer ends it (defects 2 and 3)', () => {
  it('a same-key retry that is declined or never sent stays unknown; a new key is refused', async () => {
    const adapter = scriptedProvider({
      captures: [
        unknownTimeout,
        {
          code: 'amount_exceeds_authorized',
          outcome: 'failed',
          providerCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
          providerStatus: 'F',
        },
        { code: 'network_error', outcome: 'not_attempted' },
        { code: 'authentication_failed', outcome: 'failed', httpStatus: 401 },
      ],
      resolves: [{ status: 'succeeded' }],
    });
    const client = createCaptureClient({ providers: { t: adapter } });
    expect((await client.capture(request))._unsafeUnwrapErr().outcome).toBe('unknown');
    const declined = (await client.capture(request))._unsafeUnwrapErr();
    expect(declined).toMatchObject({
      code: 'outcome_unknown',
      outcome: 'unknown',
      retryable: true,
      providerCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
    });
    expect(declined.message).toContain('resolve()');
    const refused = (await client.capture(request))._unsafeUnwrapErr();
    expect(refused).toMatchObject({ code: 'outcome_unknown', outcome: 'unknown' });
    expect((await client.capture(request))._unsafeUnwrapErr().outcome).toBe('unknown');

    const newKey = await client.capture({ ...request, idempotencyKey: 'order-1-capture-2' });
    expect(newKey._unsafeUnwrapErr()).toMatchObject({
      code: 'unresolved_capture',
      outcome: 'not_attempted',
      idempotencyKey: 'order-1-capture-2',
      unresolvedIdempotencyKey: request.idempotencyKey,
    });
    expect(newKey._unsafeUnwrapErr().message).toContain(request.idempotencyKey);
    expect(adapter.captureCalls).toHaveLength(4);

    expect((await client.resolve(request))._unsafeUnwrap().status).toBe('succeeded');
    // Settled: the same key replays from the journal, no call.
    expect((await client.capture(request))._unsafeUnwrap().status).toBe('succeeded');
    expect(adapter.captureCalls).toHaveLength(4);
  });

  // Found by the explorer (checkout, 1,000 runs): a webhook settled the intent while a
  // same-key retry was refused; the caller was told not_attempted and captured again.
  it('a capture settled meanwhile (webhook) is reported by its state, whatever the retry heard', async () => {
    const journal = memoryJournal();
    const adapter = scriptedProvider({
      captures: [unknownTimeout, { code: 'network_error', outcome: 'not_attempted' }],
    });
    const racing = {
      ...adapter,
      doCapture: async (req: Parameters<typeof adapter.doCapture>[0]) => {
        if (adapter.captureCalls.length === 1) {
          await journal.apply('t', req.idempotencyKey, {
            source: 'webhook',
            verdict: 'succeeded',
            at: Date.now(),
            captureId: 'cap-from-webhook',
          });
        }
        return adapter.doCapture(req);
      },
    };
    const client = createCaptureClient({ providers: { t: racing }, journal });
    expect((await client.capture(request))._unsafeUnwrapErr().outcome).toBe('unknown');
    const retry = await client.capture(request);
    expect(retry._unsafeUnwrap()).toMatchObject({
      status: 'succeeded',
      captureId: 'cap-from-webhook',
    });
  });

  it('dangerouslyIgnoreUnresolved sends a new key anyway', async () => {
    const adapter = scriptedProvider({ captures: [unknownTimeout, { status: 'succeeded' }] });
    const client = createCaptureClient({ providers: { t: adapter } });
    await client.capture(request);
    const forced = await client.capture({
      ...request,
      idempotencyKey: 'k2',
      dangerouslyIgnoreUnresolved: true,
    });
    expect(forced.isOk()).toBe(true);
  });

  it('Antom (multiple captures): a same-key retry during CAPTURE_IN_PROCESS is not "failed"', async () => {
    const f = await startAntomFixture({
      contract: { partialCapture: true, multipleCaptures: true },
    });
    try {
      const payment = await f.sim.authorize({ amount: 1_000n, currency: 'USD' });
      const antomRequest = {
        provider: 'antom',
        paymentId: payment.paymentId,
        amount: { currency: 'USD', value: 1_000n },
        idempotencyKey: `in-process-${payment.paymentId}`,
      };
      f.sim.injectFault({ kind: 'unknown_status', providerCode: 'CAPTURE_IN_PROCESS' });
      expect((await f.client.capture(antomRequest))._unsafeUnwrapErr().outcome).toBe('unknown');
      const retry = (await f.client.capture(antomRequest))._unsafeUnwrapErr();
      expect(retry.outcome).toBe('unknown');
      const other = await f.client.capture({ ...antomRequest, idempotencyKey: 'new-key' });
      expect(other._unsafeUnwrapErr().code).toBe('unresolved_capture');
      await f.sim.settle();
      const trace = await resolveUntilFinal(f.client, antomRequest, {
        settle: () => f.sim.settle(),
      });
      expect(trace.final).toBe(true);
      expect(trace.result._unsafeUnwrap().status).toBe('succeeded');
      const state = await f.sim.payment(payment.paymentId);
      expect(state.capturedTotal).toBe(1_000n);
    } finally {
      await f.close();
    }
  });

  it('Alipay+ v2: unknown, then a new key, never captures twice', async () => {
    const sim = await startAlipayV2Simulator({});
    const client = createCaptureClient({
      providers: { wallet: alipayV2({ ...sim.credentials, baseUrl: sim.baseUrl, timeoutMs: 300 }) },
    });
    try {
      const payment = await sim.authorize({ amount: 300n });
      const walletRequest = {
        provider: 'wallet',
        paymentId: payment.paymentId,
        amount: payment.amount,
        idempotencyKey: 'w-1',
      };
      sim.injectFault({ kind: 'timeout_after_commit' });
      expect((await client.capture(walletRequest))._unsafeUnwrapErr().outcome).toBe('unknown');
      const second = await client.capture({ ...walletRequest, idempotencyKey: 'w-2' });
      expect(second._unsafeUnwrapErr().code).toBe('unresolved_capture');
      const trace = await resolveUntilFinal(client, walletRequest, { settle: () => sim.settle() });
      expect(trace.result._unsafeUnwrap().status).toBe('succeeded');
      expect((await sim.payment(payment.paymentId)).capturedTotal).toBe(300n);
    } finally {
      await client.close();
      await sim.close();
    }
  });
});

describe('the in-flight window (review finding: a timeout is not proof of absence)', () => {
  it('"not found" right after a timeout proves nothing: capture_in_progress, and a new key stays refused', async () => {
    let now = 1_000_000;
    const adapter = scriptedProvider({
      captures: [unknownTimeout],
      resolves: [
        { code: 'capture_not_found', outcome: 'failed' },
        { code: 'capture_not_found', outcome: 'failed' },
      ],
    });
    const client = createCaptureClient({ providers: { t: adapter }, now: () => now });
    await client.capture(request);
    const early = await client.resolve(request);
    expect(early._unsafeUnwrapErr()).toMatchObject({
      code: 'capture_in_progress',
      outcome: 'unknown',
    });
    const other = await client.capture({ ...request, idempotencyKey: 'k-other' });
    expect(other._unsafeUnwrapErr().code).toBe('unresolved_capture');
    now += 1_000 + 5_000; // the adapter's deadline and the default grace have passed
    const late = await client.resolve(request);
    expect(late._unsafeUnwrapErr()).toMatchObject({ code: 'capture_not_found', outcome: 'failed' });
  });

  it('a webhook naming a key the journal does not hold settles nothing, whatever its amount', async () => {
    const adapter = scriptedProvider({ captures: [unknownTimeout] });
    const events = [
      {
        kind: 'scripted',
        id: 'evt-old',
        type: 'capture.failed' as const,
        paymentId: request.paymentId,
        idempotencyKey: 'evicted-key',
        amount: EUR(300n),
        occurredAt: '2026-01-01T00:00:00Z',
        raw: {},
      },
    ];
    const withWebhooks = {
      ...adapter,
      doParseWebhook: async () => ok(events[0] as (typeof events)[number]),
    };
    const client = createCaptureClient({ providers: { t: withWebhooks } });
    await client.capture(request);
    await client.parseWebhook('t', { method: 'POST', path: '/', headers: {}, rawBody: '{}' });
    expect((await client.intents())[0]?.state).toBe('unknown');
  });
});

describe('the journal decides before anything is sent', () => {
  it('the same key for another payment, amount or final is idempotency_conflict, not_attempted', async () => {
    const adapter = scriptedProvider({ captures: [{ status: 'succeeded' }] });
    const client = createCaptureClient({ providers: { t: adapter } });
    await client.capture(request);
    for (const change of [{ paymentId: 'pay_2' }, { amount: EUR(299n) }, { final: false }]) {
      const answer = await client.capture({ ...request, ...change });
      expect(answer._unsafeUnwrapErr(), Object.keys(change).join()).toMatchObject({
        code: 'idempotency_conflict',
        outcome: 'not_attempted',
      });
    }
    expect(adapter.captureCalls).toHaveLength(1);
  });

  it('a second call with the same key while the first is in flight sends nothing', async () => {
    let release: () => void = () => {};
    const adapter = scriptedProvider({ captures: [{ status: 'succeeded' }] });
    const slow = {
      ...adapter,
      doCapture: async (req: Parameters<typeof adapter.doCapture>[0]) => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return adapter.doCapture(req);
      },
    };
    const client = createCaptureClient({ providers: { t: slow } });
    const first = client.capture(request);
    await new Promise((resolve) => setImmediate(resolve));
    const second = await client.capture(request);
    expect(second._unsafeUnwrapErr()).toMatchObject({
      code: 'capture_in_progress',
      outcome: 'unknown',
    });
    release();
    expect((await first)._unsafeUnwrap().status).toBe('succeeded');
    expect(adapter.captureCalls).toHaveLength(1);
  });

  it('a journal that cannot be written: journal_unavailable, not_attempted, nothing sent', async () => {
    const adapter = scriptedProvider({});
    const broken = {
      ...memoryJournal(),
      name: 'broken',
      begin: async () => {
        throw new Error('connection refused');
      },
    };
    const client = createCaptureClient({ providers: { t: adapter }, journal: broken });
    const answer = await client.capture(request);
    expect(answer._unsafeUnwrapErr()).toMatchObject({
      code: 'journal_unavailable',
      outcome: 'not_attempted',
    });
    expect(answer._unsafeUnwrapErr().message).toContain('broken journal');
    expect(adapter.captureCalls).toHaveLength(0);
  });

  it('a refused first attempt frees the key: not_attempted and rate limits leave no intent', async () => {
    const adapter = scriptedProvider({
      captures: [
        { code: 'network_error', outcome: 'not_attempted' },
        { code: 'rate_limited', outcome: 'failed', httpStatus: 429 },
        { status: 'succeeded' },
      ],
    });
    const client = createCaptureClient({ providers: { t: adapter } });
    expect((await client.capture(request))._unsafeUnwrapErr().outcome).toBe('not_attempted');
    expect(await client.intents()).toEqual([]);
    expect((await client.capture(request))._unsafeUnwrapErr().code).toBe('rate_limited');
    expect((await client.capture(request))._unsafeUnwrap().status).toBe('succeeded');
  });
});

describe('memoryJournal is bounded', () => {
  it('keeps at most maxSettled settled intents and never drops an unresolved one', async () => {
    const journal = memoryJournal({ maxSettled: 50, maxOpen: 3 });
    const captures = Array.from({ length: 500 }, () => ({ status: 'succeeded' as const }));
    const adapter = scriptedProvider({
      captures: [...captures, unknownTimeout, unknownTimeout, unknownTimeout],
    });
    const client = createCaptureClient({ providers: { t: adapter }, journal });
    for (let i = 0; i < 500; i += 1) {
      await client.capture({ ...request, paymentId: `pay_${i}`, idempotencyKey: `k${i}` });
    }
    expect((await client.intents({ limit: 1_000 })).length).toBe(50);
    for (let i = 0; i < 3; i += 1) {
      await client.capture({ ...request, paymentId: `open_${i}`, idempotencyKey: `open${i}` });
    }
    const full = await client.capture({ ...request, paymentId: 'open_x', idempotencyKey: 'openx' });
    expect(full._unsafeUnwrapErr()).toMatchObject({
      code: 'journal_unavailable',
      outcome: 'not_attempted',
    });
    expect(full._unsafeUnwrapErr().message).toContain('maxOpen');
    expect((await client.intents({ state: 'unknown' })).length).toBe(3);
  });
});

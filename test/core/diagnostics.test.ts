import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import { err, ok } from 'neverthrow';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CAPTURE_CHANNEL,
  type CaptureDiagnostic,
  createCaptureClient,
} from '../../src/core/client.js';
import { type CaptureTrace, TRACING_CHANNELS, traced } from '../../src/core/diagnostics.js';
import { captureError } from '../../src/core/errors.js';
import type { CaptureProviderV1 } from '../../src/core/spec.js';
import { ALL_CAPABILITIES, SAMPLE_EVENT } from './core-fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Records every event of one operation's tracing channel, in order. */
function record(
  operation: keyof typeof TRACING_CHANNELS,
): { event: string; trace: CaptureTrace }[] {
  const seen: { event: string; trace: CaptureTrace }[] = [];
  const channel = tracingChannel<unknown, CaptureTrace>(TRACING_CHANNELS[operation]);
  const handlers = {
    start: (trace: CaptureTrace) => seen.push({ event: 'start', trace: { ...trace } }),
    end: (trace: CaptureTrace) => seen.push({ event: 'end', trace: { ...trace } }),
    asyncStart: (trace: CaptureTrace) => seen.push({ event: 'asyncStart', trace: { ...trace } }),
    asyncEnd: (trace: CaptureTrace) => seen.push({ event: 'asyncEnd', trace: { ...trace } }),
    error: (trace: CaptureTrace) => seen.push({ event: 'error', trace: { ...trace } }),
  };
  channel.subscribe(handlers);
  cleanups.push(() => channel.unsubscribe(handlers));
  return seen;
}

const adapter: CaptureProviderV1 = {
  specificationVersion: 'v1',
  kind: 'test',
  capabilities: () => ALL_CAPABILITIES,
  doCapture: async (request) =>
    ok({
      kind: 'test',
      status: 'succeeded',
      paymentId: request.paymentId,
      idempotencyKey: request.idempotencyKey,
      final: true,
      providerMetadata: {},
      raw: { secret: 'raw-body' },
    }),
  doResolve: async (request) =>
    err(
      captureError({
        code: 'rate_limited',
        outcome: 'unknown',
        kind: 'test',
        providerCode: 'TOO_MANY',
        idempotencyKey: request.idempotencyKey,
        retryAfterMs: 1500,
        message: 'slow down',
      }),
    ),
  doParseWebhook: async () => ok({ ...SAMPLE_EVENT, idempotencyKey: 'key-1' }),
  webhookAck: () => ({ status: 200, headers: {}, body: '' }),
};

describe('traced()', () => {
  it('is just run(undefined) while nobody subscribes: nothing described, nothing published', async () => {
    let described = false;
    const value = await traced(
      'capture',
      () => {
        described = true;
        return {};
      },
      async (trace) => trace,
    );
    expect(value).toBeUndefined();
    expect(described).toBe(false);
  });

  it('publishes start, end, asyncStart, asyncEnd on one message, filled in by settle', async () => {
    const seen = record('capture');
    const value = await traced(
      'capture',
      () => ({ provider: 'cko' }),
      async (trace) => {
        if (trace) trace.kind = 'checkout';
        return 42;
      },
      (answer, trace) => {
        trace.outcome = answer === 42 ? 'succeeded' : 'unknown';
      },
    );
    expect(value).toBe(42);
    expect(seen.map((s) => s.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(seen[0]?.trace).toEqual({ operation: 'capture', provider: 'cko' });
    expect(seen[3]?.trace).toEqual({
      operation: 'capture',
      provider: 'cko',
      kind: 'checkout',
      outcome: 'succeeded',
    });
  });

  it('keeps a store bound to start active through every await of the operation', async () => {
    const store = new AsyncLocalStorage<string>();
    const channel = tracingChannel<unknown, CaptureTrace>(TRACING_CHANNELS.resolve);
    channel.start.bindStore(store, (message) => `span-for-${(message as CaptureTrace).provider}`);
    cleanups.push(() => channel.start.unbindStore(store));
    const seenInside: (string | undefined)[] = [];
    await traced(
      'resolve',
      () => ({ provider: 'antom' }),
      async () => {
        seenInside.push(store.getStore());
        await new Promise((resolve) => setImmediate(resolve));
        seenInside.push(store.getStore());
        await new Promise((resolve) => setTimeout(resolve, 1));
        seenInside.push(store.getStore());
      },
    );
    expect(seenInside).toEqual(['span-for-antom', 'span-for-antom', 'span-for-antom']);
    expect(store.getStore()).toBeUndefined();
  });

  it('follows the tracing-channel convention for a rejection and a synchronous throw', async () => {
    const seen = record('reconcile');
    await expect(
      traced(
        'reconcile',
        () => ({}),
        async () => Promise.reject(new Error('boom')),
      ),
    ).rejects.toThrow('boom');
    expect(seen.map((s) => s.event)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    seen.length = 0;
    expect(() =>
      traced(
        'reconcile',
        () => ({}),
        () => {
          throw new Error('sync');
        },
      ),
    ).toThrow('sync');
    expect(seen.map((s) => s.event)).toEqual(['start', 'error', 'end']);
  });

  it('never lets describe or settle change the answer', async () => {
    record('capture');
    const value = await traced(
      'capture',
      () => {
        throw new Error('bad getter');
      },
      async () => 'answer',
      () => {
        throw new Error('bad settle');
      },
    );
    expect(value).toBe('answer');
  });
});

describe('client tracing', () => {
  it('traces a capture and a resolve with the fields of their answers, nothing more', async () => {
    const captures = record('capture');
    const resolves = record('resolve');
    const client = createCaptureClient({ providers: { mine: adapter } });
    await client.capture({
      provider: 'mine',
      paymentId: 'pay_1',
      idempotencyKey: 'key-1',
      reference: 'ORD-1',
      metadata: { coupon: 'X' },
    });
    // A second client (a fresh journal) has to ask the provider; the first answers from its journal.
    await createCaptureClient({ providers: { mine: adapter } }).resolve({
      provider: 'mine',
      paymentId: 'pay_1',
      idempotencyKey: 'key-1',
    });
    expect(captures.at(-1)?.trace).toEqual({
      operation: 'capture',
      provider: 'mine',
      kind: 'test',
      paymentId: 'pay_1',
      idempotencyKey: 'key-1',
      outcome: 'succeeded',
    });
    expect(resolves.at(-1)?.trace).toEqual({
      operation: 'resolve',
      provider: 'mine',
      kind: 'test',
      paymentId: 'pay_1',
      idempotencyKey: 'key-1',
      outcome: 'unknown',
      code: 'rate_limited',
      providerCode: 'TOO_MANY',
      retryAfterMs: 1500,
    });
  });

  it('reports the generated key of a capture sent without one', async () => {
    const captures = record('capture');
    const client = createCaptureClient({ providers: { mine: adapter } });
    const result = await client.capture({ provider: 'mine', paymentId: 'pay_1' });
    expect(captures.at(-1)?.trace.idempotencyKey).toBe(result._unsafeUnwrap().idempotencyKey);
  });
});

describe('CAPTURE_CHANNEL', () => {
  it('still gets one message per capture, and now one per acknowledged webhook event', async () => {
    const messages: CaptureDiagnostic[] = [];
    const listener = (message: unknown) => messages.push(message as CaptureDiagnostic);
    subscribe(CAPTURE_CHANNEL, listener);
    cleanups.push(() => unsubscribe(CAPTURE_CHANNEL, listener));
    const client = createCaptureClient({ providers: { mine: adapter } });
    await client.capture({ provider: 'mine', paymentId: 'pay_1', idempotencyKey: 'key-1' });
    const handler = client.fetchWebhookHandler('mine', () => {});
    const response = await handler(
      new Request('https://shop.example/hooks', { method: 'POST', body: '{}' }),
    );
    expect(response.status).toBe(200);
    expect(messages.map(({ durationMs: _d, ...rest }) => rest)).toEqual([
      {
        operation: 'capture',
        provider: 'mine',
        kind: 'test',
        paymentId: 'pay_1',
        idempotencyKey: 'key-1',
        result: 'succeeded',
      },
      {
        operation: 'webhook',
        provider: 'mine',
        kind: 'test',
        paymentId: 'pay_1',
        idempotencyKey: 'key-1',
        result: 'succeeded',
      },
    ]);
    expect(messages.every((m) => typeof m.durationMs === 'number' && m.durationMs >= 0)).toBe(true);
  });

  it('gets no webhook message for a delivery onEvent failed (the provider delivers again)', async () => {
    const messages: unknown[] = [];
    const listener = (message: unknown) => messages.push(message);
    subscribe(CAPTURE_CHANNEL, listener);
    cleanups.push(() => unsubscribe(CAPTURE_CHANNEL, listener));
    const client = createCaptureClient({ providers: { mine: adapter } });
    const handler = client.fetchWebhookHandler('mine', () => {
      throw new Error('db down');
    });
    const response = await handler(
      new Request('https://shop.example/hooks', { method: 'POST', body: '{}' }),
    );
    expect(response.status).toBe(500);
    expect(messages).toEqual([]);
  });
});

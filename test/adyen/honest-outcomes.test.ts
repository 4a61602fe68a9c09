import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CaptureClient, createCaptureClient } from '../../src/core/client.js';
import type { CaptureEvent } from '../../src/core/webhook-types.js';
import { adyen } from '../../src/providers/adyen/index.js';
import { type AdyenSimulator, startAdyenSimulator } from '../../src/testing/simulators/adyen.js';

// What the conformance rows that cannot hold for Adyen check instead (see conformance.test.ts):
// resolve() never invents a result, and the webhook alone settles a capture.

interface Env {
  sim: AdyenSimulator;
  client: CaptureClient;
  events: CaptureEvent[];
  server: Server;
  url: string;
}

async function start(options: { batch?: boolean; multi?: boolean } = {}): Promise<Env> {
  const events: CaptureEvent[] = [];
  const sim = await startAdyenSimulator({
    batchWebhooks: options.batch ?? false,
    multiplePartialCaptures: options.multi ?? true,
  });
  const adapter = adyen({
    ...sim.credentials,
    baseUrl: sim.baseUrl,
    timeoutMs: 300,
    multiplePartialCaptures: options.multi ?? true,
  });
  const client = createCaptureClient({ providers: { adyen: adapter }, inFlightGraceMs: 0 });
  const server = createServer(
    client.webhookHandler('adyen', async (event) => {
      events.push(event);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/adyen`;
  sim.setWebhookUrl(url);
  return { sim, client, events, server, url };
}

async function stop(env: Env): Promise<void> {
  await env.client.close();
  await env.sim.close();
  await new Promise<void>((resolve) => env.server.close(() => resolve()));
}

let env: Env;
let n = 0;
const key = () => {
  n += 1;
  return `adyen-honest-${Date.now()}-${n}`;
};

describe('Adyen: resolve() proves only what it can', () => {
  beforeAll(async () => {
    env = await start();
  });
  afterAll(() => stop(env));
  beforeEach(() => {
    env.events.length = 0;
  });

  const request = async (amount = 6540n) => {
    const payment = await env.sim.authorize({ amount, currency: 'EUR' });
    return {
      payment,
      capture: {
        provider: 'adyen',
        paymentId: payment.paymentId,
        amount: { currency: 'EUR', value: amount },
        idempotencyKey: key(),
        reference: 'ORD-1',
      },
    };
  };

  for (const fault of [
    { kind: 'timeout_before_commit' },
    { kind: 'server_error', status: 500 },
  ] as const) {
    it(`${fault.kind}: Err(unknown); resolve() re-sends with the same key → Ok(pending), never capture_not_found; the webhook settles it; one capture`, async () => {
      const { payment, capture } = await request();
      env.sim.injectFault(fault);
      const first = await env.client.capture(capture);
      expect(first.isErr() && first.error.outcome).toBe('unknown');
      const resolved = await env.client.resolve(capture);
      expect(resolved.isOk() && resolved.value.status).toBe('pending');
      const captureId = resolved.isOk() ? resolved.value.captureId : undefined;
      expect(captureId).toMatch(/^[A-Z0-9]{16}$/);
      await env.sim.settle();
      const settled = await env.client.resolve(capture);
      expect(settled.isOk() && settled.value.status).toBe('succeeded');
      const state = await env.sim.payment(payment.paymentId);
      expect(state.captures.map((c) => [c.idempotencyKey, c.amount, c.captureId])).toEqual([
        [capture.idempotencyKey, 6540n, captureId],
      ]);
    });
  }

  it('webhook_missing: the capture is booked, but resolve() stays Ok(pending): nothing else can prove it', async () => {
    const { payment, capture } = await request();
    env.sim.injectFault({ kind: 'webhook_missing' });
    expect((await env.client.capture(capture)).isOk()).toBe(true);
    await env.sim.settle();
    for (let i = 0; i < 3; i += 1) {
      const answer = await env.client.resolve(capture);
      expect(answer.isOk() && answer.value.status).toBe('pending');
    }
    expect((await env.sim.payment(payment.paymentId)).captures[0]?.status).toBe('succeeded');
    expect(env.events).toEqual([]);
  });

  it('webhook_bad_signature: 401 to every attempt, no event, the capture stays pending', async () => {
    const { capture } = await request();
    env.sim.injectFault({ kind: 'webhook_bad_signature' });
    expect((await env.client.capture(capture)).isOk()).toBe(true);
    await env.sim.settle();
    const attempts = env.sim.webhookDeliveries.filter((d) => !d.signed);
    expect(attempts.map((d) => d.status)).toEqual([401, 401, 401]);
    expect(env.events).toEqual([]);
    const answer = await env.client.resolve(capture);
    expect(answer.isOk() && answer.value.status).toBe('pending');
  });

  it('over-capture: Ok(pending), then the CAPTURE webhook (success false) → Err(amount_exceeds_authorized, failed); a failed key is never re-sent', async () => {
    const { payment, capture } = await request(1000n);
    const over = { ...capture, amount: { currency: 'EUR', value: 2000n } };
    expect((await env.client.capture(over)).isOk()).toBe(true);
    await env.sim.settle();
    expect(env.events.map((e) => [e.type, e.providerCode, e.code])).toEqual([
      ['capture.failed', 'Insufficient balance on payment', 'amount_exceeds_authorized'],
    ]);
    const sent = env.sim.requests.length;
    const answer = await env.client.resolve(over);
    expect(answer.isErr() && [answer.error.code, answer.error.outcome]).toEqual([
      'amount_exceeds_authorized',
      'failed',
    ]);
    expect(env.sim.requests.length).toBe(sent);
    expect((await env.sim.payment(payment.paymentId)).captures).toEqual([]);
  });

  it('a synchronous refusal (401) is failed, and resolve() does not re-send it', async () => {
    const payment = await env.sim.authorize({ amount: 500n, currency: 'EUR' });
    const wrong = createCaptureClient({
      providers: {
        adyen: adyen({ ...env.sim.credentials, apiKey: 'AQEwrong', baseUrl: env.sim.baseUrl }),
      },
    });
    const capture = {
      provider: 'adyen',
      paymentId: payment.paymentId,
      amount: { currency: 'EUR', value: 500n },
      idempotencyKey: key(),
    };
    const answer = await wrong.capture(capture);
    expect(answer.isErr() && [answer.error.code, answer.error.outcome]).toEqual([
      'authentication_failed',
      'failed',
    ]);
    const sent = env.sim.requests.length;
    const resolved = await wrong.resolve(capture);
    expect(resolved.isErr() && resolved.error.outcome).toBe('failed');
    expect(env.sim.requests.length).toBe(sent);
    await wrong.close();
  });

  it('without a journal record, resolve() re-sends with the caller’s amount: the same capture, same pspReference', async () => {
    const { payment, capture } = await request();
    const first = await env.client.capture(capture);
    const fresh = createCaptureClient({
      providers: { adyen: adyen({ ...env.sim.credentials, baseUrl: env.sim.baseUrl }) },
    });
    const resolved = await fresh.resolve(capture);
    expect(resolved.isOk() && resolved.value.captureId).toBe(
      first.isOk() ? first.value.captureId : 'x',
    );
    const { amount: _amount, ...withoutAmount } = capture;
    const noAmount = await fresh.resolve({ ...withoutAmount, idempotencyKey: key() });
    expect(noAmount.isErr() && [noAmount.error.code, noAmount.error.outcome]).toEqual([
      'invalid_request',
      'unknown',
    ]);
    expect((await env.sim.payment(payment.paymentId)).captures).toHaveLength(1);
    await env.sim.settle();
    await fresh.close();
  });

  it('CAPTURE then CAPTURE_FAILED: both reach onEvent (two dedupe keys); the journal keeps succeeded', async () => {
    const { capture } = await request();
    env.sim.declineNextCapture('Rejected by scheme', 'CAPTURE_FAILED');
    expect((await env.client.capture(capture)).isOk()).toBe(true);
    await env.sim.settle();
    const mine = env.events.filter((e) => e.paymentId === capture.paymentId);
    expect(mine.map((e) => [e.type, e.providerCode ?? null])).toEqual([
      ['capture.succeeded', null],
      ['capture.failed', 'CAPTURE_FAILED'],
    ]);
    expect(new Set(mine.map((e) => e.id)).size).toBe(2);
    const [intent] = await env.client.intents({ provider: 'adyen', paymentId: capture.paymentId });
    expect(intent?.state).toBe('succeeded');
  });
});

describe('Adyen: batched deliveries', () => {
  beforeAll(async () => {
    env = await start({ batch: true });
  });
  afterAll(() => stop(env));

  it('every capture item reaches onEvent, the delivery is acknowledged once with [accepted], a redelivery calls onEvent for none', async () => {
    const payments = await Promise.all(
      [1000n, 2000n, 3000n].map((amount) => env.sim.authorize({ amount, currency: 'EUR' })),
    );
    for (const payment of payments) {
      const answer = await env.client.capture({
        provider: 'adyen',
        paymentId: payment.paymentId,
        amount: payment.amount,
        idempotencyKey: key(),
      });
      expect(answer.isOk()).toBe(true);
    }
    env.sim.injectFault({ kind: 'webhook_duplicate' });
    const extra = await env.sim.authorize({ amount: 4000n, currency: 'EUR' });
    await env.client.capture({
      provider: 'adyen',
      paymentId: extra.paymentId,
      amount: extra.amount,
      idempotencyKey: key(),
    });
    await env.sim.settle();
    const deliveries = env.sim.webhookDeliveries;
    expect(deliveries.map((d) => [d.items.length, d.status, d.accepted])).toEqual([
      [4, 200, true],
      [4, 200, true],
    ]);
    expect(env.events.map((e) => e.paymentId)).toEqual(
      [...payments, extra].map((p) => p.paymentId),
    );
    const intents = await env.client.intents({ provider: 'adyen' });
    expect(intents.map((i) => i.state)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
  });

  it('one badly signed item refuses the whole batch: 401, no event at all', async () => {
    const a = await env.sim.authorize({ amount: 1000n, currency: 'EUR' });
    const b = await env.sim.authorize({ amount: 1000n, currency: 'EUR' });
    env.events.length = 0;
    await env.client.capture({
      provider: 'adyen',
      paymentId: a.paymentId,
      amount: a.amount,
      idempotencyKey: key(),
    });
    env.sim.injectFault({ kind: 'webhook_bad_signature' });
    await env.client.capture({
      provider: 'adyen',
      paymentId: b.paymentId,
      amount: b.amount,
      idempotencyKey: key(),
    });
    await env.sim.settle();
    expect(env.sim.webhookDeliveries.slice(-3).map((d) => [d.items.length, d.status])).toEqual([
      [2, 401],
      [2, 401],
      [2, 401],
    ]);
    expect(env.events).toEqual([]);
  });
});

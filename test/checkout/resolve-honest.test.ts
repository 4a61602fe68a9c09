import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderResolveRequest } from '../../src/core/spec.js';
import { checkout } from '../../src/providers/checkout/index.js';
import { type CheckoutFixture, SANDBOX_KEY, startCheckoutFixture } from './checkout-fixture.js';

// resolve() answers about the capture, never about the inquiry (DESIGN §0, §3).

/** The metadata key the adapter reserves for the idempotency key. */
const KEY_FIELD = 'capture_kit_idempotency_key';

interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** Answers `GET /payments/{id}/actions` and `GET /payments/{id}` separately. */
async function startRoutes() {
  const state: { actions: Reply; payment: Reply } = {
    actions: { status: 200, body: [] },
    payment: { status: 200, body: { id: 'pay_x', status: 'Authorized', currency: 'EUR' } },
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const reply = req.url?.endsWith('/actions') ? state.actions : state.payment;
      const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...reply.headers,
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const capture = (extra: Record<string, unknown>) => ({
  id: 'act_1',
  type: 'Capture',
  processed_on: '2026-01-01T00:00:00Z',
  amount: 1000,
  approved: true,
  response_code: '10000',
  response_summary: 'Approved',
  ...extra,
});

describe('checkout resolve(): a failed inquiry is unknown, never a verdict', () => {
  let routes: Awaited<ReturnType<typeof startRoutes>>;
  let adapter: ReturnType<typeof checkout>;
  beforeAll(async () => {
    routes = await startRoutes();
    adapter = checkout({ secretKey: SANDBOX_KEY, baseUrl: routes.url, timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await adapter.close?.();
    await routes.close();
  });
  afterEach(() => {
    routes.state.actions = { status: 200, body: [] };
    routes.state.payment = {
      status: 200,
      body: { id: 'pay_x', status: 'Authorized', currency: 'EUR' },
    };
  });
  const resolve = (extra: Partial<ProviderResolveRequest> = {}) =>
    adapter.doResolve({ paymentId: 'pay_x', idempotencyKey: 'k', ...extra });

  it.each([
    [401, 'authentication_failed'],
    [403, 'access_denied'],
    [500, 'provider_error'],
  ] as const)(
    'HTTP %i on the actions list: Err(%s, unknown) with the status',
    async (status, code) => {
      routes.state.actions = { status };
      const error = (await resolve())._unsafeUnwrapErr();
      expect(error).toMatchObject({ code, outcome: 'unknown', httpStatus: status });
      expect(error.message).toMatch(/state is still unknown/);
    },
  );

  it('429 keeps rate_limited and the Retry-After as retryAfterMs', async () => {
    routes.state.actions = { status: 429, headers: { 'retry-after': '7' } };
    const error = (await resolve())._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'rate_limited',
      outcome: 'unknown',
      httpStatus: 429,
      retryAfterMs: 7_000,
      retryable: true,
    });
    expect(error.message).not.toMatch(/nothing was captured/);
  });

  it('an inquiry that could not connect is unknown, not not_attempted', async () => {
    const closed = await startRoutes();
    const { url } = closed;
    await closed.close();
    const offline = checkout({ secretKey: SANDBOX_KEY, baseUrl: url, timeoutMs: 2_000 });
    const error = (
      await offline.doResolve({ paymentId: 'pay_x', idempotencyKey: 'k' })
    )._unsafeUnwrapErr();
    await offline.close?.();
    expect(error).toMatchObject({ code: 'network_error', outcome: 'unknown' });
  });

  it('nothing listed, but the payment could not be read: unknown, not capture_not_found', async () => {
    routes.state.payment = { status: 503 };
    expect((await resolve())._unsafeUnwrapErr()).toMatchObject({ outcome: 'unknown' });
  });

  it('nothing listed while the payment is Capture Pending: unknown (capture_in_progress)', async () => {
    routes.state.payment = {
      status: 200,
      body: { id: 'pay_x', status: 'Capture Pending', currency: 'EUR' },
    };
    expect((await resolve())._unsafeUnwrapErr()).toMatchObject({
      code: 'capture_in_progress',
      outcome: 'unknown',
    });
  });

  it('nothing listed on an Authorized payment: capture_not_found (failed, retryable)', async () => {
    expect((await resolve())._unsafeUnwrapErr()).toMatchObject({
      code: 'capture_not_found',
      outcome: 'failed',
      retryable: true,
    });
  });

  it('a capture whose amount cannot be read is unknown, not succeeded', async () => {
    routes.state.actions = {
      status: 200,
      body: [capture({ amount: 12.5, metadata: { [KEY_FIELD]: 'k' } })],
    };
    expect((await resolve())._unsafeUnwrapErr()).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
    });
  });

  it('the key in metadata is a match: succeeded, whatever the reference', async () => {
    routes.state.actions = {
      status: 200,
      body: [capture({ reference: 'ORD-1', metadata: { [KEY_FIELD]: 'k' } })],
    };
    expect((await resolve())._unsafeUnwrap()).toMatchObject({
      status: 'succeeded',
      captureId: 'act_1',
      amount: { currency: 'EUR', value: 1000n },
    });
  });

  it('a shared reference alone proves nothing: without the amount it is unknown', async () => {
    routes.state.actions = { status: 200, body: [capture({ reference: 'ORD-1' })] };
    const error = (await resolve({ reference: 'ORD-1' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ outcome: 'unknown' });
    expect(error.message).toMatch(/amount/);
  });

  it('a reference plus the amount proves it; another amount is another capture', async () => {
    routes.state.actions = { status: 200, body: [capture({ reference: 'ORD-1' })] };
    const amount = { currency: 'EUR', value: 1000n };
    expect((await resolve({ reference: 'ORD-1', amount }))._unsafeUnwrap()).toMatchObject({
      status: 'succeeded',
      captureId: 'act_1',
    });
    const other = { currency: 'EUR', value: 2000n };
    expect((await resolve({ reference: 'ORD-1', amount: other }))._unsafeUnwrapErr()).toMatchObject(
      { code: 'capture_not_found', outcome: 'failed' },
    );
  });

  it('several captures with the reference and the amount: ambiguous, unknown', async () => {
    routes.state.actions = {
      status: 200,
      body: [
        capture({ id: 'act_2', reference: 'ORD-1' }),
        capture({ id: 'act_1', reference: 'ORD-1' }),
      ],
    };
    const error = (
      await resolve({ reference: 'ORD-1', amount: { currency: 'EUR', value: 1000n } })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ outcome: 'unknown' });
    expect(error.message).toMatch(/2 captures/);
  });

  it('a capture carrying another key is never this one, even with the same reference', async () => {
    routes.state.actions = {
      status: 200,
      body: [capture({ reference: 'ORD-1', metadata: { [KEY_FIELD]: 'other' } })],
    };
    routes.state.payment = {
      status: 200,
      body: { id: 'pay_x', status: 'Partially Captured', currency: 'EUR' },
    };
    expect(
      (
        await resolve({ reference: 'ORD-1', amount: { currency: 'EUR', value: 1000n } })
      )._unsafeUnwrapErr(),
    ).toMatchObject({ code: 'capture_not_found', outcome: 'failed' });
  });
});

describe('checkout resolve() against the simulator: the capture, not a look-alike', () => {
  let fx: CheckoutFixture;
  beforeAll(async () => {
    fx = await startCheckoutFixture();
  });
  afterAll(() => fx.close());

  it('a capture never sent is not "succeeded" because another one shares its reference', async () => {
    const { paymentId } = await fx.sim.authorize({
      amount: 6540n,
      currency: 'EUR',
      cardBrand: 'visa',
    });
    const first = await fx.client.capture({
      provider: 'cko',
      paymentId,
      idempotencyKey: 'order-1-capture-1',
      reference: 'ORD-1',
      amount: { currency: 'EUR', value: 1000n },
      final: false,
      context: { cardBrand: 'visa' },
    });
    expect(first._unsafeUnwrap().status).toBe('pending');
    const never = await fx.client.resolve({
      provider: 'cko',
      paymentId,
      idempotencyKey: 'order-1-capture-2',
      reference: 'ORD-1',
    });
    expect(never._unsafeUnwrapErr()).toMatchObject({
      code: 'capture_not_found',
      outcome: 'failed',
    });
  });

  it('finds a capture by its key even when resolve() is not given its reference', async () => {
    const { paymentId } = await fx.sim.authorize({ amount: 6540n, currency: 'EUR' });
    fx.sim.injectFault({ kind: 'reset_after_commit' });
    // No webhook: it would settle the capture before resolve() is asked.
    fx.sim.injectFault({ kind: 'webhook_missing' });
    const lost = await fx.client.capture({
      provider: 'cko',
      paymentId,
      idempotencyKey: 'order-2-capture-1',
      reference: 'ORD-2',
    });
    expect(lost._unsafeUnwrapErr().outcome).toBe('unknown');
    const found = await fx.client.resolve({
      provider: 'cko',
      paymentId,
      idempotencyKey: 'order-2-capture-1',
    });
    expect(found._unsafeUnwrap()).toMatchObject({
      status: 'succeeded',
      amount: { currency: 'EUR', value: 6540n },
    });
  });
});

describe('checkout resolve() while a capture is still Capture Pending', () => {
  let fx: CheckoutFixture;
  beforeAll(async () => {
    fx = await startCheckoutFixture({ processingDelayMs: 1_500 });
  });
  afterAll(() => fx.close());

  it('never says capture_not_found / failed for a capture that is processing', async () => {
    const { paymentId } = await fx.sim.authorize({ amount: 6540n, currency: 'EUR' });
    const accepted = await fx.client.capture({
      provider: 'cko',
      paymentId,
      idempotencyKey: 'pending-1',
    });
    expect(accepted._unsafeUnwrap().status).toBe('pending');
    // Asked without the action id (a caller that only kept its key): the capture is not
    // listed yet, and the payment says Capture Pending.
    const early = await fx.client.resolve({
      provider: 'cko',
      paymentId,
      idempotencyKey: 'pending-1',
    });
    const verdict = early.isOk() ? early.value.status : early.error.outcome;
    expect(['pending', 'unknown']).toContain(verdict);
    await fx.sim.settle();
    const late = await fx.client.resolve({
      provider: 'cko',
      paymentId,
      idempotencyKey: 'pending-1',
    });
    expect(late._unsafeUnwrap().status).toBe('succeeded');
  });
});

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTransport,
  transportFailureToCaptureError,
} from '../../src/provider-kit/transport.js';

// A request that waits in the pool (every connection busy) has not been sent: the deadline
// and the caller's signal must end it while it waits, and the failure must say `not_sent`.
// The server holds the first request until the test releases it, so the second one can only
// ever reach the server once the first is answered; nothing here depends on speed.

interface HoldingServer {
  readonly url: string;
  /** Paths of the requests the server read, in order. */
  readonly received: string[];
  /** Resolves when the server has read `count` requests. */
  receivedCount(count: number): Promise<void>;
  /** Answers every held request. */
  release(): void;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function holdingServer(): Promise<HoldingServer> {
  const held: ServerResponse[] = [];
  const received: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let released = false;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      received.push(req.url ?? '');
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
      if (released) res.end('ok');
      else held.push(res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const state: HoldingServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    receivedCount: (count) =>
      received.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    release() {
      released = true;
      for (const res of held.splice(0)) res.end('ok');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  cleanups.push(() => state.close());
  return state;
}

/** Settles `pending` and records whether that happened before the server was released. */
function settledBeforeRelease<T>(pending: Promise<T>, server: HoldingServer) {
  const order: string[] = [];
  void pending.then(() => order.push('settled'));
  // A fail-safe only: it keeps a broken transport from hanging the test. The order below is
  // what the test checks, and a 200 ms deadline always fires before a 5 s timer.
  const guard = setTimeout(() => {
    order.push('released');
    server.release();
  }, 5_000);
  return pending.then((value) => {
    clearTimeout(guard);
    return { value, first: order[0] };
  });
}

const post = (path: string, extra: { timeoutMs?: number; signal?: AbortSignal } = {}) => ({
  method: 'POST' as const,
  path,
  headers: { 'content-type': 'application/json' },
  body: '{"amount":1}',
  ...extra,
});

describe('createTransport: a request waiting for a pooled connection', () => {
  it('times out from dispatch, not from a free connection, and says it was never sent', async () => {
    const server = await holdingServer();
    const t = createTransport({ baseUrl: server.url, connections: 1, timeoutMs: 60_000 });
    cleanups.push(() => t.close());
    const first = t.send(post('/first'));
    await server.receivedCount(1);

    const { value, first: order } = await settledBeforeRelease(
      t.send(post('/queued', { timeoutMs: 200 })),
      server,
    );
    expect(order, 'the queued request ended while the first still held the connection').toBe(
      'settled',
    );
    const failure = value._unsafeUnwrapErr();
    expect(failure).toMatchObject({ stage: 'not_sent', reason: 'timeout' });
    expect(failure.message).toMatch(/200 ms/);
    expect(failure.message).toMatch(/never sent/);
    expect(
      transportFailureToCaptureError(failure, { kind: 't', operation: 'capture' }),
    ).toMatchObject({ code: 'timeout', outcome: 'not_attempted', retryable: true });

    server.release();
    expect((await first)._unsafeUnwrap().status).toBe(200);
    // A later request goes out after the abandoned one would have: the abandoned one never did.
    expect((await t.send(post('/later')))._unsafeUnwrap().status).toBe(200);
    expect(server.received).toEqual(['/first', '/later']);
  });

  it('ends on the caller signal while waiting, as not_sent / aborted', async () => {
    const server = await holdingServer();
    const t = createTransport({ baseUrl: server.url, connections: 1, timeoutMs: 60_000 });
    cleanups.push(() => t.close());
    const first = t.send(post('/first'));
    await server.receivedCount(1);

    const controller = new AbortController();
    const queued = t.send(post('/queued', { signal: controller.signal }));
    setImmediate(() => controller.abort(new Error('shutting down')));
    const { value, first: order } = await settledBeforeRelease(queued, server);
    expect(order).toBe('settled');
    const failure = value._unsafeUnwrapErr();
    expect(failure).toMatchObject({ stage: 'not_sent', reason: 'aborted' });
    expect(
      transportFailureToCaptureError(failure, { kind: 't', operation: 'capture' }).outcome,
    ).toBe('not_attempted');

    server.release();
    await first;
    expect((await t.send(post('/later')))._unsafeUnwrap().status).toBe(200);
    expect(server.received).toEqual(['/first', '/later']);
  });

  it('a request that was written and then timed out is still sent / unknown', async () => {
    const server = await holdingServer();
    const t = createTransport({ baseUrl: server.url, connections: 1, timeoutMs: 200 });
    cleanups.push(() => t.close());
    const failure = (await t.send(post('/held')))._unsafeUnwrapErr();
    expect(server.received).toEqual(['/held']);
    expect(failure).toMatchObject({ stage: 'sent', reason: 'timeout' });
    expect(
      transportFailureToCaptureError(failure, { kind: 't', operation: 'capture' }).outcome,
    ).toBe('unknown');
  });
});

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatchRequest } from '../../src/core/dispatch-request.js';
import { exchangeStop } from '../../src/provider-kit/exchange-stop.js';
import { createTransport } from '../../src/provider-kit/transport.js';

// exchangeStop(request) must keep a `signal` set on a capture request as a plain value: an
// adapter that wraps another and hands it `{ ...request, signal: itsOwn }` (a hedging or
// budget wrapper, or a caller invoking doCapture itself) must still be able to stop the
// inner exchange, as when adapters passed `request.signal` (before the deadline was data).
// The server answers at once, so nothing waits on a timer.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function answeringServer(): Promise<{ url: string; received: () => number }> {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    count += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => count,
  };
}

const wire = { paymentId: 'pay_1', final: true, idempotencyKey: 'k1' } as const;

describe('exchangeStop() and a signal set on a capture request', () => {
  it("keeps a wrapping adapter's own, already aborted signal: nothing is sent", async () => {
    const server = await answeringServer();
    const transport = createTransport({ baseUrl: server.url });
    cleanups.push(() => transport.close());
    const { request, done } = dispatchRequest(wire, performance.now() + 60_000);
    const mine = new AbortController();
    mine.abort();
    // What an adapter wrapping another one hands the inner adapter.
    const inner = { ...request, signal: mine.signal };
    const sent = await transport.send({
      method: 'POST',
      path: '/captures',
      headers: {},
      body: '{}',
      ...exchangeStop(inner),
    });
    done();
    expect(server.received()).toBe(0);
    expect(sent.isErr() && sent.error).toMatchObject({ stage: 'not_sent', reason: 'aborted' });
  });
});

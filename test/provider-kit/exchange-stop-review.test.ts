import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatchRequest } from '../../src/core/dispatch-request.js';
import { exchangeStop } from '../../src/provider-kit/exchange-stop.js';
import { createTransport } from '../../src/provider-kit/transport.js';

// Review of session 4: exchangeStop(request) returns only `deadline` whenever the request has
// one, so a `signal` set on the request as a plain value is dropped. Before session 4 every
// adapter passed `request.signal` to the transport, so an adapter that wraps another and hands
// it `{ ...request, signal: itsOwn }` (a hedging or budget wrapper, or a caller invoking
// doCapture itself with both fields) could stop the inner exchange; now that abort is ignored
// and the request goes out. The server answers at once, so nothing waits on a timer.

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

describe('exchangeStop() and a signal set on a capture request (review)', () => {
  it("keeps a wrapping adapter's own, already aborted signal: nothing is sent", async () => {
    const server = await answeringServer();
    const transport = createTransport({ baseUrl: server.url });
    cleanups.push(() => transport.close());
    const { request, done } = dispatchRequest(wire, 60_000);
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

import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { exchangeStop } from '../../src/provider-kit/exchange-stop.js';
import { createTransport } from '../../src/provider-kit/transport.js';

// A capture's dispatch deadline reaches the transport as data (`deadline.at`, a
// performance.now() time) rather than an AbortSignal: the transport must end the request by
// then, honor the caller's signal carried in it, and never start a request once it passed.
// The server answers only when told to (or never), so nothing here depends on speed.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function silentServer(): Promise<{ url: string; received: () => number }> {
  const held: ServerResponse[] = [];
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    count += 1;
    held.push(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => count,
  };
}

describe('transport: a capture deadline', () => {
  it('ends a sent request at deadline.at even when timeoutMs is longer', async () => {
    const server = await silentServer();
    const transport = createTransport({ baseUrl: server.url, timeoutMs: 60_000 });
    cleanups.push(() => transport.close());
    const sent = await transport.send({
      method: 'POST',
      path: '/captures',
      headers: {},
      body: '{}',
      deadline: { at: performance.now() + 50 },
    });
    const failure = sent._unsafeUnwrapErr();
    expect(failure).toMatchObject({ stage: 'sent', reason: 'timeout' });
    expect(failure.message).toMatch(/No complete answer within \d+ ms/);
  });

  it('never starts a request whose deadline already passed (not_sent)', async () => {
    const server = await silentServer();
    const transport = createTransport({ baseUrl: server.url });
    cleanups.push(() => transport.close());
    const sent = await transport.send({
      method: 'POST',
      path: '/captures',
      headers: {},
      body: '{}',
      deadline: { at: performance.now() - 1 },
    });
    expect(sent._unsafeUnwrapErr()).toMatchObject({ stage: 'not_sent', reason: 'timeout' });
    expect(sent._unsafeUnwrapErr().message).toMatch(/dispatch deadline .* never sent/);
    expect(server.received()).toBe(0);
  });

  it("aborts on the caller's signal carried in the deadline", async () => {
    const server = await silentServer();
    const transport = createTransport({ baseUrl: server.url });
    cleanups.push(() => transport.close());
    const controller = new AbortController();
    const pending = transport.send({
      method: 'POST',
      path: '/captures',
      headers: {},
      body: '{}',
      deadline: { at: performance.now() + 60_000, signal: controller.signal },
    });
    while (server.received() === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ stage: 'sent', reason: 'aborted' });
  });

  it("refuses to send when the deadline's signal is already aborted", async () => {
    const server = await silentServer();
    const transport = createTransport({ baseUrl: server.url });
    cleanups.push(() => transport.close());
    const sent = await transport.send({
      method: 'POST',
      path: '/captures',
      headers: {},
      deadline: { at: performance.now() + 60_000, signal: AbortSignal.abort() },
    });
    expect(sent._unsafeUnwrapErr()).toMatchObject({ stage: 'not_sent', reason: 'aborted' });
    expect(server.received()).toBe(0);
  });
});

describe('exchangeStop()', () => {
  it("passes a capture's deadline without reading its signal", () => {
    let read = false;
    const deadline = { at: 1 };
    const request = {
      deadline,
      get signal() {
        read = true;
        return new AbortController().signal;
      },
    };
    expect(exchangeStop(request)).toEqual({ deadline });
    expect(read).toBe(false);
  });

  it('passes a resolve request signal, and nothing when there is none', () => {
    const signal = new AbortController().signal;
    expect(exchangeStop({ signal })).toEqual({ signal });
    expect(exchangeStop({})).toEqual({});
  });
});

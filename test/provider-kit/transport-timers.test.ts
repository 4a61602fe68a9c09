import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTransport } from '../../src/provider-kit/transport.js';

// The whole-request deadline must not outlive the call: a timer left armed per request
// (as AbortSignal.timeout() does) piles up at high throughput until each one fires.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function server(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s: Server = createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  });
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('transport deadline timers', () => {
  it('leaves no timer behind after answered requests', async () => {
    const url = await server((_req, res) => res.end('{"ok":true}'));
    const t = createTransport({ baseUrl: url, timeoutMs: 60_000 });
    closers.push(() => t.close());
    await t.send({ method: 'GET', path: '/', headers: {} });
    const before = timers();
    for (let i = 0; i < 20; i++) {
      expect((await t.send({ method: 'GET', path: '/', headers: {} })).isOk()).toBe(true);
    }
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('leaves no timer behind after a caller abort, and detaches from the caller signal', async () => {
    const url = await server(() => {});
    const t = createTransport({ baseUrl: url, timeoutMs: 60_000 });
    closers.push(() => t.close());
    const before = timers();
    const controller = new AbortController();
    const pending = t.send({ method: 'GET', path: '/', headers: {}, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ stage: 'sent', reason: 'aborted' });
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('a long-lived caller signal does not collect listeners across requests', async () => {
    const url = await server((_req, res) => res.end('ok'));
    const t = createTransport({ baseUrl: url });
    closers.push(() => t.close());
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof add;
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    }) as typeof remove;
    for (let i = 0; i < 5; i++) {
      await t.send({ method: 'GET', path: '/', headers: {}, signal: controller.signal });
    }
    expect(added).toBe(5);
    expect(removed).toBe(5);
  });

  it('still reads a chunked body with no content-length, and refuses one over the limit', async () => {
    const url = await server((_req, res) => {
      res.write('a'.repeat(600));
      res.end('b'.repeat(600));
    });
    const t = createTransport({ baseUrl: url, maxResponseBytes: 2_000 });
    closers.push(() => t.close());
    const body = (await t.send({ method: 'GET', path: '/', headers: {} }))._unsafeUnwrap().body;
    expect(body.toString()).toBe(`${'a'.repeat(600)}${'b'.repeat(600)}`);
    const small = createTransport({ baseUrl: url, maxResponseBytes: 1_000 });
    closers.push(() => small.close());
    expect(
      (await small.send({ method: 'GET', path: '/', headers: {} }))._unsafeUnwrapErr(),
    ).toMatchObject({
      stage: 'sent',
      reason: 'response_too_large',
    });
  });
});

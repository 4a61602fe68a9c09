import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import { createTransport } from '../../src/provider-kit/transport.js';
import { alipayV2 } from '../../src/providers/alipay-v2/index.js';
import { checkout } from '../../src/providers/checkout/index.js';
import { classifyProviderRequest } from '../../src/testing/classify-provider-request.js';
import { type FaultProxy, startFaultProxy } from '../../src/testing/fault-proxy.js';
import { startAlipayV2Simulator } from '../../src/testing/simulators/alipay-v2.js';
import { startCheckoutSimulator } from '../../src/testing/simulators/checkout.js';

/** A loopback target that records exactly what reached it and answers fixed bytes. */
interface Target {
  readonly url: string;
  readonly received: {
    method: string;
    path: string;
    headers: IncomingHttpHeaders;
    raw: string[];
    body: Buffer;
  }[];
  close(): Promise<void>;
}

const ANSWER = Buffer.from('{"b":2,  "a":"é\\u00e9"}\n', 'utf8');

async function startTarget(prefix = ''): Promise<Target> {
  const received: Target['received'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        raw: req.rawHeaders,
        body: Buffer.concat(chunks),
      });
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Signature': 'abc=def' });
      res.end(ANSWER);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** Pass-through calls get a deadline no busy machine reaches; timeout tests ask for a short one. */
async function setup(prefix = '', timeoutMs = 10_000) {
  const target = await startTarget(prefix);
  const proxy = await startFaultProxy({ target: target.url });
  const transport = createTransport({ baseUrl: proxy.baseUrl, timeoutMs });
  cleanups.push(
    () => target.close(),
    () => proxy.close(),
    () => transport.close(),
  );
  return { target, proxy, transport };
}

const CAPTURE_PATH = '/ams/api/v1/payments/capture';
const INQUIRY_PATH = '/ams/api/v1/payments/inquiryPayment';
const BODY = '{"captureRequestId":"k-1","paymentId":"p 1","note":"ü\\n"}';

describe('classifyProviderRequest', () => {
  it.each([
    ['POST', '/ams/api/v1/payments/capture', 'capture'],
    ['POST', '/ams/sandbox/api/v1/payments/capture', 'capture'],
    ['POST', '/ams/api/v1/payments/inquiryPayment', 'inquiry'],
    ['POST', '/acl/api/v2/payments/capture', 'capture'],
    ['POST', '/api/v2/payments/inquiryPayment', 'inquiry'],
    ['POST', '/api/v2/payments/cancel', 'other'],
    ['POST', '/payments/pay_abc/captures', 'capture'],
    ['GET', '/payments/pay_abc/actions', 'inquiry'],
    ['GET', '/payments/pay_abc', 'inquiry'],
    ['GET', '/payments/pay_abc?x=1', 'inquiry'],
    ['POST', '/payments/pay_abc/voids', 'other'],
    ['GET', '/health', 'other'],
  ] as const)('%s %s is %s', (method, path, expected) => {
    expect(classifyProviderRequest({ method, path })).toBe(expected);
  });
});

describe('startFaultProxy', () => {
  it('closes cleanly with a request held: no server, socket or timer is left behind', async () => {
    // First in its describe block, so no earlier test's handles are still closing.
    for (let i = 0; i < 5; i++) await nextLoopTurn();
    const before = resourceCounts();
    const target = await startTarget();
    const proxy: FaultProxy = await startFaultProxy({ target: target.url });
    const pool = new Pool(proxy.url);
    proxy.inject({ on: 'any', kind: 'timeout_after_forward' });
    const held = pool.request({ method: 'POST', path: CAPTURE_PATH, body: BODY }).then(
      () => 'answered',
      () => 'broken',
    );
    while (proxy.exchanges[0]?.upstreamStatus === undefined) await nextLoopTurn();
    await proxy.refuseConnections();
    await proxy.close();
    expect(await held).toBe('broken');
    await pool.close();
    // Let libuv report the closed handles as gone. The target still runs: only its
    // listening socket may be left, so a proxy socket kept alive to it would show here.
    for (let i = 0; i < 5; i++) await nextLoopTurn();
    const allowed: Record<string, number> = {
      ...before,
      TCPServerWrap: (before.TCPServerWrap ?? 0) + 1,
    };
    const extra = Object.entries(resourceCounts()).filter(
      ([kind, count]) => count > (allowed[kind] ?? 0),
    );
    expect(extra).toEqual([]);
    await target.close();
  });

  it('refuses a target that is not a loopback http: URL, naming the option', async () => {
    await expect(startFaultProxy({ target: 'https://api.checkout.com' })).rejects.toThrow(
      /startFaultProxy\(\{ target \}\) must be a loopback http: URL/,
    );
    await expect(startFaultProxy({ target: 'http://10.0.0.1:80' })).rejects.toThrow(/loopback/);
    await expect(startFaultProxy({ target: 'not a url' })).rejects.toThrow(/target/);
  });

  it('passes request and answer through byte for byte, path prefix and query included', async () => {
    const { target, proxy, transport } = await setup('/acl/api');
    expect(proxy.baseUrl).toBe(`${proxy.url}/acl/api`);
    const sent = await transport.send({
      method: 'POST',
      path: `${transport.basePath}/v2/payments/capture?a=1&b=%2F`,
      headers: {
        'content-type': 'application/json; charset=UTF-8',
        signature: 'algorithm=RSA256, signature=a%2Bb',
      },
      body: BODY,
    });
    expect(sent.isOk()).toBe(true);
    const response = sent._unsafeUnwrap();
    expect(response.status).toBe(201);
    expect(response.body.equals(ANSWER)).toBe(true);
    expect(response.headers['x-signature']).toBe('abc=def');
    // Every answer closes its connection, so a refusal later really refuses.
    expect(response.headers.connection).toBe('close');
    const got = target.received[0];
    expect(got?.path).toBe('/acl/api/v2/payments/capture?a=1&b=%2F');
    expect(got?.body.toString('utf8')).toBe(BODY);
    expect(got?.headers.signature).toBe('algorithm=RSA256, signature=a%2Bb');
    expect(got?.headers['content-length']).toBe(String(Buffer.byteLength(BODY)));
    expect(proxy.exchanges[0]).toMatchObject({
      requestClass: 'capture',
      forwarded: true,
      state: 'answered',
    });
  });

  it('keeps a GET without a body free of a content-length', async () => {
    const { target, transport } = await setup();
    const sent = await transport.send({
      method: 'GET',
      path: '/payments/pay_1/actions',
      headers: {},
    });
    expect(sent._unsafeUnwrap().status).toBe(201);
    expect(target.received[0]?.headers['content-length']).toBeUndefined();
  });

  it('refused connections are never sent: the transport says not_sent and nothing is forwarded', async () => {
    const { target, proxy, transport } = await setup();
    const first = await transport.send({
      method: 'POST',
      path: CAPTURE_PATH,
      headers: {},
      body: BODY,
    });
    expect(first.isOk()).toBe(true);
    const refused = await proxy.whileRefusing(() =>
      transport.send({ method: 'POST', path: CAPTURE_PATH, headers: {}, body: BODY }),
    );
    expect(refused.isErr() && refused.error).toMatchObject({
      stage: 'not_sent',
      reason: 'connection_refused',
    });
    expect(target.received).toHaveLength(1);
    expect(proxy.exchanges).toHaveLength(1);
    // And it listens again, on the same port.
    const again = await transport.send({
      method: 'POST',
      path: CAPTURE_PATH,
      headers: {},
      body: BODY,
    });
    expect(again.isOk()).toBe(true);
    expect(target.received).toHaveLength(2);
  });

  it('timeout_after_forward: the target gets the request, the client never gets an answer', async () => {
    const { target, proxy, transport } = await setup('', 150);
    proxy.inject({ on: 'capture', kind: 'timeout_after_forward' });
    const sent = await transport.send({
      method: 'POST',
      path: CAPTURE_PATH,
      headers: {},
      body: BODY,
    });
    expect(sent.isErr() && sent.error).toMatchObject({ stage: 'sent', reason: 'timeout' });
    expect(target.received).toHaveLength(1);
    expect(target.received[0]?.body.toString('utf8')).toBe(BODY);
    expect(proxy.exchanges[0]).toMatchObject({
      fault: 'timeout_after_forward',
      forwarded: true,
      upstreamStatus: 201,
    });
  });

  it('timeout_before_forward: nothing reaches the target and the client times out', async () => {
    const { target, proxy, transport } = await setup('', 150);
    proxy.inject({ on: 'capture', kind: 'timeout_before_forward' });
    const sent = await transport.send({
      method: 'POST',
      path: CAPTURE_PATH,
      headers: {},
      body: BODY,
    });
    expect(sent.isErr() && sent.error).toMatchObject({ stage: 'sent', reason: 'timeout' });
    expect(target.received).toHaveLength(0);
    expect(proxy.exchanges[0]).toMatchObject({ fault: 'timeout_before_forward', forwarded: false });
  });

  it('reset_after_forward: the target gets the request, the client sees a reset', async () => {
    const { target, proxy, transport } = await setup();
    proxy.inject({ on: 'capture', kind: 'reset_after_forward' });
    const sent = await transport.send({
      method: 'POST',
      path: CAPTURE_PATH,
      headers: {},
      body: BODY,
    });
    expect(sent.isErr() && sent.error).toMatchObject({ stage: 'sent', reason: 'reset' });
    expect(target.received).toHaveLength(1);
    expect(proxy.exchanges[0]).toMatchObject({ state: 'reset', forwarded: true });
  });

  it.each([401, 403, 429, 500, 502, 503] as const)(
    'status %i is answered without forwarding',
    async (status) => {
      const { target, proxy, transport } = await setup();
      proxy.inject({ on: 'inquiry', kind: 'status', status });
      const sent = await transport.send({
        method: 'POST',
        path: INQUIRY_PATH,
        headers: {},
        body: BODY,
      });
      const response = sent._unsafeUnwrap();
      expect(response.status).toBe(status);
      expect(response.headers['retry-after']).toBe(status === 429 ? '1' : undefined);
      expect(target.received).toHaveLength(0);
    },
  );

  it('applies a fault only to its class and path, as many times as asked', async () => {
    const { target, proxy, transport } = await setup();
    proxy.inject({ on: 'inquiry', kind: 'status', status: 429, retryAfter: '7', times: 2 });
    proxy.inject({ on: 'inquiry', path: /\/actions$/, kind: 'status', status: 401 });
    const capture = await transport.send({
      method: 'POST',
      path: CAPTURE_PATH,
      headers: {},
      body: BODY,
    });
    expect(capture._unsafeUnwrap().status).toBe(201);
    const statuses: number[] = [];
    for (const path of [
      INQUIRY_PATH,
      '/payments/p/actions',
      '/payments/p/actions',
      '/payments/p',
    ]) {
      const sent = await transport.send({
        method: path === INQUIRY_PATH ? 'POST' : 'GET',
        path,
        headers: {},
      });
      statuses.push(sent._unsafeUnwrap().status);
    }
    expect(statuses).toEqual([429, 429, 401, 201]);
    expect(target.received.map((r) => r.path)).toEqual([CAPTURE_PATH, '/payments/p']);
    expect(proxy.queuedFaults).toBe(0);
  });

  it('lets beforeForward act before the target sees the request, with the exact body', async () => {
    const target = await startTarget();
    const seen: string[] = [];
    const proxy = await startFaultProxy({
      target: target.url,
      classify: ({ path }) => (path === '/custom/capture' ? 'capture' : undefined),
      beforeForward: async ({ requestClass, body }) => {
        await nextLoopTurn();
        seen.push(`${requestClass}:${body.toString('utf8')}:${target.received.length}`);
      },
    });
    const transport = createTransport({ baseUrl: proxy.baseUrl, timeoutMs: 150 });
    cleanups.push(
      () => target.close(),
      () => proxy.close(),
      () => transport.close(),
    );
    await transport.send({ method: 'POST', path: '/custom/capture', headers: {}, body: 'x' });
    proxy.inject({ on: 'capture', kind: 'status', status: 500 });
    await transport.send({ method: 'POST', path: '/custom/capture', headers: {}, body: 'y' });
    expect(seen).toEqual(['capture:x:0']);
  });

  it('whenIdle() waits for a request the client gave up on until the target has it', async () => {
    const target = await startTarget();
    let release: () => void = () => {};
    const gate = new Promise<void>((open) => {
      release = open;
    });
    const proxy = await startFaultProxy({
      target: target.url,
      classify: () => 'capture',
      // The request is still on its way to the target (a busy machine) until released.
      beforeForward: () => gate,
    });
    const transport = createTransport({ baseUrl: proxy.baseUrl, timeoutMs: 50 });
    cleanups.push(
      () => target.close(),
      () => proxy.close(),
      () => transport.close(),
    );
    const sent = await transport.send({ method: 'POST', path: '/c', headers: {}, body: 'z' });
    expect(sent.isErr(), 'the client timed out').toBe(true);
    let idle = false;
    const waiting = proxy.whenIdle().then(() => {
      idle = true;
    });
    await nextLoopTurn();
    expect(idle, 'idle while the request has not reached the target').toBe(false);
    release();
    await waiting;
    expect(target.received.map((r) => r.body.toString('utf8'))).toEqual(['z']);
    await proxy.whenIdle();
  });
});

describe('adapters through the proxy', () => {
  it('Alipay+ v2 (path prefix, signed both ways) captures through it', async () => {
    const sim = await startAlipayV2Simulator({ prefix: '/acl/api' });
    const proxy = await startFaultProxy({ target: sim.baseUrl });
    const client = createCaptureClient({
      providers: { wallet: alipayV2({ ...sim.credentials, baseUrl: proxy.baseUrl }) },
    });
    cleanups.push(
      () => sim.close(),
      () => proxy.close(),
      () => client.close(),
    );
    const payment = await sim.authorize({ amount: 900n, currency: 'USD' });
    const result = await client.capture({
      provider: 'wallet',
      paymentId: payment.paymentId,
      amount: { currency: 'USD', value: 300n },
      final: false,
      idempotencyKey: 'proxy-k1',
    });
    expect(result.isOk()).toBe(true);
    expect((await sim.payment(payment.paymentId)).capturedTotal).toBe(300n);
    expect(proxy.exchanges.map((e) => e.requestClass)).toEqual(['capture']);
  });

  it('Checkout.com: a capture that timed out after forwarding is unknown, and held by the simulator', async () => {
    const sim = await startCheckoutSimulator();
    const proxy = await startFaultProxy({ target: sim.baseUrl });
    // A short deadline for the capture that times out; a patient client for the inquiry.
    const client = createCaptureClient({
      providers: { cko: checkout({ ...sim.credentials, baseUrl: proxy.baseUrl, timeoutMs: 150 }) },
    });
    const patient = createCaptureClient({
      providers: { cko: checkout({ ...sim.credentials, baseUrl: proxy.baseUrl }) },
    });
    cleanups.push(
      () => sim.close(),
      () => proxy.close(),
      () => client.close(),
      () => patient.close(),
    );
    const payment = await sim.authorize({ amount: 900n, currency: 'EUR', cardBrand: 'visa' });
    proxy.inject({ on: 'capture', kind: 'timeout_after_forward' });
    const result = await client.capture({
      provider: 'cko',
      paymentId: payment.paymentId,
      idempotencyKey: 'proxy-k2',
    });
    expect(result.isErr() && result.error.outcome).toBe('unknown');
    expect((await sim.payment(payment.paymentId)).capturedTotal).toBe(900n);
    const resolved = await patient.resolve({
      provider: 'cko',
      paymentId: payment.paymentId,
      idempotencyKey: 'proxy-k2',
    });
    expect(resolved.isOk() && resolved.value.status).toBe('succeeded');
  });
});

/** Timers, servers and sockets the process holds open, by kind. */
function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'Timeout' || kind.startsWith('TCP')) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

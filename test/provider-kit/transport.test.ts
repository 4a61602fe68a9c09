import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createTransport,
  parseBaseUrl,
  type Transport,
  type TransportOptions,
  transportFailureToCaptureError,
} from '../../src/provider-kit/transport.js';

interface TestServer {
  readonly url: string;
  readonly port: number;
  /** TCP connections the server accepted. */
  connections: number;
  /** Bodies of the requests the server read completely. */
  readonly received: Buffer[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  // Every server, socket and pool this file opened is closed again.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'))).toEqual([]);
});

afterEach(async () => {
  // Transports first (they hold sockets to the servers), then servers.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(handler: Handler): Promise<TestServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      state.received.push(body);
      handler(req, res, body);
    });
  });
  server.on('connection', () => {
    state.connections++;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const state: TestServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: 0,
    received: [],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  cleanups.push(() => state.close());
  return state;
}

function transport(options: TransportOptions): Transport {
  const t = createTransport(options);
  cleanups.push(() => t.close());
  return t;
}

const post = (body: Buffer | string = '{}', signal?: AbortSignal) => ({
  method: 'POST' as const,
  path: '/capture',
  headers: { 'content-type': 'application/json' },
  body,
  ...(signal ? { signal } : {}),
});

describe('createTransport: sending and receiving', () => {
  it('sends and receives the exact bytes, non-ASCII included', async () => {
    const server = await startServer((_req, res, body) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'X-Echo': 'yes' });
      res.end(body);
    });
    const bytes = Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      Buffer.from('{"name":"Zoë €5 — 支付"}', 'utf8'),
    ]);
    const t = transport({ baseUrl: server.url });
    const result = await t.send(post(bytes));
    const response = result._unsafeUnwrap();
    expect(response.status).toBe(200);
    expect(response.headers['x-echo']).toBe('yes');
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.isBuffer(response.body)).toBe(true);
    expect(response.body.equals(bytes)).toBe(true);
    expect(server.received[0]?.equals(bytes)).toBe(true);
  });

  it('sends a string body as UTF-8', async () => {
    const server = await startServer((_req, res, body) => res.end(body));
    const t = transport({ baseUrl: server.url });
    const response = (await t.send(post('{"v":"€"}')))._unsafeUnwrap();
    expect(response.body.equals(Buffer.from('{"v":"€"}', 'utf8'))).toBe(true);
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const t = transport({ baseUrl: server.url });
    for (let i = 0; i < 3; i++) {
      expect((await t.send(post()))._unsafeUnwrap().body.toString()).toBe('ok');
    }
    expect(server.connections).toBe(1);
  });

  it('works through an injected undici dispatcher and leaves it open on close', async () => {
    const server = await startServer((req, res) => res.end(req.url));
    const agent = new Agent({ keepAliveTimeout: 1_000 });
    cleanups.push(() => agent.close());
    const t = createTransport({ baseUrl: `${server.url}/prefix/`, dispatcher: agent });
    expect(t.origin).toBe(server.url);
    expect(t.basePath).toBe('/prefix');
    const response = (
      await t.send({ method: 'GET', path: '/prefix/x?y=1', headers: {} })
    )._unsafeUnwrap();
    expect(response.body.toString()).toBe('/prefix/x?y=1');
    await t.close();
    const again = await agent.request({ origin: server.url, path: '/after', method: 'GET' });
    expect(await again.body.text()).toBe('/after');
  });
});

describe('createTransport: failures say whether anything was sent', () => {
  it('times out after the body was sent: stage sent → outcome unknown, code timeout', async () => {
    const server = await startServer(() => {
      // Read the whole request, never answer.
    });
    const t = transport({ baseUrl: server.url, timeoutMs: 300 });
    const started = performance.now();
    const failure = (await t.send(post('{"amount":1}')))._unsafeUnwrapErr();
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(server.received.map(String)).toEqual(['{"amount":1}']);
    expect(failure).toMatchObject({ stage: 'sent', reason: 'timeout' });
    expect(failure.message).toMatch(/300 ms/);
    const error = transportFailureToCaptureError(failure, { kind: 'test', operation: 'capture' });
    expect(error).toMatchObject({
      outcome: 'unknown',
      code: 'timeout',
      retryable: true,
      kind: 'test',
    });
    expect(error.message).toMatch(/SAME idempotency key/);
  });

  it('times out while the body is still streaming', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    const t = transport({ baseUrl: server.url, timeoutMs: 300 });
    const failure = (await t.send(post()))._unsafeUnwrapErr();
    expect(failure).toMatchObject({ stage: 'sent', reason: 'timeout' });
  });

  it('honours a per-request timeout', async () => {
    const server = await startServer(() => {});
    const t = transport({ baseUrl: server.url, timeoutMs: 10_000 });
    const failure = (await t.send({ ...post(), timeoutMs: 200 }))._unsafeUnwrapErr();
    expect(failure).toMatchObject({ stage: 'sent', reason: 'timeout' });
    expect(failure.message).toMatch(/200 ms/);
  });

  it('connection refused: stage not_sent → outcome not_attempted', async () => {
    const server = await startServer(() => {});
    const { url } = server;
    await server.close();
    const t = transport({ baseUrl: url, timeoutMs: 2_000 });
    const failure = (await t.send(post()))._unsafeUnwrapErr();
    expect(failure).toMatchObject({ stage: 'not_sent', reason: 'connection_refused' });
    const error = transportFailureToCaptureError(failure, { kind: 'test', operation: 'capture' });
    expect(error).toMatchObject({
      outcome: 'not_attempted',
      code: 'network_error',
      retryable: true,
    });
    expect(error.message).toMatch(/baseUrl/);
  });

  it('connection reset after the request was received: stage sent, reason reset', async () => {
    const server = await startServer((req) => req.socket.destroy());
    const t = transport({ baseUrl: server.url });
    const failure = (await t.send(post('{"x":1}')))._unsafeUnwrapErr();
    expect(server.received.map(String)).toEqual(['{"x":1}']);
    expect(failure).toMatchObject({ stage: 'sent', reason: 'reset' });
    const error = transportFailureToCaptureError(failure, { kind: 'test', operation: 'capture' });
    expect(error).toMatchObject({ outcome: 'unknown', code: 'network_error' });
  });

  it('connection reset in the middle of the response body: stage sent', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"half":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const t = transport({ baseUrl: server.url });
    const failure = (await t.send(post()))._unsafeUnwrapErr();
    expect(failure.stage).toBe('sent');
    expect(failure.reason).toBe('reset');
  });

  it('refuses a body larger than maxResponseBytes declared by content-length', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '2000' });
      res.end(Buffer.alloc(2000, 0x61));
    });
    const t = transport({ baseUrl: server.url, maxResponseBytes: 1000 });
    const failure = (await t.send(post()))._unsafeUnwrapErr();
    expect(failure).toMatchObject({ stage: 'sent', reason: 'response_too_large' });
    expect(failure.message).toMatch(/maxResponseBytes \(1000\)/);
    const error = transportFailureToCaptureError(failure, { kind: 'test', operation: 'capture' });
    expect(error).toMatchObject({ outcome: 'unknown', code: 'provider_error' });
  });

  it('refuses a chunked body that grows past maxResponseBytes', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(100, 0x62));
      res.end();
    });
    const t = transport({ baseUrl: server.url, maxResponseBytes: 1000 });
    const failure = (await t.send(post()))._unsafeUnwrapErr();
    expect(failure).toMatchObject({ stage: 'sent', reason: 'response_too_large' });
  });

  it('drops an oversize body once: no listener pile-up however many chunks follow', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // Each write is its own HTTP chunk, i.e. its own 'data' event at the client; those
      // already buffered keep arriving after the transport gave up on the body.
      for (let i = 0; i < 50; i++) res.write(Buffer.alloc(100, 0x62));
      res.end();
    });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const t = transport({ baseUrl: server.url, maxResponseBytes: 10 });
      const failure = (await t.send(post()))._unsafeUnwrapErr();
      expect(failure).toMatchObject({ stage: 'sent', reason: 'response_too_large' });
      // Chunks undici had already buffered are delivered over the next loop turns; the
      // warning (if any) follows them. Turns, not a timer: nothing here depends on speed.
      for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('accepts a body of exactly maxResponseBytes', async () => {
    const server = await startServer((_req, res) => res.end(Buffer.alloc(1000, 0x63)));
    const t = transport({ baseUrl: server.url, maxResponseBytes: 1000 });
    expect((await t.send(post()))._unsafeUnwrap().body.length).toBe(1000);
  });

  it('an already-aborted signal: not_sent, and nothing reaches the server', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const t = transport({ baseUrl: server.url });
    const controller = new AbortController();
    controller.abort();
    const failure = (await t.send(post('{}', controller.signal)))._unsafeUnwrapErr();
    expect(failure).toMatchObject({ stage: 'not_sent', reason: 'aborted' });
    expect(server.connections).toBe(0);
    const error = transportFailureToCaptureError(failure, { kind: 'test', operation: 'capture' });
    expect(error.outcome).toBe('not_attempted');
  });

  it.each([
    ['without a reason', undefined],
    ['with a reason', new Error('shutting down')],
  ])('an abort mid-flight %s: stage sent, reason aborted', async (_name, reason) => {
    const controller = new AbortController();
    const server = await startServer(() => controller.abort(reason));
    const t = transport({ baseUrl: server.url });
    const failure = (await t.send(post('{}', controller.signal)))._unsafeUnwrapErr();
    expect(server.received).toHaveLength(1);
    expect(failure).toMatchObject({ stage: 'sent', reason: 'aborted' });
    const error = transportFailureToCaptureError(failure, { kind: 'test', operation: 'capture' });
    expect(error.outcome).toBe('unknown');
  });

  it('a resolve that times out advises resolving again', async () => {
    const server = await startServer(() => {});
    const t = transport({ baseUrl: server.url, timeoutMs: 200 });
    const failure = (await t.send(post()))._unsafeUnwrapErr();
    const error = transportFailureToCaptureError(failure, { kind: 'test', operation: 'resolve' });
    expect(error).toMatchObject({ outcome: 'unknown', code: 'timeout' });
    expect(error.message).toMatch(/Call resolve\(\) again/);
  });
});

describe('createTransport: construction errors name the setting', () => {
  it.each([
    [{ baseUrl: 'not a url' }, /^baseUrl is not a valid URL/],
    [{ baseUrl: '' }, /^baseUrl must be an http\(s\) URL/],
    [{ baseUrl: 'ftp://example.com' }, /^baseUrl must use https:.*ftp:/],
    [{ baseUrl: 'https://user:pw@example.com' }, /^baseUrl must not contain credentials/],
    [{ baseUrl: 'https://example.com/?a=1' }, /^baseUrl must not have a query string/],
    [{ baseUrl: 'https://example.com/#x' }, /^baseUrl must not have a query string or fragment/],
    [{ baseUrl: 'ftp://x', settingName: 'checkout({ baseUrl })' }, /^checkout\(\{ baseUrl \}\)/],
    [{ baseUrl: 'https://example.com', timeoutMs: 0 }, /timeoutMs must be a positive/],
    [{ baseUrl: 'https://example.com', timeoutMs: -5 }, /timeoutMs must be a positive/],
    [{ baseUrl: 'https://example.com', timeoutMs: 1.5 }, /timeoutMs must be a positive/],
    [{ baseUrl: 'https://example.com', timeoutMs: Number.NaN }, /timeoutMs must be a positive/],
    [
      { baseUrl: 'https://example.com', connectTimeoutMs: 0 },
      /connectTimeoutMs must be a positive/,
    ],
    [
      { baseUrl: 'https://example.com', maxResponseBytes: 0 },
      /maxResponseBytes must be a positive/,
    ],
    [
      { baseUrl: 'https://example.com', maxResponseBytes: Number.NaN },
      /maxResponseBytes must be a positive/,
    ],
    [{ baseUrl: 'https://example.com', connections: 0 }, /connections must be a positive/],
  ] as const)('%o', (options, message) => {
    expect(() => createTransport(options as TransportOptions)).toThrow(TypeError);
    expect(() => createTransport(options as TransportOptions)).toThrow(message);
  });

  it('never echoes credentials from a bad URL', () => {
    expect(() => parseBaseUrl('https://user:s3cr3t-pass@example.com')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cr3t') }),
    );
  });

  it('splits origin and base path', async () => {
    const t = createTransport({ baseUrl: 'https://wallet.example/acl/api/' });
    expect(t.origin).toBe('https://wallet.example');
    expect(t.basePath).toBe('/acl/api');
    await t.close();
  });
});

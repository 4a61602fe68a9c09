import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { err, ok, type Result } from 'neverthrow';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { WebhookError } from '../../src/core/errors.js';
import {
  type CaptureEvent,
  createWebhookHandler,
  type WebhookAck,
  type WebhookHandlerOptions,
  type WebhookHandlerParts,
  type WebhookRequest,
} from '../../src/core/webhooks.js';
import { SAMPLE_EVENT } from './core-fixtures.js';

const EVENT = SAMPLE_EVENT;
const ACK: WebhookAck = {
  status: 200,
  headers: { 'content-type': 'application/json', 'x-ack': 'fixed' },
  body: '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}',
};

interface Harness {
  readonly url: string;
  /** Every request `parse` was called with. */
  readonly parsed: WebhookRequest[];
  readonly events: CaptureEvent[];
  readonly errors: unknown[];
  /** Errors that escaped the handler into the server (must stay empty). */
  readonly escaped: unknown[];
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const servers: Server[] = [];

afterAll(async () => {
  // Every server, socket and pool this file opened is closed again.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'))).toEqual([]);
});

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

type ParseResult = Result<CaptureEvent, WebhookError>;

async function start(
  parse: (request: WebhookRequest) => ParseResult | Promise<ParseResult>,
  overrides: Partial<Omit<WebhookHandlerParts, 'parse'>> & {
    readonly options?: WebhookHandlerOptions;
  } = {},
): Promise<Harness> {
  const parsed: WebhookRequest[] = [];
  const events: CaptureEvent[] = [];
  const errors: unknown[] = [];
  const escaped: unknown[] = [];
  const handler = createWebhookHandler({
    parse: async (request) => {
      parsed.push(request);
      return parse(request);
    },
    ack: overrides.ack ?? (() => ACK),
    onEvent:
      overrides.onEvent ??
      ((event) => {
        events.push(event);
      }),
    options: {
      onError: (error) => errors.push(error),
      ...overrides.options,
    },
  });
  const server = createServer((req, res) => {
    try {
      handler(req, res);
    } catch (error) {
      escaped.push(error);
      res.destroy();
    }
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, parsed, events, errors, escaped };
}

/**
 * One request over a fresh connection. `chunks` are written one by one so a body can be
 * sent without content-length (chunked).
 */
function send(
  url: string,
  options: {
    readonly method?: string;
    readonly path?: string;
    readonly headers?: Record<string, string>;
    readonly body?: Buffer | string;
    readonly chunks?: readonly Buffer[];
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${options.path ?? '/hooks/test'}`,
      { method: options.method ?? 'POST', headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body ?? '{}');
    }
  });
}

const unverified: WebhookError = {
  code: 'signature_invalid',
  message: 'bad signature',
  verified: false,
};

describe('createWebhookHandler', () => {
  it('answers 405 to anything but POST and never parses', async () => {
    const h = await start(() => ok(EVENT));
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const reply = await send(h.url, { method, body: method === 'GET' ? '' : 'x' });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe('POST');
    }
    expect(h.parsed).toEqual([]);
    expect(h.events).toEqual([]);
  });

  it('answers 413 to a body declared too large by content-length, unread and unparsed', async () => {
    const h = await start(() => ok(EVENT), { options: { maxBodyBytes: 100 } });
    const reply = await send(h.url, { body: Buffer.alloc(101, 0x61) });
    expect(reply.status).toBe(413);
    expect(h.parsed).toEqual([]);
    expect(h.events).toEqual([]);
    expect(h.errors).toEqual([
      expect.objectContaining({ code: 'body_too_large', verified: false }),
    ]);
  });

  it('answers 413 to a chunked body that grows too large, and never parses', async () => {
    const h = await start(() => ok(EVENT), { options: { maxBodyBytes: 1000 } });
    const reply = await send(h.url, {
      chunks: Array.from({ length: 30 }, () => Buffer.alloc(100, 0x62)),
    });
    expect(reply.status).toBe(413);
    expect(h.parsed).toEqual([]);
    expect(h.errors).toEqual([expect.objectContaining({ code: 'body_too_large' })]);
  });

  it('answers 413 to a large body without breaking the connection under the client', async () => {
    const h = await start(() => ok(EVENT), { options: { maxBodyBytes: 1024 } });
    const big = Buffer.alloc(4 * 1024 * 1024, 0x63);
    for (let i = 0; i < 5; i++) {
      expect((await send(h.url, { body: big })).status).toBe(413);
      expect((await send(h.url, { chunks: [big.subarray(0, 2 * 1024 * 1024), big] })).status).toBe(
        413,
      );
    }
    expect(h.parsed).toEqual([]);
  });

  it('accepts a body of exactly maxBodyBytes', async () => {
    const h = await start(() => ok(EVENT), { options: { maxBodyBytes: 100 } });
    expect((await send(h.url, { body: Buffer.alloc(100, 0x61) })).status).toBe(200);
    expect(h.parsed[0]?.rawBody.length).toBe(100);
  });

  it('hands parse the exact bytes, method, path and lower-case headers', async () => {
    const h = await start(() => ok(EVENT));
    const body = Buffer.concat([Buffer.from('{"n":"Zoë €"}', 'utf8'), Buffer.from([0xff, 0x00])]);
    await send(h.url, {
      path: '/hooks/test?x=1',
      headers: { 'Request-Time': '2024-01-01T00:00:00Z', 'X-Sig': 'abc' },
      body,
    });
    expect(h.parsed).toHaveLength(1);
    const request = h.parsed[0] as WebhookRequest;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks/test?x=1');
    expect(request.headers['request-time']).toBe('2024-01-01T00:00:00Z');
    expect(request.headers['x-sig']).toBe('abc');
    expect(Buffer.isBuffer(request.rawBody)).toBe(true);
    expect((request.rawBody as Buffer).equals(body)).toBe(true);
  });

  it('answers 401 to an unverified delivery, tells onError, and never calls onEvent', async () => {
    const h = await start(() => err(unverified));
    const reply = await send(h.url);
    expect(reply.status).toBe(401);
    expect(reply.body).toBe('');
    expect(h.events).toEqual([]);
    expect(h.errors).toEqual([unverified]);
  });

  it('answers 401 to an unverified event_ignored too', async () => {
    const h = await start(() => err({ code: 'event_ignored', message: 'x', verified: false }));
    expect((await send(h.url)).status).toBe(401);
    expect(h.events).toEqual([]);
  });

  it('acknowledges a verified event_ignored with the provider ack, without onEvent', async () => {
    const h = await start(() =>
      err({
        code: 'event_ignored',
        message: 'not a capture',
        verified: true,
        eventType: 'payment_approved',
      }),
    );
    const reply = await send(h.url);
    expect(reply.status).toBe(ACK.status);
    expect(reply.body).toBe(ACK.body);
    expect(reply.headers['x-ack']).toBe('fixed');
    expect(h.events).toEqual([]);
    expect(h.errors).toEqual([]);
  });

  it.each([
    ['invalid_payload', 400],
    ['unsupported', 404],
  ] as const)('answers a verified %s with %i', async (code, status) => {
    const h = await start(() => err({ code, message: 'x', verified: true }));
    expect((await send(h.url)).status).toBe(status);
    expect(h.errors).toEqual([expect.objectContaining({ code })]);
  });

  it('awaits onEvent, then answers exactly the ack', async () => {
    const handled: string[] = [];
    const h = await start(() => ok(EVENT), {
      onEvent: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        handled.push(event.id);
      },
    });
    const reply = await send(h.url);
    expect(handled).toEqual(['evt_1']);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(ACK.body);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.headers['x-ack']).toBe('fixed');
    expect(reply.headers['content-length']).toBe(String(Buffer.byteLength(ACK.body)));
  });

  it('answers a non-200 ack and an empty ack body as given', async () => {
    const h = await start(() => ok(EVENT), {
      ack: () => ({ status: 202, headers: {}, body: '' }),
    });
    const reply = await send(h.url);
    expect(reply.status).toBe(202);
    expect(reply.body).toBe('');
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('db down');
      },
    ],
    ['rejects', async () => Promise.reject(new Error('db down'))],
  ])(
    'answers 500 when onEvent %s, so the provider retries, and tells onError',
    async (_n, onEvent) => {
      const h = await start(() => ok(EVENT), { onEvent });
      const reply = await send(h.url);
      expect(reply.status).toBe(500);
      expect(reply.body).not.toBe(ACK.body);
      expect(h.errors).toEqual([
        { code: 'handler_failed', cause: expect.objectContaining({ message: 'db down' }) },
      ]);
    },
  );

  it('keeps answering when onError itself throws', async () => {
    const onError = () => {
      throw new Error('logger broke');
    };
    const bad = await start(() => err(unverified), { options: { onError } });
    expect((await send(bad.url)).status).toBe(401);
    const failing = await start(() => ok(EVENT), {
      onEvent: () => {
        throw new Error('db down');
      },
      options: { onError },
    });
    expect((await send(failing.url)).status).toBe(500);
    const large = await start(() => ok(EVENT), { options: { onError, maxBodyBytes: 10 } });
    expect((await send(large.url, { body: 'x'.repeat(11) })).status).toBe(413);
    expect([...bad.escaped, ...failing.escaped, ...large.escaped]).toEqual([]);
  });

  it('never throws into the server: a throwing parse or ack gives 500', async () => {
    const throwingParse = await start(() => {
      throw new Error('adapter bug');
    });
    expect((await send(throwingParse.url)).status).toBe(500);
    const throwingAck = await start(() => ok(EVENT), {
      ack: () => {
        throw new Error('ack bug');
      },
    });
    expect((await send(throwingAck.url)).status).toBe(500);
    const badHeader = await start(() => ok(EVENT), {
      ack: () => ({ status: 200, headers: { 'x-bad': 'line\nbreak' }, body: '' }),
    });
    expect((await send(badHeader.url)).status).toBe(500);
    expect([...throwingParse.escaped, ...throwingAck.escaped, ...badHeader.escaped]).toEqual([]);
    expect(throwingParse.errors).toEqual([expect.objectContaining({ code: 'handler_failed' })]);
  });

  /** A server whose middleware reads the body first, as express.raw() / express.json() do. */
  async function behindMiddleware(
    store: (req: IncomingMessage, body: Buffer) => void,
    options: WebhookHandlerOptions = {},
  ): Promise<Harness> {
    const parsed: WebhookRequest[] = [];
    const errors: unknown[] = [];
    const handler = createWebhookHandler({
      parse: async (request) => {
        parsed.push(request);
        return ok(EVENT);
      },
      ack: () => ACK,
      onEvent: () => {},
      options: { onError: (error) => errors.push(error), ...options },
    });
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        store(req, Buffer.concat(chunks));
        handler(req, res);
      });
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, parsed, events: [], errors, escaped: [] };
  }

  it('uses the raw bytes a framework left in req.body (express.raw)', async () => {
    const body = Buffer.from('{"raw":"Zoë"}');
    const h = await behindMiddleware((req, bytes) => Object.assign(req, { body: bytes }));
    const reply = await send(h.url, { body });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(ACK.body);
    expect(h.parsed[0]?.rawBody).toEqual(body);
  });

  it('still applies maxBodyBytes to raw bytes a framework read', async () => {
    const h = await behindMiddleware((req, bytes) => Object.assign(req, { body: bytes }), {
      maxBodyBytes: 10,
    });
    expect((await send(h.url, { body: 'x'.repeat(11) })).status).toBe(413);
    expect(h.parsed).toEqual([]);
  });

  it.each([
    [
      'parsed as JSON (express.json())',
      (req: IncomingMessage, bytes: Buffer) =>
        Object.assign(req, { body: JSON.parse(bytes.toString()) }),
    ],
    ['read and dropped', () => {}],
  ])('answers 500 naming the fix when the body was %s, never hanging', async (_n, store) => {
    const h = await behindMiddleware(store);
    expect((await send(h.url, { body: '{"a":1}' })).status).toBe(500);
    expect(h.parsed).toEqual([]);
    const [error] = h.errors as { code: string; cause: Error }[];
    expect(error?.code).toBe('handler_failed');
    expect(error?.cause.message).toMatch(
      /before any body parser.*express\.raw\(\{ type: '\*\/\*' \}\)/,
    );
  });

  it("takes the path from Express's req.originalUrl (a mounted router rewrites req.url)", async () => {
    const parsed: WebhookRequest[] = [];
    const handler = createWebhookHandler({
      parse: async (request) => {
        parsed.push(request);
        return ok(EVENT);
      },
      ack: () => ACK,
      onEvent: () => {},
    });
    const server = createServer((req, res) => {
      Object.assign(req, { originalUrl: req.url, url: '/antom?x=1' });
      handler(req, res);
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    expect((await send(`http://127.0.0.1:${port}`, { path: '/webhooks/antom?x=1' })).status).toBe(
      200,
    );
    expect(parsed[0]?.path).toBe('/webhooks/antom?x=1');
  });

  it('survives a client that disconnects mid-body', async () => {
    const h = await start(() => ok(EVENT));
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${h.url}/hooks/test`, {
        method: 'POST',
        headers: { 'content-length': '1000' },
        agent: false,
      });
      req.on('error', () => resolve());
      req.write('{"partial":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    });
    // The server still answers the next delivery.
    expect((await send(h.url)).status).toBe(200);
    expect(h.parsed).toHaveLength(1);
    expect(h.escaped).toEqual([]);
  });
});

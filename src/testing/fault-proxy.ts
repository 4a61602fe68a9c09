import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Which kind of provider call an HTTP request is: the capture itself, an inquiry about a
 * capture, or anything else (passed through untouched by class-bound faults).
 *
 * @example
 * ```ts
 * const kind: FaultProxyRequestClass = classifyProviderRequest({ method: 'GET', path: '/payments/pay_1/actions' });
 * kind; // 'inquiry'
 * ```
 */
export type FaultProxyRequestClass = 'capture' | 'inquiry' | 'other';

/**
 * What a classifier sees of a request: its method and its full path (query string included).
 *
 * @example
 * ```ts
 * const seen: FaultProxyRequestHead = { method: 'POST', path: '/ams/api/v1/payments/capture' };
 * classifyProviderRequest(seen); // 'capture'
 * ```
 */
export interface FaultProxyRequestHead {
  readonly method: string;
  readonly path: string;
}

/**
 * Tells the proxy which class a request belongs to. Return `undefined` to leave the
 * decision to {@link classifyProviderRequest}, so a new provider only describes its own paths.
 *
 * @example
 * ```ts
 * const classify: FaultProxyClassifier = ({ method, path }) =>
 *   method === 'POST' && path.endsWith('/v3/captures') ? 'capture' : undefined;
 * const proxy = await startFaultProxy({ target: sim.baseUrl, classify });
 * ```
 */
export type FaultProxyClassifier = (
  request: FaultProxyRequestHead,
) => FaultProxyRequestClass | undefined;

const CHECKOUT_PAYMENT = /^(?:\/[^/]+)*\/payments\/[^/]+$/;
const CHECKOUT_ACTIONS = /^(?:\/[^/]+)*\/payments\/[^/]+\/actions$/;
const CHECKOUT_CAPTURES = /^(?:\/[^/]+)*\/payments\/[^/]+\/captures$/;

/**
 * The classifier for the providers capture-kit ships: Antom and Alipay+ v2
 * (`POST …/payments/capture` vs `POST …/payments/inquiryPayment`) and Checkout.com
 * (`POST /payments/{id}/captures` vs `GET /payments/{id}/actions` and `GET /payments/{id}`).
 * Everything else (cancel, voids, unknown paths) is `'other'`.
 *
 * @example
 * ```ts
 * classifyProviderRequest({ method: 'POST', path: '/api/v2/payments/inquiryPayment' }); // 'inquiry'
 * classifyProviderRequest({ method: 'POST', path: '/payments/pay_1/captures' }); // 'capture'
 * ```
 */
export function classifyProviderRequest(request: FaultProxyRequestHead): FaultProxyRequestClass {
  const path = request.path.split('?')[0] ?? request.path;
  const method = request.method.toUpperCase();
  if (method === 'POST' && path.endsWith('/payments/capture')) return 'capture';
  if (method === 'POST' && path.endsWith('/payments/inquiryPayment')) return 'inquiry';
  if (method === 'POST' && CHECKOUT_CAPTURES.test(path)) return 'capture';
  if (method === 'GET' && (CHECKOUT_ACTIONS.test(path) || CHECKOUT_PAYMENT.test(path))) {
    return 'inquiry';
  }
  return 'other';
}

/**
 * A fault the proxy applies to the next matching request.
 *
 * - `timeout_before_forward`: hold the request and never answer; nothing reaches the
 *   provider. The client's own timeout ends the call.
 * - `timeout_after_forward`: forward it, let the provider answer (so it has committed),
 *   drop the answer and never reply. The client's own timeout ends the call.
 * - `reset_after_forward`: forward it, let the provider answer, then reset the client's
 *   connection (TCP RST) without a byte of the answer.
 * - `status`: answer `status` at once WITHOUT forwarding (a gateway, WAF or rate limiter in
 *   front of the provider); `retryAfter` sets `Retry-After` (default `'1'` on 429).
 *
 * A refused connection is not a per-request fault: see {@link FaultProxy.refuseConnections}.
 *
 * @example
 * ```ts
 * proxy.inject({ on: 'capture', kind: 'timeout_after_forward' });
 * proxy.inject({ on: 'inquiry', kind: 'status', status: 429, retryAfter: '2' });
 * proxy.inject({ on: 'inquiry', kind: 'status', status: 401, times: 2 });
 * ```
 */
export type FaultProxyFault = FaultProxyFaultTarget &
  (
    | { readonly kind: 'timeout_before_forward' | 'timeout_after_forward' | 'reset_after_forward' }
    | {
        readonly kind: 'status';
        readonly status: 401 | 403 | 429 | 500 | 502 | 503 | 504;
        /** `Retry-After` header value. Default `'1'` for 429, none otherwise. */
        readonly retryAfter?: string;
        /**
         * Body to answer with, sent as `application/json`. Default: empty, or a small HTML
         * page for 502/503/504.
         */
        readonly body?: string;
      }
  );

/**
 * Which requests a {@link FaultProxyFault} applies to.
 *
 * @example
 * ```ts
 * const target: FaultProxyFaultTarget = { on: 'inquiry', path: /\/actions$/, times: 1 };
 * proxy.inject({ ...target, kind: 'status', status: 429 });
 * ```
 */
export interface FaultProxyFaultTarget {
  /** The request class (see {@link classifyProviderRequest}); `'any'` matches every request. */
  readonly on: FaultProxyRequestClass | 'any';
  /** Narrows the match to paths (query included) this pattern matches. */
  readonly path?: RegExp;
  /** How many matching requests it applies to. Default 1. */
  readonly times?: number;
}

/**
 * What became of one request that reached the proxy, in arrival order.
 *
 * @example
 * ```ts
 * const captures = proxy.exchanges.filter((e) => e.requestClass === 'capture');
 * captures.every((e) => e.fault !== 'status' || !e.forwarded); // a status fault never forwards
 * ```
 */
export interface FaultProxyExchange {
  /** 1, 2, 3, … in arrival order. */
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  readonly requestClass: FaultProxyRequestClass;
  /** The fault applied, if any. */
  readonly fault?: FaultProxyFault['kind'];
  /** Whether the request was sent on to the target. */
  forwarded: boolean;
  /** The target's HTTP status, when it answered. */
  upstreamStatus?: number;
  /**
   * - `answered`: the client got a complete answer (the target's, or the fault's status);
   * - `held`: no answer yet (a timeout fault, or still in flight);
   * - `reset`: the client's connection was reset;
   * - `client_gone`: the client closed the connection before an answer;
   * - `upstream_error`: the target could not be reached or broke mid-answer (connection reset).
   */
  state: 'answered' | 'held' | 'reset' | 'client_gone' | 'upstream_error';
}

/**
 * Settings for {@link startFaultProxy}.
 *
 * @example
 * ```ts
 * const options: FaultProxyOptions = { target: sim.baseUrl };
 * const proxy = await startFaultProxy(options);
 * ```
 */
export interface FaultProxyOptions {
  /**
   * The simulator's `baseUrl` (origin plus any path prefix, e.g. `http://127.0.0.1:5123/api`).
   * Must be a loopback `http:` URL: the proxy is a test tool and never talks to the internet.
   */
  readonly target: string;
  /** Extra request classes for providers the built-in classifier does not know. */
  readonly classify?: FaultProxyClassifier;
  /**
   * Called just before a request is forwarded (after any fault is chosen, only for requests
   * that will reach the target). Lets a test arm the simulator's own protocol faults for
   * exactly this request; the proxy waits for the returned promise.
   */
  readonly beforeForward?: (request: FaultProxyForward) => void | Promise<void>;
}

/**
 * A request about to be forwarded, as {@link FaultProxyOptions.beforeForward} sees it.
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy({
 *   target: sim.baseUrl,
 *   beforeForward: (request: FaultProxyForward) => {
 *     if (request.requestClass === 'capture') sim.injectFault({ kind: 'unknown_status' });
 *   },
 * });
 * ```
 */
export interface FaultProxyForward {
  readonly method: string;
  readonly path: string;
  readonly requestClass: FaultProxyRequestClass;
  /** The request headers as received (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** The exact body bytes that will be forwarded. */
  readonly body: Buffer;
}

/**
 * A running fault-injecting HTTP proxy on 127.0.0.1 in front of a simulator. Point an
 * adapter at `proxy.baseUrl` instead of `sim.baseUrl`; every request and answer passes
 * byte for byte (signatures cover the path and body) unless a fault says otherwise.
 *
 * Every answer the proxy gives carries `Connection: close`, so a client never keeps an
 * idle connection: each request opens its own, which is what lets
 * {@link FaultProxy.refuseConnections} refuse the next call for real.
 *
 * @example
 * ```ts
 * const sim = await startCheckoutSimulator();
 * const proxy = await startFaultProxy({ target: sim.baseUrl });
 * const client = createCaptureClient({
 *   providers: { cko: checkout({ ...sim.credentials, baseUrl: proxy.baseUrl, timeoutMs: 200 }) },
 * });
 * proxy.inject({ on: 'capture', kind: 'timeout_after_forward' });
 * const result = await client.capture({ provider: 'cko', paymentId, idempotencyKey: 'k1' });
 * result.isErr() && result.error.outcome; // 'unknown' — and the simulator holds the capture
 * await client.close();
 * await proxy.close();
 * ```
 */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `url` plus the target's path prefix: give this to the adapter's `baseUrl`. */
  readonly baseUrl: string;
  /** The last 1000 requests that reached the proxy, oldest first. */
  readonly exchanges: readonly FaultProxyExchange[];
  /** Queues a fault for the next matching request(s). */
  inject(fault: FaultProxyFault): void;
  /** Drops every queued fault. */
  clearFaults(): void;
  /** How many queued faults are left (each counted once, whatever its `times`). */
  readonly queuedFaults: number;
  /**
   * Stops listening: until {@link FaultProxy.acceptConnections}, every new connection
   * attempt gets ECONNREFUSED from the operating system, so nothing reaches the proxy, let
   * alone the provider — exactly what a transport reports as "never sent". A refused
   * connection is decided before any request byte exists, so it cannot be chosen per request
   * class; refuse around the call whose requests should fail.
   */
  refuseConnections(): Promise<void>;
  /** Listens again, on the same port. */
  acceptConnections(): Promise<void>;
  /**
   * Runs `call` while connections are refused and listens again afterwards, even if it throws.
   * Answers held by earlier timeout faults are unaffected.
   */
  whileRefusing<T>(call: () => Promise<T>): Promise<T>;
  /** Stops listening, drops held requests and open connections, and frees every resource. */
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
]);

/** Exchanges kept for inspection: enough for any test, bounded for long explorations. */
const MAX_EXCHANGES = 1000;

interface QueuedFault {
  readonly fault: FaultProxyFault;
  left: number;
}

/**
 * Starts a {@link FaultProxy} on 127.0.0.1 (a free port) in front of `options.target`.
 * Throws a `TypeError` naming `startFaultProxy({ target })` when the target is not a
 * loopback `http:` URL.
 *
 * @example
 * ```ts
 * const sim = await startAntomSimulator();
 * const proxy = await startFaultProxy({ target: sim.baseUrl });
 * const adapter = antom({ ...sim.credentials, baseUrl: proxy.baseUrl, timeoutMs: 200 });
 * proxy.inject({ on: 'inquiry', kind: 'status', status: 503 });
 * await proxy.whileRefusing(() => client.capture(request)); // Err(network_error, not_attempted)
 * await proxy.close();
 * ```
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = loopbackTarget(options.target);
  const prefix = target.pathname.replace(/\/+$/, '');
  const upstreamAgent = new Agent({ keepAlive: true, maxSockets: 64 });
  const queue: QueuedFault[] = [];
  const exchanges: FaultProxyExchange[] = [];
  const sockets = new Set<Socket>();
  const upstream = new Set<ReturnType<typeof httpRequest>>();
  const servers = new Set<Server>();
  let listening: Server | undefined;
  let port = 0;
  let closed = false;
  let sequence = 0;

  function classify(head: FaultProxyRequestHead): FaultProxyRequestClass {
    return options.classify?.(head) ?? classifyProviderRequest(head);
  }

  function takeFault(
    requestClass: FaultProxyRequestClass,
    path: string,
  ): FaultProxyFault | undefined {
    const index = queue.findIndex(
      ({ fault }) =>
        (fault.on === 'any' || fault.on === requestClass) && (!fault.path || fault.path.test(path)),
    );
    const entry = queue[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) queue.splice(index, 1);
    return entry.fault;
  }

  /** Sends the exact request on; resolves with the complete answer, or undefined if it broke. */
  function forward(
    req: IncomingMessage,
    body: Buffer,
    exchange: FaultProxyExchange,
  ): Promise<{ status: number; headers: OutgoingHttpHeaders; body: Buffer } | undefined> {
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] as string;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || lower === 'host') continue;
      headers.push([name, req.rawHeaders[i + 1] as string]);
    }
    headers.push(['Host', target.host]);
    // Only a request that carried a body gets a length: a GET keeps having none.
    if (body.length > 0 || req.headers['content-length'] !== undefined) {
      headers.push(['Content-Length', String(body.length)]);
    }
    exchange.forwarded = true;
    return new Promise((resolve) => {
      const outgoing = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: headers.flat(),
          agent: upstreamAgent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', () => resolve(undefined));
          response.on('end', () => {
            upstream.delete(outgoing);
            const out: OutgoingHttpHeaders = {};
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
            }
            exchange.upstreamStatus = response.statusCode ?? 502;
            resolve({
              status: response.statusCode ?? 502,
              headers: out,
              body: Buffer.concat(chunks),
            });
          });
        },
      );
      upstream.add(outgoing);
      outgoing.on('error', () => {
        upstream.delete(outgoing);
        resolve(undefined);
      });
      outgoing.end(body);
    });
  }

  function reply(
    res: ServerResponse,
    status: number,
    headers: OutgoingHttpHeaders,
    body: Buffer,
  ): void {
    if (res.destroyed || res.headersSent) return;
    res.writeHead(status, {
      ...headers,
      'content-length': String(body.length),
      connection: 'close',
    });
    res.end(body);
  }

  /** Leaves the client waiting: no timer, the client's own deadline (or close()) ends it. */
  function hold(exchange: FaultProxyExchange): void {
    exchange.state = 'held';
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const head = { method: req.method ?? 'GET', path: req.url ?? '/' };
    const requestClass = classify(head);
    const fault = takeFault(requestClass, head.path);
    sequence += 1;
    const exchange: FaultProxyExchange = {
      seq: sequence,
      ...head,
      requestClass,
      ...(fault ? { fault: fault.kind } : {}),
      forwarded: false,
      state: 'held',
    };
    exchanges.push(exchange);
    if (exchanges.length > MAX_EXCHANGES) exchanges.shift();
    res.on('close', () => {
      if (exchange.state === 'held') exchange.state = 'client_gone';
    });
    if (fault?.kind === 'timeout_before_forward') return hold(exchange);
    if (fault?.kind === 'status') {
      const headers: OutgoingHttpHeaders = {};
      const retryAfter = fault.retryAfter ?? (fault.status === 429 ? '1' : undefined);
      if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
      const page = fault.status >= 502 ? `<html><body>${fault.status}</body></html>` : '';
      const text = fault.body ?? page;
      if (text.length > 0) headers['content-type'] = fault.body ? 'application/json' : 'text/html';
      reply(res, fault.status, headers, Buffer.from(text, 'utf8'));
      exchange.state = 'answered';
      return;
    }
    await options.beforeForward?.({ ...head, requestClass, headers: req.headers, body });
    if (closed) return;
    const answer = await forward(req, body, exchange);
    if (!answer) {
      // The target broke: the client sees a broken connection, as it would without the proxy.
      exchange.state = 'upstream_error';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'timeout_after_forward') return hold(exchange);
    if (fault?.kind === 'reset_after_forward') {
      exchange.state = 'reset';
      req.socket.resetAndDestroy();
      return;
    }
    reply(res, answer.status, answer.headers, answer.body);
    exchange.state = res.destroyed && !res.writableFinished ? 'client_gone' : 'answered';
  }

  function newServer(): Server {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('error', () => {});
      req.on('end', () => {
        handle(req, res, Buffer.concat(chunks)).catch(() => req.socket.destroy());
      });
    });
    // Held requests must stay held until the client gives up, however long it waits.
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    server.keepAliveTimeout = 0;
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.on('clientError', (_error, socket) => socket.destroy());
    return server;
  }

  async function listen(): Promise<void> {
    if (closed) throw new Error('The fault proxy is closed; start a new one.');
    if (listening) return;
    const server = newServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    servers.add(server);
    listening = server;
    port = (server.address() as AddressInfo).port;
  }

  function stopListening(): Promise<void> {
    const server = listening;
    listening = undefined;
    if (!server) return Promise.resolve();
    // close() stops accepting at once; its callback waits for open connections, which
    // held requests may keep for a while, so it is not awaited here.
    server.close(() => servers.delete(server));
    return Promise.resolve();
  }

  await listen();
  const url = `http://127.0.0.1:${port}`;

  const proxy: FaultProxy = {
    url,
    baseUrl: `${url}${prefix}`,
    exchanges,
    inject(fault) {
      const times = fault.times ?? 1;
      if (!Number.isInteger(times) || times < 1) {
        throw new TypeError(
          `proxy.inject({ times }) must be a whole number of requests, at least 1 (got ${times}).`,
        );
      }
      queue.push({ fault, left: times });
    },
    clearFaults() {
      queue.length = 0;
    },
    get queuedFaults() {
      return queue.length;
    },
    refuseConnections: stopListening,
    acceptConnections: listen,
    async whileRefusing(call) {
      await stopListening();
      try {
        return await call();
      } finally {
        if (!closed) await listen();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      queue.length = 0;
      listening = undefined;
      const closing = [...servers].map(
        (server) => new Promise<void>((resolve) => server.close(() => resolve())),
      );
      for (const socket of sockets) socket.destroy();
      for (const outgoing of upstream) outgoing.destroy();
      await Promise.all(closing);
      servers.clear();
      upstreamAgent.destroy();
    },
  };
  return proxy;
}

function loopbackTarget(target: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(target));
  } catch {
    throw new TypeError(
      `startFaultProxy({ target }) must be a simulator's baseUrl such as http://127.0.0.1:5123/api (got ${JSON.stringify(target)}).`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new TypeError(
      `startFaultProxy({ target }) must be a loopback http: URL (a simulator's baseUrl); got ${url.protocol}//${url.host}. The proxy never talks to anything but this machine.`,
    );
  }
  if (url.search || url.hash) {
    throw new TypeError('startFaultProxy({ target }) must not have a query string or fragment.');
  }
  return url;
}

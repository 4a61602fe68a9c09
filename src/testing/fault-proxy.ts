import {
  Agent,
  type ClientRequest,
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  classifyProviderRequest,
  type FaultProxyRequestClass,
  type FaultProxyRequestHead,
} from './classify-provider-request.js';
import type { FaultProxyExchange, FaultProxyFault } from './fault-proxy-fault.js';
import type { FaultProxyOptions } from './fault-proxy-options.js';
import { type ForwardTarget, forwardToTarget } from './forward-to-target.js';
import { loopbackTarget } from './loopback-target.js';

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
  /**
   * Resolves once no received request is on its way to the target: each has the target's
   * answer (or failed). A crashed client's last request may still be travelling; this is
   * how a test lets the provider's side catch up before it asks what happened.
   */
  whenIdle(): Promise<void>;
  /** Stops listening, drops held requests and open connections, and frees every resource. */
  close(): Promise<void>;
}

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
  const upstream = new Set<ClientRequest>();
  const forwardTarget: ForwardTarget = { url: target, agent: upstreamAgent, inFlight: upstream };
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

  function forward(req: IncomingMessage, body: Buffer, exchange: FaultProxyExchange) {
    return forwardToTarget(forwardTarget, req, body, exchange);
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

  /** Requests between arrival and the target's answer, and who waits for none to be left. */
  let forwarding = 0;
  const idleWaiters: (() => void)[] = [];

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
    forwarding += 1;
    let answer: Awaited<ReturnType<typeof forward>>;
    try {
      await options.beforeForward?.({ ...head, requestClass, headers: req.headers, body });
      if (closed) return;
      answer = await forward(req, body, exchange);
    } finally {
      forwarding -= 1;
      if (forwarding === 0) for (const wake of idleWaiters.splice(0)) wake();
    }
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
    whenIdle: () =>
      forwarding === 0 ? Promise.resolve() : new Promise((wake) => idleWaiters.push(wake)),
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

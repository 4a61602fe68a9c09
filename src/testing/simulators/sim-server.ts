import { generateKeyPair, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { request } from 'undici';
import type { Fault, FaultKind } from '../harness.js';

/**
 * Plumbing every simulator shares: a real HTTP server on 127.0.0.1 (port 0), raw body
 * reading, a queue of injected faults, the "hang" and "reset" behaviours, and signed
 * webhook delivery. Protocol logic stays in each simulator.
 */

/** A running loopback server. */
export interface SimServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** A request as the simulator sees it: the exact bytes, for signature checks. */
export interface SimRequest {
  readonly method: string;
  /** Origin-form path and query (`/ams/api/...`), also when the request line was absolute-form. */
  readonly path: string;
  /** The request target exactly as written on the request line (may be absolute-form). */
  readonly target: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawBody: Buffer;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

/**
 * Starts a server on 127.0.0.1:0 that reads each body fully and passes it to `handle`.
 * A handler that throws answers 500 (the simulator's own bug shows up as a provider 5xx).
 */
export async function startSimServer(
  handle: (request: SimRequest) => Promise<void> | void,
): Promise<SimServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => {});
    req.on('end', () => {
      const target = req.url ?? '/';
      const simRequest: SimRequest = {
        method: req.method ?? 'GET',
        path: originForm(target),
        target,
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
        req,
        res,
      };
      Promise.resolve()
        .then(() => handle(simRequest))
        .catch((error: unknown) => {
          if (!res.headersSent && !res.destroyed) {
            sendJson(res, 500, { error: 'simulator_error', message: String(error) });
          }
        });
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The origin-form path of a request target. HTTP/1.1 servers must accept the absolute form
 * (`POST http://host:port/ams/api/v1/payments/capture HTTP/1.1`, RFC 9112 §3.2.2), which the
 * official Antom Python SDK writes; the signature still covers only the path.
 *
 * @example
 * ```ts
 * originForm('http://127.0.0.1:8080/ams/api/v1/payments/capture'); // '/ams/api/v1/payments/capture'
 * originForm('/payments/pay_1?x=1'); // '/payments/pay_1?x=1'
 * ```
 */
export function originForm(target: string): string {
  if (!/^https?:\/\//i.test(target)) return target;
  try {
    const url = new URL(target);
    return `${url.pathname}${url.search}`;
  } catch {
    return target;
  }
}

/** Answers JSON with exact bytes; returns the bytes sent (simulators sign them). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Buffer {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  sendRaw(res, status, bytes, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  return bytes;
}

/** Answers with exact bytes and headers. */
export function sendRaw(
  res: ServerResponse,
  status: number,
  bytes: Buffer,
  headers: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  res.end(bytes);
}

/**
 * Never answers: the client's own timeout fires. The socket is destroyed after `ms`
 * (default 60 s) or when the server closes, whichever comes first.
 */
export function hang(request: SimRequest, ms = 60_000): void {
  const timer = setTimeout(() => request.req.socket.destroy(), ms);
  timer.unref();
  request.req.socket.once('close', () => clearTimeout(timer));
}

/** Destroys the connection without writing a byte: the client sees a reset after sending. */
export function resetConnection(request: SimRequest): void {
  request.req.socket.resetAndDestroy?.();
  if (!request.req.socket.destroyed) request.req.socket.destroy();
}

/** An RSA key pair made at start-up; the PEM forms are what adapters are configured with. */
export interface SimKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** PKCS#8 PEM. */
  readonly privatePem: string;
  /** SPKI PEM. */
  readonly publicPem: string;
}

/**
 * Generates an RSA-2048 key pair in the background thread pool (never committed key
 * material: every simulator run has fresh keys).
 */
export function generateSimKeyPair(): Promise<SimKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => {
      if (error) return reject(error);
      resolve({
        privateKey,
        publicKey,
        privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      });
    });
  });
}

/** Parses a request body as a JSON object; `undefined` for invalid JSON or a non-object. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves after `ms` (real time; only used for `delay` faults, never for clock rules). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A FIFO of injected faults; each applies to `times` requests (default 1). */
export class FaultQueue {
  readonly #faults: { fault: Fault; left: number }[] = [];

  /** Queues a fault for the next matching request. */
  push(fault: Fault): void {
    this.#faults.push({ fault, left: fault.times ?? 1 });
  }

  /** Takes the next fault whose kind is one of `kinds`, consuming one use of it. */
  take(kinds: readonly FaultKind[]): Fault | undefined {
    const index = this.#faults.findIndex((entry) => kinds.includes(entry.fault.kind));
    if (index < 0) return undefined;
    const entry = this.#faults[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.#faults.splice(index, 1);
    return entry.fault;
  }

  clear(): void {
    this.#faults.length = 0;
  }
}

/** Faults that act on the capture HTTP exchange itself. */
export const REQUEST_FAULTS: readonly FaultKind[] = [
  'delay',
  'timeout_before_commit',
  'timeout_after_commit',
  'reset_after_commit',
  'server_error',
  'unknown_status',
  'bad_signature',
];

/**
 * {@link REQUEST_FAULTS} of a provider whose answers carry neither an "unknown" status nor a
 * signature (Checkout.com, Stripe, Adyen): `unknown_status` and `bad_signature` have no
 * equivalent there.
 */
export const UNSIGNED_REQUEST_FAULTS: readonly FaultKind[] = REQUEST_FAULTS.filter(
  (kind) => kind !== 'unknown_status' && kind !== 'bad_signature',
);

/** Faults that act on the webhook(s) a capture produces. */
export const WEBHOOK_FAULTS: readonly FaultKind[] = [
  'webhook_duplicate',
  'webhook_delayed',
  'webhook_missing',
  'webhook_out_of_order',
  'webhook_bad_signature',
];

/** The answer a webhook delivery got. */
export interface WebhookDelivery {
  readonly status: number;
  readonly body: string;
}

/**
 * POSTs one webhook to `url` over loopback with exact bytes. Never rejects: a connection
 * failure is `status: 0` so the caller's retry policy decides.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<WebhookDelivery> {
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
      body,
      headersTimeout: 5_000,
      bodyTimeout: 5_000,
    });
    return { status: response.statusCode, body: await response.body.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

/**
 * Tracks background webhook work so `settle()` can wait for it and `close()` can drop it.
 */
export class BackgroundWork {
  readonly #pending = new Set<Promise<unknown>>();
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `task` in the background; errors are swallowed (a simulator must not crash). */
  run(task: () => Promise<unknown>): void {
    if (this.#closed) return;
    const promise = task()
      .catch(() => {})
      .finally(() => this.#pending.delete(promise));
    this.#pending.add(promise);
  }

  /** Waits until no background task is left (including tasks queued meanwhile). */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  close(): void {
    this.#closed = true;
  }
}

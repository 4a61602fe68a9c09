import { EventEmitter } from 'node:events';
import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { err, ok, type Result } from 'neverthrow';
import { type Dispatcher, Pool } from 'undici';
import { type CaptureError, captureError, UNKNOWN_OUTCOME_ADVICE } from './errors.js';

/**
 * Settings for one provider's HTTP transport.
 *
 * @example
 * ```ts
 * const transport = createTransport({ baseUrl: 'https://api.checkout.com', timeoutMs: 15_000 });
 * ```
 */
export interface TransportOptions {
  /** Origin plus optional path prefix, e.g. `https://wallet.example/acl/api`. */
  readonly baseUrl: string;
  /** Whole-request deadline in ms (headers and body). Default 15 000, as the official SDKs. */
  readonly timeoutMs?: number;
  /** TCP/TLS connect deadline in ms. Default: the smaller of 5 000 and `timeoutMs`. */
  readonly connectTimeoutMs?: number;
  /** Largest response body accepted, in bytes. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  /** Keep-alive connections per origin. Default 128. */
  readonly connections?: number;
  /** Use this undici dispatcher (an `Agent`, `Pool`, or `MockAgent`) instead of a private pool. */
  readonly dispatcher?: Dispatcher;
  /** Name of the setting holding `baseUrl`, used in construction errors (`'checkout({ baseUrl })'`). */
  readonly settingName?: string;
}

/**
 * One HTTP request with its body as the exact bytes to send (so they can be signed).
 *
 * @example
 * ```ts
 * const request: TransportRequest = {
 *   method: 'POST',
 *   path: `${transport.basePath}/payments/pay_123/captures`,
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ amount: 3500 }),
 * };
 * const sent = await transport.send(request);
 * ```
 */
export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  /** Full path on the origin, including any base-path prefix and query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
  readonly signal?: AbortSignal;
  /** Overrides the transport's `timeoutMs` for this request. */
  readonly timeoutMs?: number;
}

/**
 * A complete response: status, lower-case headers, and the exact body bytes.
 *
 * @example
 * ```ts
 * const sent = await transport.send({ method: 'GET', path: '/payments/pay_123', headers: {} });
 * if (sent.isOk()) {
 *   const response: TransportResponse = sent.value;
 *   console.log(response.status, response.headers['content-type'], response.body.toString('utf8'));
 * }
 * ```
 */
export interface TransportResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/**
 * Why no usable response came back. `stage` is what matters for money:
 * `not_sent` means the request provably never reached the provider; `sent` means it may
 * have been processed.
 *
 * @example
 * ```ts
 * const sent = await transport.send(request);
 * if (sent.isErr()) {
 *   const failure: TransportFailure = sent.error; // e.g. { stage: 'not_sent', reason: 'dns', … }
 *   const context = { kind: 'checkout', operation: 'capture' } as const;
 *   const error = transportFailureToCaptureError(failure, context); // outcome from failure.stage
 * }
 * ```
 */
export interface TransportFailure {
  readonly stage: 'not_sent' | 'sent';
  readonly reason:
    | 'connection_refused'
    | 'dns'
    | 'connect_timeout'
    | 'aborted'
    | 'timeout'
    | 'reset'
    | 'response_too_large'
    | 'other';
  readonly message: string;
  readonly cause?: unknown;
}

/**
 * Sends raw bytes to one origin over a keep-alive pool and reads raw bytes back.
 *
 * @example
 * ```ts
 * const t = createTransport({ baseUrl: 'http://127.0.0.1:8080' });
 * const res = await t.send({ method: 'GET', path: '/health', headers: {} });
 * await t.close();
 * ```
 */
export interface Transport {
  /** `scheme://host:port` */
  readonly origin: string;
  /** Path prefix from `baseUrl` without a trailing slash (`''`, `/api`, `/acl/api`). */
  readonly basePath: string;
  send(request: TransportRequest): Promise<Result<TransportResponse, TransportFailure>>;
  close(): Promise<void>;
}

const NOT_SENT_CODES: Record<string, TransportFailure['reason']> = {
  ECONNREFUSED: 'connection_refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EHOSTUNREACH: 'connection_refused',
  ENETUNREACH: 'connection_refused',
  EADDRNOTAVAIL: 'connection_refused',
  UND_ERR_CONNECT_TIMEOUT: 'connect_timeout',
};

const SENT_CODES: Record<string, TransportFailure['reason']> = {
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_SOCKET: 'reset',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'reset',
};

/**
 * Parses and checks a base URL; throws a message naming the setting.
 *
 * @example
 * ```ts
 * parseBaseUrl('https://wallet.example/acl/api').pathname; // '/acl/api'
 * parseBaseUrl('ftp://wallet.example', 'checkout({ baseUrl })');
 * // TypeError: checkout({ baseUrl }) must use https: (or http: for a local simulator), got ftp:
 * ```
 */
export function parseBaseUrl(baseUrl: unknown, settingName = 'baseUrl'): URL {
  if (typeof baseUrl !== 'string' || baseUrl.length === 0) {
    throw new TypeError(`${settingName} must be an http(s) URL string (got ${typeof baseUrl}).`);
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`${settingName} is not a valid URL: ${JSON.stringify(baseUrl)}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(
      `${settingName} must use https: (or http: for a local simulator), got ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    throw new TypeError(
      `${settingName} must not contain credentials; pass keys in their own settings.`,
    );
  }
  if (url.search || url.hash) {
    throw new TypeError(`${settingName} must not have a query string or fragment.`);
  }
  return url;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // undici sometimes wraps the socket error; look two levels deep.
  for (let depth = 0; depth < 3 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function positiveInteger(name: string, value: number, unit: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive whole number of ${unit} (got ${value}).`);
  }
  return value;
}

/**
 * Creates a {@link Transport}. Throws a `TypeError` naming the setting at construction if
 * `baseUrl` or a limit is unusable.
 *
 * @example
 * ```ts
 * const transport = createTransport({ baseUrl: settings.baseUrl, timeoutMs: 15_000,
 *   settingName: 'checkout({ baseUrl })' });
 * ```
 */
export function createTransport(options: TransportOptions): Transport {
  const url = parseBaseUrl(options.baseUrl, options.settingName);
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? 15_000, 'milliseconds');
  const connectTimeoutMs = positiveInteger(
    'connectTimeoutMs',
    options.connectTimeoutMs ?? Math.min(5_000, timeoutMs),
    'milliseconds',
  );
  // A NaN limit would compare false with every size and silently accept any body.
  const maxResponseBytes = positiveInteger(
    'maxResponseBytes',
    options.maxResponseBytes ?? 1024 * 1024,
    'bytes',
  );
  const connections = positiveInteger('connections', options.connections ?? 128, 'connections');
  const origin = url.origin;
  const basePath = url.pathname.replace(/\/+$/, '');
  const ownPool = options.dispatcher
    ? undefined
    : new Pool(origin, {
        connections,
        connect: { timeout: connectTimeoutMs },
        keepAliveTimeout: 10_000,
      });
  const dispatcher: Dispatcher = options.dispatcher ?? (ownPool as Pool);

  async function send(
    request: TransportRequest,
  ): Promise<Result<TransportResponse, TransportFailure>> {
    if (request.signal?.aborted) {
      return err({
        stage: 'not_sent',
        reason: 'aborted',
        message: 'The call was aborted before it was sent.',
      });
    }
    const deadline = request.timeoutMs ?? timeoutMs;
    // The whole-request deadline is a plain timer cleared as soon as the answer is read, and
    // undici is handed an EventEmitter as its abort signal (a documented form). An
    // `AbortSignal.timeout()` per request cannot be cleared: it and its timer outlive the
    // call until the deadline, and creating it costs more than the rest of this function.
    const abort = new EventEmitter();
    const state = { timedOut: false };
    const timer = setTimeout(() => {
      state.timedOut = true;
      abort.emit('abort');
    }, deadline);
    const callerSignal = request.signal;
    const onCallerAbort = () => abort.emit('abort');
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      return await exchange(request, deadline, abort, state);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  async function exchange(
    request: TransportRequest,
    deadline: number,
    abort: EventEmitter,
    state: { readonly timedOut: boolean },
  ): Promise<Result<TransportResponse, TransportFailure>> {
    let response: Dispatcher.ResponseData;
    try {
      response = await dispatcher.request({
        origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: abort,
        headersTimeout: deadline,
        bodyTimeout: deadline,
      });
    } catch (error) {
      return err(classify(error, state.timedOut, deadline, request.signal));
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxResponseBytes) {
      discard(response.body);
      return err(tooLarge(maxResponseBytes));
    }
    let body: Buffer | undefined;
    try {
      body = await readBody(response.body, maxResponseBytes);
    } catch (error) {
      return err(classify(error, state.timedOut, deadline, request.signal, true));
    }
    if (!body) return err(tooLarge(maxResponseBytes));
    // undici hands a kept-alive socket back to its pool one event-loop turn after the
    // response ends; a caller that sends again at once would otherwise open a second
    // connection (another TLS handshake) instead of reusing this one.
    await nextLoopTurn();
    return ok({
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body,
    });
  }

  return {
    origin,
    basePath,
    send,
    async close() {
      await ownPool?.close();
    },
  };
}

/**
 * Reads a whole body, or drops it and gives `undefined` once it passes `limit` bytes.
 * Plain 'data' / 'end' listeners rather than `for await`: an async iterator costs extra
 * event-loop turns on every response, which is most of a sequential caller's overhead.
 */
function readBody(
  body: Dispatcher.ResponseData['body'],
  limit: number,
): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Chunks already buffered may still arrive after destroy(): stop listening first.
        body.off('data', onData);
        discard(body);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    body.on('data', onData);
    body.once('end', () => resolve(Buffer.concat(chunks, size)));
    body.once('error', reject);
  });
}

/** Drops an unread body. */
function discard(body: Dispatcher.ResponseData['body']): void {
  if (body.destroyed) return;
  // undici's body emits an AbortError when destroyed; with no listener that error would be
  // uncaught and take the whole process down.
  body.on('error', () => {});
  body.destroy();
}

function tooLarge(limit: number): TransportFailure {
  return {
    stage: 'sent',
    reason: 'response_too_large',
    message: `The response body was larger than maxResponseBytes (${limit}); it was discarded unread.`,
  };
}

function classify(
  error: unknown,
  timedOut: boolean,
  deadline: number,
  callerSignal: AbortSignal | undefined,
  afterHeaders = false,
): TransportFailure {
  const code = errorCode(error);
  if (!afterHeaders && code && NOT_SENT_CODES[code]) {
    return {
      stage: 'not_sent',
      reason: NOT_SENT_CODES[code],
      message: `Could not connect (${code}); nothing was sent.`,
      cause: error,
    };
  }
  // undici rejects with the signal's reason, which can be any value the caller chose.
  if (callerSignal?.aborted && !timedOut) {
    return {
      stage: 'sent',
      reason: 'aborted',
      message: 'The call was aborted by its signal while the request was in flight.',
      cause: error,
    };
  }
  if (code && SENT_CODES[code]) {
    const reason = SENT_CODES[code];
    return {
      stage: 'sent',
      reason,
      message:
        reason === 'timeout'
          ? `No complete answer within ${deadline} ms after the request was sent.`
          : `The connection broke after the request was sent (${code}).`,
      cause: error,
    };
  }
  if (timedOut) {
    return {
      stage: 'sent',
      reason: 'timeout',
      message: `No complete answer within ${deadline} ms after the request was sent.`,
      cause: error,
    };
  }
  const aborted =
    error instanceof Error &&
    (error.name === 'AbortError' ||
      (errorCode(error) === undefined && /abort/i.test(error.message)));
  return {
    stage: 'sent',
    reason: aborted ? 'aborted' : 'other',
    message: aborted
      ? 'The call was aborted by its signal while the request was in flight.'
      : `The request failed in flight: ${describe(error)}`,
    cause: error,
  };
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  // for…in over undici's plain header object: no entries array per response.
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Turns a {@link TransportFailure} into the neutral error with the honest outcome:
 * `not_sent` → `not_attempted`; everything after sending → `unknown`.
 *
 * @example
 * ```ts
 * const error = transportFailureToCaptureError(
 *   { stage: 'sent', reason: 'timeout', message: 'No complete answer within 15000 ms.' },
 *   { kind: 'checkout', operation: 'capture' },
 * );
 * error.code; // 'timeout'
 * error.outcome; // 'unknown': call resolve() or retry with the SAME idempotency key
 * ```
 */
export function transportFailureToCaptureError(
  failure: TransportFailure,
  context: { readonly kind: string; readonly operation: 'capture' | 'resolve' },
): CaptureError {
  if (failure.stage === 'not_sent') {
    return captureError({
      code: 'network_error',
      outcome: 'not_attempted',
      retryable: true,
      kind: context.kind,
      message: `${failure.message} Check the adapter's baseUrl and network, then call ${context.operation}() again.`,
      cause: failure.cause,
    });
  }
  const code =
    failure.reason === 'timeout'
      ? 'timeout'
      : failure.reason === 'response_too_large'
        ? 'provider_error'
        : 'network_error';
  const advice =
    context.operation === 'capture'
      ? UNKNOWN_OUTCOME_ADVICE
      : 'The inquiry got no reliable answer; nothing changed at the provider. Call resolve() again.';
  return captureError({
    code,
    outcome: 'unknown',
    retryable: true,
    kind: context.kind,
    message: `${failure.message} ${advice}`,
    cause: failure.cause,
  });
}

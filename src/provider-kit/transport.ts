import { err, ok, type Result } from 'neverthrow';
import { type Dispatcher, Pool } from 'undici';
import type { CaptureDeadline } from '../core/spec.js';
import { parseBaseUrl } from './parse-base-url.js';
import { classify, stopped, tooLarge } from './transport-failure.js';

export { parseBaseUrl } from './parse-base-url.js';
export { transportFailureToCaptureError } from './transport-failure.js';

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
  /**
   * Whole-call deadline in ms, from `send()` on: time waiting for a pooled connection,
   * connecting, sending and reading the answer. Default 15 000, as the official SDKs.
   */
  readonly timeoutMs?: number;
  /** TCP/TLS connect deadline in ms. Default: the smaller of 5 000 and `timeoutMs`. */
  readonly connectTimeoutMs?: number;
  /** Largest response body accepted, in bytes. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  /** Keep-alive connections per origin. Default 128. */
  readonly connections?: number;
  /**
   * Use this undici dispatcher (an `Agent`, `Pool`, or `MockAgent`) instead of a private pool.
   * It must call the handler's `onRequestStart` before writing a request (every undici
   * dispatcher does): that is how the transport tells a request that never left
   * (`not_sent`) from one that may have.
   */
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
  /**
   * A capture's dispatch deadline (`ProviderCaptureRequest.deadline`): the request ends by
   * `deadline.at` even if `timeoutMs` is longer, and `deadline.signal` aborts it like
   * `signal`. Pass it with `exchangeStop(request)`.
   */
  readonly deadline?: CaptureDeadline;
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
 * `not_sent` means the request provably never reached the provider (no connection, or the
 * deadline / signal ended it while it waited for one); `sent` means it may have been
 * processed.
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
    if (request.signal?.aborted || request.deadline?.signal?.aborted) {
      return err({
        stage: 'not_sent',
        reason: 'aborted',
        message: 'The call was aborted before it was sent.',
      });
    }
    let limit = request.timeoutMs ?? timeoutMs;
    if (request.deadline) {
      const left = Math.ceil(request.deadline.at - performance.now());
      if (left <= 0) {
        return err({
          stage: 'not_sent',
          reason: 'timeout',
          message:
            "The capture's dispatch deadline (the adapter's timeoutMs) passed before this request could start; it was never sent.",
        });
      }
      if (left < limit) limit = left;
    }
    const result = await exchange(request, limit);
    // undici hands a kept-alive socket back to its pool one event-loop turn after the
    // response ends; a caller that sends again at once would otherwise open a second
    // connection (another TLS handshake) instead of reusing this one.
    if (result.isOk()) await nextLoopTurn();
    return result;
  }

  /**
   * One request through `dispatcher.dispatch()` with a handler of our own, so the transport
   * knows where the request is: `waiting` until undici hands it a connection
   * (`onRequestStart`, called before the first byte is written, by every undici dispatcher),
   * then `sending`. The deadline and the caller's signal run from this call, queue time
   * included; ending a request that is still `waiting` is `not_sent`, because it never was.
   */
  function exchange(
    request: TransportRequest,
    deadline: number,
  ): Promise<Result<TransportResponse, TransportFailure>> {
    return new Promise((resolve) => {
      const callerSignal = request.signal;
      // The capture's caller signal, when the request carries it in its deadline instead.
      const deadlineSignal =
        request.deadline?.signal === callerSignal ? undefined : request.deadline?.signal;
      let phase: 'waiting' | 'sending' = 'waiting';
      let controller: Dispatcher.DispatchController | undefined;
      let settled = false;
      let status = 0;
      let headers: Record<string, string> = {};
      const chunks: Buffer[] = [];
      let size = 0;

      const settle = (result: Result<TransportResponse, TransportFailure>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onCallerAbort);
        deadlineSignal?.removeEventListener('abort', onCallerAbort);
        resolve(result);
      };
      const stop = (why: 'timeout' | 'aborted') => {
        if (settled) return;
        settle(err(stopped(why, phase, deadline)));
        // A request still waiting has no controller yet: onRequestStart aborts it when a
        // connection frees, before anything is written.
        controller?.abort(new Error(`capture-kit transport: ${why}`));
      };
      // A plain timer cleared as soon as the call ends: an `AbortSignal.timeout()` per
      // request cannot be cleared, and it and its timer would outlive the call.
      const timer = setTimeout(() => stop('timeout'), deadline);
      const onCallerAbort = () => stop('aborted');
      callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
      deadlineSignal?.addEventListener('abort', onCallerAbort, { once: true });

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(started) {
          controller = started;
          // The deadline passed, or the caller gave up, while the request waited: it must
          // not go out now that a connection is free. (undici closes that connection.)
          if (settled) started.abort(new Error('capture-kit transport: abandoned while waiting'));
          else phase = 'sending';
        },
        onResponseStart(started, statusCode, responseHeaders) {
          if (settled || statusCode < 200) return;
          status = statusCode;
          headers = flattenHeaders(responseHeaders);
          const declared = Number(headers['content-length']);
          if (Number.isFinite(declared) && declared > maxResponseBytes) {
            settle(err(tooLarge(maxResponseBytes)));
            started.abort(new Error('capture-kit transport: response too large'));
          }
        },
        onResponseData(started, chunk) {
          if (settled) return;
          size += chunk.length;
          if (size > maxResponseBytes) {
            settle(err(tooLarge(maxResponseBytes)));
            started.abort(new Error('capture-kit transport: response too large'));
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd() {
          settle(ok({ status, headers, body: Buffer.concat(chunks, size) }));
        },
        onResponseError(_controller, error) {
          settle(err(classify(error, phase, deadline)));
        },
      };
      try {
        dispatcher.dispatch(
          {
            origin,
            path: request.path,
            method: request.method,
            headers: request.headers,
            body: request.body ?? null,
            // Backstops only: the deadline above starts earlier and always fires first.
            headersTimeout: deadline,
            bodyTimeout: deadline,
          },
          handler,
        );
      } catch (error) {
        settle(err(classify(error, phase, deadline)));
      }
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

/** One `setImmediate` as a promise (the `node:timers/promises` form validates its options on every call). */
function nextLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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

import type { CaptureDeadline } from '../core/spec.js';

/**
 * What may end one exchange early, besides the transport's own timeout: spread into a
 * `TransportRequest`.
 *
 * @example
 * ```ts
 * const stop: ExchangeStop = exchangeStop(request);
 * await transport.send({ method: 'POST', path, headers, body, ...stop });
 * ```
 */
export interface ExchangeStop {
  readonly signal?: AbortSignal;
  readonly deadline?: CaptureDeadline;
}

const NO_STOP: ExchangeStop = Object.freeze({});

/**
 * The stop for a capture or resolve request: a capture's `deadline` when it has one (its
 * lazily made `signal` is then never read, so no `AbortController` is made) plus any
 * `signal` set on the request as a plain value, else the request's `signal`.
 *
 * @example
 * ```ts
 * async function doCapture(request: ProviderCaptureRequest) {
 *   const sent = await transport.send({ method: 'POST', path, headers, body, ...exchangeStop(request) });
 * }
 * ```
 */
export function exchangeStop(request: {
  readonly signal?: AbortSignal;
  readonly deadline?: CaptureDeadline;
}): ExchangeStop {
  const { deadline } = request;
  if (!deadline) {
    const { signal } = request;
    return signal ? { signal } : NO_STOP;
  }
  // A `signal` set as a plain value (an adapter wrapping another hands it
  // `{ ...request, signal: itsOwn }`) is honored too; the client's own `signal` is a getter,
  // left unread so that it makes no AbortController.
  const own = Object.getOwnPropertyDescriptor(request, 'signal');
  const signal: unknown = own && 'value' in own ? own.value : undefined;
  return signal instanceof AbortSignal && signal !== deadline.signal
    ? { deadline, signal }
    : { deadline };
}

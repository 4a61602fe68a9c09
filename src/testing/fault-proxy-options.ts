import type { IncomingHttpHeaders } from 'node:http';
import type { FaultProxyClassifier, FaultProxyRequestClass } from './classify-provider-request.js';

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

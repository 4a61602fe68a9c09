import type { FaultProxyRequestClass } from './classify-provider-request.js';

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

import type { Result } from 'neverthrow';
import type { Transport, TransportFailure, TransportResponse } from '../../core/transport.js';

/** One call to the Checkout.com API, with a path relative to the base URL. */
export interface CheckoutCall {
  readonly method: 'GET' | 'POST';
  /** `/payments/pay_…/captures` */
  readonly path: string;
  readonly body?: string;
  /** Sent as `Cko-Idempotency-Key`. */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

/** Sends authenticated calls to Checkout.com; see {@link createCheckoutHttp}. */
export interface CheckoutHttp {
  send(call: CheckoutCall): Promise<Result<TransportResponse, TransportFailure>>;
  close(): Promise<void>;
}

/**
 * Wraps a transport with Checkout.com's headers. The `Authorization` value is computed once
 * at construction and only ever written into request headers.
 *
 * @example
 * ```ts
 * const http = createCheckoutHttp(createTransport({ baseUrl }), 'Bearer sk_sbox_…');
 * await http.send({ method: 'GET', path: '/payments/pay_123/actions' });
 * ```
 */
export function createCheckoutHttp(transport: Transport, authorization: string): CheckoutHttp {
  return {
    send(call) {
      return transport.send({
        method: call.method,
        path: `${transport.basePath}${call.path}`,
        headers: {
          authorization,
          accept: 'application/json',
          ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(call.idempotencyKey !== undefined
            ? { 'cko-idempotency-key': call.idempotencyKey }
            : {}),
        },
        ...(call.body !== undefined ? { body: call.body } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
      });
    },
    close: () => transport.close(),
  };
}

/** Parses a response body as JSON; `undefined` when it is empty or not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The API path of one payment, with the id escaped. */
export function paymentPath(paymentId: string): string {
  return `/payments/${encodeURIComponent(paymentId)}`;
}

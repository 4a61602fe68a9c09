import type { Result } from 'neverthrow';
import type { ExchangeStop } from '../../provider-kit/exchange-stop.js';
import type {
  Transport,
  TransportFailure,
  TransportResponse,
} from '../../provider-kit/transport.js';
import { ADYEN_API_VERSION } from './settings.js';

/**
 * Sends authenticated calls to the Adyen Checkout API: `X-API-Key`, JSON, and the
 * `Idempotency-Key` header; the path gets `/v71` in front of it.
 *
 * @example
 * ```ts
 * const http = createAdyenHttp(transport, apiKey);
 * await http.post(`/payments/${psp}/captures`, body, 'order-5023-capture-1');
 * ```
 */
export interface AdyenHttp {
  post(
    path: string,
    body: string,
    idempotencyKey: string,
    stop?: ExchangeStop,
  ): Promise<Result<TransportResponse, TransportFailure>>;
  close(): Promise<void>;
}

/** Wraps a transport with Adyen's headers; see {@link AdyenHttp}. */
export function createAdyenHttp(transport: Transport, apiKey: string): AdyenHttp {
  return {
    post: (path, body, idempotencyKey, stop) =>
      transport.send({
        method: 'POST',
        path: `${transport.basePath}/${ADYEN_API_VERSION}${path}`,
        headers: {
          'x-api-key': apiKey,
          accept: 'application/json',
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body,
        ...stop,
      }),
    close: () => transport.close(),
  };
}

/** The API path of one payment's captures, with the pspReference escaped. */
export function capturesPath(paymentPspReference: string): string {
  return `/payments/${encodeURIComponent(paymentPspReference)}/captures`;
}

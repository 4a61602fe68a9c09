import { err, type Result } from 'neverthrow';
import { type CaptureError, captureError } from '../../core/errors.js';
import type { Mutable } from '../../core/mutable.js';
import type { ExchangeStop } from '../../provider-kit/exchange-stop.js';
import {
  type Transport,
  type TransportFailure,
  type TransportRequest,
  type TransportResponse,
  transportFailureToCaptureError,
} from '../../provider-kit/transport.js';
import {
  type CheckoutCredentials,
  type CheckoutTokenFailure,
  secretKeyCredentials,
} from './checkout-credentials.js';

/** One call to the Checkout.com API, with a path relative to the base URL. */
interface CheckoutCall {
  readonly method: 'GET' | 'POST';
  /** `/payments/pay_…/captures` */
  readonly path: string;
  readonly body?: string;
  /** Sent as `Cko-Idempotency-Key`. */
  readonly idempotencyKey?: string;
  /** The caller's abort and, for a capture, its dispatch deadline (`exchangeStop(request)`). */
  readonly stop?: ExchangeStop;
}

/** Why a call got no HTTP answer: the transport's reasons, or no access token (OAuth). */
type CheckoutSendFailure = TransportFailure | CheckoutTokenFailure;

/** Sends authenticated calls to Checkout.com; see {@link createCheckoutHttp}. */
export interface CheckoutHttp {
  /** `'checkout({ secretKey })'` or `'checkout({ oauth })'`, for messages. */
  readonly credentialSetting: string;
  send(call: CheckoutCall): Promise<Result<TransportResponse, CheckoutSendFailure>>;
  close(): Promise<void>;
}

/**
 * Wraps a transport with Checkout.com's headers. With a secret key the `Authorization` value
 * is fixed; with OAuth it is a cached token, and a 401 gets ONE retry with a fresh token —
 * the same bytes and the same `Cko-Idempotency-Key`. That retry is honest for a capture:
 * Checkout.com authenticates before it processes anything and caches only 2xx answers under
 * an idempotency key, so a 401 means nothing was captured and the key is still unused.
 *
 * @example
 * ```ts
 * const http = createCheckoutHttp(createTransport({ baseUrl }), 'Bearer sk_sbox_…');
 * await http.send({ method: 'GET', path: '/payments/pay_123/actions' });
 * ```
 */
export function createCheckoutHttp(
  transport: Transport,
  credentials: string | CheckoutCredentials,
): CheckoutHttp {
  const source = typeof credentials === 'string' ? secretKeyCredentials(credentials) : credentials;
  // The request and its headers are built field by field, in the order they always had,
  // instead of four conditional spreads per call (bench/FINDINGS.md, session 5).
  const sendWith = (call: CheckoutCall, authorization: string) => {
    const headers: Record<string, string> = { authorization, accept: 'application/json' };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey !== undefined) headers['cko-idempotency-key'] = call.idempotencyKey;
    const request: Mutable<TransportRequest> = {
      method: call.method,
      path: `${transport.basePath}${call.path}`,
      headers,
    };
    if (call.body !== undefined) request.body = call.body;
    const stop = call.stop;
    if (stop?.deadline !== undefined) request.deadline = stop.deadline;
    if (stop?.signal !== undefined) request.signal = stop.signal;
    return transport.send(request);
  };
  /** With a token: fetched (or cached) first, and ONE retry with a fresh one after a 401. */
  const sendWithToken = async (
    call: CheckoutCall,
  ): Promise<Result<TransportResponse, CheckoutSendFailure>> => {
    const first = await source.authorization(callerSignal(call));
    if (first.isErr()) return err(first.error);
    const answer = await sendWith(call, first.value);
    if (answer.isErr() || answer.value.status !== 401 || !source.rejected(first.value)) {
      return answer;
    }
    const second = await source.authorization(callerSignal(call));
    if (second.isErr()) return err(second.error);
    return sendWith(call, second.value);
  };
  const fixed = source.fixed;
  return {
    credentialSetting: source.setting,
    // A fixed key is never refreshed (`rejected()` is false for it): the transport's answer
    // is the answer, passed on without an async layer of this function's own.
    send: (call) => (fixed !== undefined ? sendWith(call, fixed) : sendWithToken(call)),
    async close() {
      await Promise.all([transport.close(), source.close()]);
    },
  };
}

/**
 * The neutral error for a call that got no answer. A token failure means the API call was
 * never sent: `not_attempted` for a capture, `unknown` for an inquiry (the inquiry learned
 * nothing; DESIGN §3). Transport failures keep {@link transportFailureToCaptureError}'s rules.
 *
 * @example
 * ```ts
 * const sent = await http.send({ method: 'GET', path: '/payments/pay_1/actions' });
 * if (sent.isErr()) return err(checkoutSendFailureToCaptureError(sent.error, 'resolve'));
 * ```
 */
export function checkoutSendFailureToCaptureError(
  failure: CheckoutSendFailure,
  operation: 'capture' | 'resolve',
): CaptureError {
  if (failure.stage !== 'token') {
    return transportFailureToCaptureError(failure, { kind: 'checkout', operation });
  }
  return captureError({
    code: failure.code,
    outcome: operation === 'capture' ? 'not_attempted' : 'unknown',
    retryable: operation === 'resolve' || failure.retryable,
    kind: 'checkout',
    message:
      operation === 'capture'
        ? failure.message
        : `${failure.message} The inquiry learned nothing about the capture; call resolve() again once a token can be had.`,
    ...(failure.httpStatus !== undefined ? { httpStatus: failure.httpStatus } : {}),
    ...(failure.providerCode !== undefined ? { providerCode: failure.providerCode } : {}),
    ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
  });
}

/** The API path of one payment, with the id escaped. */
export function paymentPath(paymentId: string): string {
  return `/payments/${encodeURIComponent(paymentId)}`;
}

/** The signal a token fetch honors: the caller's (the capture deadline bounds the capture itself). */
function callerSignal(call: CheckoutCall): AbortSignal | undefined {
  return call.stop?.signal ?? call.stop?.deadline?.signal;
}

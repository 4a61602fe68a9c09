/**
 * Which kind of provider call an HTTP request is: the capture itself, an inquiry about a
 * capture, or anything else (passed through untouched by class-bound faults).
 *
 * @example
 * ```ts
 * const kind: FaultProxyRequestClass = classifyProviderRequest({ method: 'GET', path: '/payments/pay_1/actions' });
 * kind; // 'inquiry'
 * ```
 */
export type FaultProxyRequestClass = 'capture' | 'inquiry' | 'other';

/**
 * What a classifier sees of a request: its method and its full path (query string included).
 *
 * @example
 * ```ts
 * const seen: FaultProxyRequestHead = { method: 'POST', path: '/ams/api/v1/payments/capture' };
 * classifyProviderRequest(seen); // 'capture'
 * ```
 */
export interface FaultProxyRequestHead {
  readonly method: string;
  readonly path: string;
}

/**
 * Tells the proxy which class a request belongs to. Return `undefined` to leave the
 * decision to {@link classifyProviderRequest}, so a new provider only describes its own paths.
 *
 * @example
 * ```ts
 * const classify: FaultProxyClassifier = ({ method, path }) =>
 *   method === 'POST' && path.endsWith('/v3/captures') ? 'capture' : undefined;
 * const proxy = await startFaultProxy({ target: sim.baseUrl, classify });
 * ```
 */
export type FaultProxyClassifier = (
  request: FaultProxyRequestHead,
) => FaultProxyRequestClass | undefined;

const CHECKOUT_PAYMENT = /^(?:\/[^/]+)*\/payments\/[^/]+$/;
const CHECKOUT_ACTIONS = /^(?:\/[^/]+)*\/payments\/[^/]+\/actions$/;
const CHECKOUT_CAPTURES = /^(?:\/[^/]+)*\/payments\/[^/]+\/captures$/;

/**
 * The classifier for the providers capture-kit ships: Antom and Alipay+ v2
 * (`POST …/payments/capture` vs `POST …/payments/inquiryPayment`) and Checkout.com
 * (`POST /payments/{id}/captures` vs `GET /payments/{id}/actions` and `GET /payments/{id}`).
 * Everything else (cancel, voids, unknown paths) is `'other'`.
 *
 * @example
 * ```ts
 * classifyProviderRequest({ method: 'POST', path: '/api/v2/payments/inquiryPayment' }); // 'inquiry'
 * classifyProviderRequest({ method: 'POST', path: '/payments/pay_1/captures' }); // 'capture'
 * ```
 */
export function classifyProviderRequest(request: FaultProxyRequestHead): FaultProxyRequestClass {
  const path = request.path.split('?')[0] ?? request.path;
  const method = request.method.toUpperCase();
  if (method === 'POST' && path.endsWith('/payments/capture')) return 'capture';
  if (method === 'POST' && path.endsWith('/payments/inquiryPayment')) return 'inquiry';
  if (method === 'POST' && CHECKOUT_CAPTURES.test(path)) return 'capture';
  if (method === 'GET' && (CHECKOUT_ACTIONS.test(path) || CHECKOUT_PAYMENT.test(path))) {
    return 'inquiry';
  }
  return 'other';
}

/**
 * Checkout.com adapter: `checkout({ secretKey, webhookSecret })`.
 *
 * @example
 * ```ts
 * import { createCaptureClient } from 'capture-kit';
 * import { checkout } from 'capture-kit/checkout';
 *
 * const client = createCaptureClient({
 *   providers: { cko: checkout({ secretKey: process.env.CKO_SECRET_KEY!, webhookSecret: process.env.CKO_WEBHOOK_SECRET! }) },
 * });
 * ```
 *
 * @module capture-kit/checkout
 * @packageDocumentation
 */

import type { CaptureProviderV1 } from '../../core/spec.js';
import { parsesWebhooksNow, type WebhookParserNow } from '../../core/webhook-parser-now.js';
import { createTransport } from '../../provider-kit/transport.js';
import { checkoutCapabilitiesFor } from './capabilities.js';
import { createCheckoutTokenSource } from './checkout-credentials.js';
import { CHECKOUT_CURRENCY_EXPONENTS } from './exponents.js';
import { createCheckoutHttp } from './http.js';
import { resolveCheckoutCapture } from './resolve-capture.js';
import { sendCheckoutCapture } from './send-capture.js';
import { type CheckoutSettings, resolveCheckoutSettings } from './settings.js';
import { CHECKOUT_WEBHOOK_ACK, parseCheckoutWebhook } from './webhook.js';

export { CHECKOUT_IDEMPOTENCY_METADATA_KEY } from './build-capture-body.js';
export {
  CHECKOUT_CAPTURE_WINDOW_DAYS,
  CHECKOUT_MAX_PARTIAL_ACTIONS,
  CHECKOUT_MULTI_CAPTURE_BRANDS,
  checkoutCapabilities,
} from './capabilities.js';
export {
  CHECKOUT_CURRENCY_EXPONENTS,
  CHECKOUT_MAX_AMOUNT,
  checkoutAmountProblem,
} from './exponents.js';
export {
  CHECKOUT_CODE_TABLE,
  type CheckoutCodeMapping,
  mapCheckoutDecline,
  mapCheckoutHttpError,
} from './map-checkout-result.js';
export { type CheckoutOptions, checkoutOptionsSchema } from './schemas.js';
export {
  type CheckoutOAuthSettings,
  type CheckoutSettings,
  checkoutAuthorization,
  checkoutBaseUrl,
  checkoutTokenUrl,
} from './settings.js';
export { signCheckoutWebhook, verifyCheckoutSignature } from './signing.js';

/**
 * Creates the Checkout.com adapter. Throws a `TypeError` naming the setting at fault when a
 * setting is unusable (a key that is not `sk_…`, both or neither of `secretKey` and `oauth`,
 * an empty `webhookSecret`, a bad `baseUrl`); after that it never throws.
 *
 * - Authentication: a secret key, or `oauth: { clientId, clientSecret }` (an access key): a
 *   bearer token from the access endpoint, cached, refreshed once on a 401 (the call is
 *   resent with the same `Cko-Idempotency-Key`), one token request for concurrent callers.
 *
 * - `capture()` → `POST /payments/{id}/captures` with `Cko-Idempotency-Key`; `202` is
 *   `Ok({ status: 'pending', captureId: action_id })`.
 * - `resolve()` → `GET /payments/{id}/actions`, matched by `captureId`, by the idempotency
 *   key the adapter sends in `metadata`, or by `reference` plus the amount.
 * - `parseWebhook()` verifies `Cko-Signature` and maps `payment_captured` /
 *   `payment_capture_declined`.
 *
 * @example
 * ```ts
 * const cko = checkout({
 *   secretKey: process.env.CKO_SECRET_KEY!,      // sk_sbox_… → sandbox
 *   webhookSecret: process.env.CKO_WEBHOOK_SECRET!,
 *   subdomainPrefix: '1a2b3c4d',
 * });
 * const client = createCaptureClient({ providers: { cko } });
 * const result = await client.capture({ provider: 'cko', paymentId: 'pay_…', reference: 'ORD-5023',
 *   context: { cardBrand: 'visa' } });
 *
 * // An access key instead of a secret key:
 * const ckoOAuth = checkout({
 *   oauth: { clientId: process.env.CKO_ACCESS_KEY_ID!, clientSecret: process.env.CKO_ACCESS_KEY_SECRET! },
 *   environment: 'sandbox',
 *   webhookSecret: process.env.CKO_WEBHOOK_SECRET!,
 * });
 * ```
 */
export function checkout(settings: CheckoutSettings): CaptureProviderV1 {
  const resolved = resolveCheckoutSettings(settings);
  const transport = createTransport({
    baseUrl: resolved.baseUrl,
    settingName: 'checkout({ baseUrl })',
    ...(resolved.timeoutMs !== undefined ? { timeoutMs: resolved.timeoutMs } : {}),
    ...(resolved.dispatcher !== undefined ? { dispatcher: resolved.dispatcher } : {}),
  });
  const http = createCheckoutHttp(
    transport,
    resolved.oauth
      ? createCheckoutTokenSource({
          oauth: resolved.oauth,
          ...(resolved.timeoutMs !== undefined ? { timeoutMs: resolved.timeoutMs } : {}),
          ...(resolved.dispatcher !== undefined ? { dispatcher: resolved.dispatcher } : {}),
        })
      : (resolved.authorization ?? ''),
  );
  const webhookSettings = {
    ...(resolved.webhookSecret !== undefined ? { webhookSecret: resolved.webhookSecret } : {}),
    ...(resolved.webhookAuthorization !== undefined
      ? { webhookAuthorization: resolved.webhookAuthorization }
      : {}),
  };
  const parseWebhook: WebhookParserNow = (request) =>
    parseCheckoutWebhook(request, webhookSettings);
  // The client calls parseWebhook directly (webhook-parser-now.ts); doParseWebhook is the
  // same parse for everyone else.
  return parsesWebhooksNow(
    {
      specificationVersion: 'v1',
      kind: 'checkout',
      // The whole capture: with OAuth a token request, the capture, and once more each after
      // a 401; each with the transport deadline.
      timeoutMs: (resolved.oauth ? 4 : 1) * (resolved.timeoutMs ?? 15_000),
      currencyExponents: CHECKOUT_CURRENCY_EXPONENTS,
      capabilities: checkoutCapabilitiesFor(resolved.multiCaptureBrands),
      doCapture: (request) => sendCheckoutCapture(http, request),
      doResolve: (request) => resolveCheckoutCapture(http, request),
      doParseWebhook: async (request) => parseWebhook(request),
      webhookAck: () => CHECKOUT_WEBHOOK_ACK,
      close: () => http.close(),
    },
    parseWebhook,
  );
}

/**
 * Adyen adapter (Checkout API v71): `adyen({ apiKey, merchantAccount, hmacKey, environment })`.
 *
 * @example
 * ```ts
 * import { createCaptureClient } from 'capture-kit';
 * import { adyen } from 'capture-kit/adyen';
 *
 * const client = createCaptureClient({
 *   providers: {
 *     adyen: adyen({ apiKey: process.env.ADYEN_API_KEY!, merchantAccount: 'ShopEU',
 *       hmacKey: process.env.ADYEN_HMAC_KEY!, environment: 'test' }),
 *   },
 * });
 * ```
 *
 * @module capture-kit/adyen
 * @packageDocumentation
 */
import { ok } from 'neverthrow';
import type { CaptureProviderV1 } from '../../core/spec.js';
import { createTransport } from '../../provider-kit/transport.js';
import { adyenCapabilities } from './capabilities.js';
import { createAdyenHttp } from './http.js';
import { resolveAdyenCapture } from './resolve-capture.js';
import { sendAdyenCapture } from './send-capture.js';
import { type AdyenSettings, resolveAdyenSettings } from './settings.js';
import { ADYEN_WEBHOOK_ACK, parseAdyenWebhook } from './webhook.js';

export { adyenCapabilities } from './capabilities.js';
export {
  ADYEN_CODE_TABLE,
  type AdyenCodeMapping,
  mapAdyenHttpError,
  mapAdyenWebhookFailure,
} from './map-adyen-result.js';
export { type AdyenOptions, adyenOptionsSchema } from './schemas.js';
export { ADYEN_API_VERSION, type AdyenSettings, adyenBaseUrl } from './settings.js';
export {
  type AdyenSignedFields,
  adyenSignedPayload,
  signAdyenNotification,
  verifyAdyenNotification,
} from './signing.js';
export { ADYEN_WEBHOOK_ACK, adyenEventId } from './webhook.js';

/**
 * Creates the Adyen adapter. Throws a `TypeError` naming the setting at fault when a setting
 * is unusable (a missing `apiKey` or `merchantAccount`, a non-hex `hmacKey`, `live` without
 * `liveUrlPrefix`, a `baseUrl` carrying a version, an unknown key); after that it never
 * throws.
 *
 * - `capture()` → `POST /v71/payments/{paymentPspReference}/captures` with `X-API-Key` and
 *   `Idempotency-Key`; `201 received` is `Ok({ status: 'pending', captureId: pspReference })`.
 *   The amount is required (or `authorizedAmount`, on an account with one capture per payment).
 * - `resolve()`: the Checkout API has no capture-status query. A capture whose pspReference
 *   is known is answered from the journal (pending until the webhook); one whose 201 was lost
 *   is re-sent identically with the same `Idempotency-Key`, whose `201` proves it received
 *   (`pending`), never `succeeded` and never `capture_not_found`.
 * - `parseWebhook()` / the handlers verify every `NotificationRequestItem` HMAC and map
 *   `CAPTURE` / `CAPTURE_FAILED`; a batch reaches `onEvent` item by item and is acknowledged
 *   once with `[accepted]`.
 *
 * @example
 * ```ts
 * const adyenLive = adyen({
 *   apiKey: process.env.ADYEN_API_KEY!,
 *   merchantAccount: 'ShopEU',
 *   hmacKey: process.env.ADYEN_HMAC_KEY!,
 *   environment: 'live',
 *   liveUrlPrefix: '1797a841fbb37ca7-AdyenDemo',
 *   multiplePartialCaptures: true, // only if Adyen enabled it on the merchant account
 * });
 * const client = createCaptureClient({ providers: { adyen: adyenLive } });
 * await client.capture({ provider: 'adyen', paymentId: 'K4RFR5Z4FRJ2SZV5',
 *   amount: { currency: 'EUR', value: 3500n }, reference: 'ORD-5023' });
 * ```
 */
export function adyen(settings: AdyenSettings): CaptureProviderV1 {
  const resolved = resolveAdyenSettings(settings);
  const transport = createTransport({
    baseUrl: resolved.baseUrl,
    settingName: 'adyen({ baseUrl })',
    ...(resolved.timeoutMs !== undefined ? { timeoutMs: resolved.timeoutMs } : {}),
    ...(resolved.dispatcher !== undefined ? { dispatcher: resolved.dispatcher } : {}),
  });
  const http = createAdyenHttp(transport, resolved.apiKey);
  const captureSettings = {
    merchantAccount: resolved.merchantAccount,
    multiplePartialCaptures: resolved.multiplePartialCaptures,
  };
  const webhookSettings = resolved.hmacKey !== undefined ? { hmacKey: resolved.hmacKey } : {};
  return {
    specificationVersion: 'v1',
    kind: 'adyen',
    timeoutMs: resolved.timeoutMs ?? 15_000,
    capabilities: (context) => adyenCapabilities(context, resolved.multiplePartialCaptures),
    doCapture: (request) => sendAdyenCapture(http, captureSettings, request),
    doResolve: (request) => resolveAdyenCapture(http, captureSettings, request),
    doParseWebhook: async (request) =>
      parseAdyenWebhook(request, webhookSettings).andThen((events) =>
        // The first capture event; the client's handlers use doParseWebhookBatch.
        ok(events[0] as (typeof events)[number]),
      ),
    doParseWebhookBatch: async (request) => parseAdyenWebhook(request, webhookSettings),
    webhookAck: () => ADYEN_WEBHOOK_ACK,
    close: () => http.close(),
  };
}

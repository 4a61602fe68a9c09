/**
 * Stripe adapter: `stripe({ secretKey, webhookSecret })`, capturing PaymentIntents
 * (`POST /v1/payment_intents/{id}/capture`), with multicapture through `final_capture`.
 *
 * @example
 * ```ts
 * import { createCaptureClient } from 'capture-kit';
 * import { stripe } from 'capture-kit/stripe';
 *
 * const client = createCaptureClient({
 *   providers: { stripe: stripe({ secretKey: process.env.STRIPE_SECRET_KEY!, webhookSecret: process.env.STRIPE_WEBHOOK_SECRET! }) },
 * });
 * ```
 *
 * @module capture-kit/stripe
 * @packageDocumentation
 */

import type { CaptureProviderV1 } from '../../core/spec.js';
import { parsesWebhooksNow, type WebhookParserNow } from '../../core/webhook-parser-now.js';
import { createTransport } from '../../provider-kit/transport.js';
import { stripeCapabilities } from './capabilities.js';
import type { StripeApi } from './http.js';
import { resolveStripeCapture } from './resolve-capture.js';
import { sendStripeCapture } from './send-capture.js';
import { checkStripeSettings, type StripeSettings } from './settings.js';
import { parseStripeWebhook, STRIPE_WEBHOOK_ACK } from './webhook.js';

export {
  formatStripeMarker,
  parseStripeMarker,
  type StripeMarker,
  stripeCaptureMarker,
  stripeMarkers,
} from './build-capture-body.js';
export {
  STRIPE_CAPTURE_WINDOW_DAYS,
  STRIPE_MULTICAPTURE_BRANDS,
  stripeCapabilities,
} from './capabilities.js';
export {
  lookupStripeError,
  mapStripeError,
  STRIPE_CODE_TABLE,
  type StripeCodeMapping,
} from './map-stripe-result.js';
export { type StripeOptions, stripeOptionsSchema } from './schemas.js';
export {
  STRIPE_API_VERSION,
  STRIPE_DEFAULT_BASE_URL,
  STRIPE_MAX_CAPTURES,
  STRIPE_WEBHOOK_TOLERANCE_SEC,
  type StripeSettings,
} from './settings.js';
export {
  type StripeSignatureProblem,
  signStripeWebhook,
  verifyStripeSignature,
} from './signing.js';
export { STRIPE_SETTLING_EVENT } from './webhook.js';

/**
 * Creates the Stripe adapter (kind `'stripe'`). Throws a `TypeError` naming the setting at
 * fault (a key that is not `sk_…`/`rk_…`, a `baseUrl` ending in `/v1`, an unknown setting);
 * after that it never throws.
 *
 * - `capture()` reads the PaymentIntent (currency, `amount_received`), then sends
 *   `POST /v1/payment_intents/{id}/capture` (form-encoded, `Idempotency-Key`, pinned
 *   `Stripe-Version`) with a marker in `metadata` naming the key; a 200 is
 *   `Ok(succeeded)` (also while a multicapture stays in `requires_capture`).
 * - `resolve()` reads the PaymentIntent and looks for the marker, never re-sending.
 * - `parseWebhook()` verifies `Stripe-Signature` and settles on `payment_intent.succeeded`.
 *
 * @example
 * ```ts
 * const client = createCaptureClient({ providers: { stripe: stripe({ secretKey, webhookSecret }) } });
 * await client.capture({ provider: 'stripe', paymentId: 'pi_…',
 *   amount: { currency: 'EUR', value: 3000n }, final: false, context: { cardBrand: 'visa' } });
 * ```
 */
export function stripe(settings: StripeSettings): CaptureProviderV1 {
  const checked = checkStripeSettings(settings);
  const transport = createTransport({
    baseUrl: checked.baseUrl,
    settingName: 'stripe({ baseUrl })',
    ...(checked.timeoutMs !== undefined ? { timeoutMs: checked.timeoutMs } : {}),
    ...(checked.dispatcher !== undefined ? { dispatcher: checked.dispatcher } : {}),
  });
  const api: StripeApi = {
    transport,
    secretKey: checked.secretKey,
    apiVersion: checked.apiVersion,
  };
  const capabilitySettings = {
    maxCaptures: checked.maxCaptures,
    webhooks: checked.webhookSecrets.length > 0,
  };
  const webhookSettings = {
    webhookSecrets: checked.webhookSecrets,
    toleranceSec: checked.webhookToleranceSec,
  };
  const parseWebhook: WebhookParserNow = (request) => parseStripeWebhook(request, webhookSettings);
  // The client calls parseWebhook directly (webhook-parser-now.ts); doParseWebhook is the
  // same parse for everyone else.
  return parsesWebhooksNow(
    {
      specificationVersion: 'v1',
      kind: 'stripe',
      // The read before the capture and the capture itself, each with the transport deadline.
      timeoutMs: 2 * (checked.timeoutMs ?? 15_000),
      capabilities: (context) => stripeCapabilities(context, capabilitySettings),
      doCapture: (request) => sendStripeCapture(api, checked.maxCaptures, request),
      doResolve: (request) => resolveStripeCapture(api, request),
      doParseWebhook: async (request) => parseWebhook(request),
      webhookAck: () => STRIPE_WEBHOOK_ACK,
      close: () => transport.close(),
    },
    parseWebhook,
  );
}

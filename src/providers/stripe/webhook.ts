import { err, ok, type Result } from 'neverthrow';
import type { WebhookError } from '../../core/errors.js';
import {
  headerValue,
  type ProviderCaptureEvent,
  type WebhookAck,
  type WebhookRequest,
} from '../../core/webhook-types.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { stripeMarkers } from './build-capture-body.js';
import { eventSchema, paymentIntentSchema, withoutClientSecret } from './schemas.js';
import { type StripeSignatureProblem, verifyStripeSignature } from './signing.js';

/** What the webhook parser needs from the settings. */
export interface StripeWebhookSettings {
  readonly webhookSecrets: readonly string[];
  readonly toleranceSec: number;
  /** Unix seconds now; the real clock unless a test gives one. */
  readonly nowSec?: () => number;
}

/**
 * The one event type that settles a capture (see the adapter README): sent when the final
 * capture completes.
 *
 * @example
 * ```ts
 * // Dashboard → Webhooks: subscribe the endpoint to at least this event.
 * const events = [STRIPE_SETTLING_EVENT]; // ['payment_intent.succeeded']
 * ```
 */
export const STRIPE_SETTLING_EVENT = 'payment_intent.succeeded';

/** Stripe retries a delivery until it gets a 2xx; the body is not read. */
export const STRIPE_WEBHOOK_ACK: WebhookAck = Object.freeze({
  status: 200,
  headers: Object.freeze({ 'content-type': 'application/json' }),
  body: '{"received":true}',
});

const PROBLEMS: Record<StripeSignatureProblem, string> = {
  missing:
    'The Stripe-Signature header is missing: the request did not come from Stripe, or a proxy removed the header.',
  malformed: 'The Stripe-Signature header has no t= timestamp or no v1= signature.',
  no_match:
    'No v1 signature in Stripe-Signature matches the body: check stripe({ webhookSecret }) (the endpoint’s whsec_… secret) and that the raw bytes reach parseWebhook unchanged.',
  outside_tolerance:
    'The Stripe-Signature timestamp is outside stripe({ webhookToleranceSec }) of now: a replayed or long-delayed delivery, or a wrong clock on this server.',
};

function refuse(code: WebhookError['code'], message: string, eventType?: string): WebhookError {
  return {
    code,
    message,
    kind: 'stripe',
    verified: code === 'event_ignored',
    ...(eventType !== undefined ? { eventType } : {}),
  };
}

/**
 * Verifies one Stripe delivery (`Stripe-Signature`: `t` and one or more `v1` HMAC-SHA256
 * over `<t>.<raw body>`, any configured secret, timestamp within the tolerance) and turns
 * it into a neutral event.
 *
 * Only `payment_intent.succeeded` settles a capture: it is sent once, when the final
 * capture completes, and its PaymentIntent carries the capture markers Stripe wrote in
 * the capturing call, so the final marker names the idempotency key exactly. A non-final
 * capture leaves the PaymentIntent in `requires_capture`; Stripe then sends
 * `payment_intent.amount_capturable_updated` and `charge.captured`/`charge.updated`, whose
 * objects show cumulative amounts and all markers but not which capture caused them, so
 * they are acknowledged and ignored (`event_ignored`); those captures are settled by their
 * synchronous answer and by `resolve()`. Stripe sends no event for a refused capture (the
 * refusal is the synchronous answer), so there is no `capture.failed`.
 *
 * The event id (`evt_…`) is the dedupe key; `captureId` is the final capture's marker.
 *
 * @example
 * ```ts
 * const parsed = parseStripeWebhook(request, { webhookSecrets: ['whsec_…'], toleranceSec: 300 });
 * parsed.map((event) => event.idempotencyKey);
 * ```
 */
export function parseStripeWebhook(
  request: WebhookRequest,
  settings: StripeWebhookSettings,
): Result<ProviderCaptureEvent, WebhookError> {
  if (settings.webhookSecrets.length === 0) {
    return err(
      refuse(
        'signature_invalid',
        "Cannot verify Stripe webhooks: configure stripe({ webhookSecret }) with the endpoint's signing secret (whsec_…).",
      ),
    );
  }
  const problem = verifyStripeSignature(
    request.rawBody,
    headerValue(request.headers, 'stripe-signature'),
    settings.webhookSecrets,
    settings.toleranceSec,
    settings.nowSec?.() ?? Math.floor(Date.now() / 1000),
  );
  if (problem) return err(refuse('signature_invalid', PROBLEMS[problem]));
  const body = readJsonBody(request.rawBody);
  const event = eventSchema.safeParse(body);
  if (!event.success) {
    return err(
      refuse(
        'invalid_payload',
        'The body is not a Stripe event (id, type, created, data.object), although its signature is valid.',
      ),
    );
  }
  const { id, type, created } = event.data;
  if (type !== STRIPE_SETTLING_EVENT) {
    return err(
      refuse(
        'event_ignored',
        `Event type ${type} does not settle a capture (only ${STRIPE_SETTLING_EVENT} does); acknowledged and ignored.`,
        type,
      ),
    );
  }
  const intent = paymentIntentSchema.safeParse(event.data.data.object);
  if (!intent.success) {
    return err(refuse('invalid_payload', `The ${type} event has no readable PaymentIntent.`, type));
  }
  const markers = [...stripeMarkers(intent.data.metadata)];
  const finals = markers.filter(([, marker]) => marker.final);
  const last = finals.length === 1 ? finals[0] : undefined;
  if (!last) {
    return err(
      refuse(
        'event_ignored',
        `PaymentIntent ${intent.data.id} succeeded without ${finals.length === 0 ? 'a final capture made through capture-kit' : 'a single final capture marker'}; nothing to settle.`,
        type,
      ),
    );
  }
  const [captureId, marker] = last;
  const currency = intent.data.currency.toUpperCase();
  const others = markers.filter(([name]) => name !== captureId).map(([, m]) => m.amount);
  const received = intent.data.amount_received;
  const amount =
    marker.amount ??
    (received != null && others.every((value) => value !== undefined)
      ? BigInt(received) - others.reduce<bigint>((sum, value) => sum + (value ?? 0n), 0n)
      : undefined);
  return ok({
    kind: 'stripe',
    id,
    type: 'capture.succeeded',
    paymentId: intent.data.id,
    captureId,
    idempotencyKey: marker.idempotencyKey,
    ...(amount !== undefined && amount >= 0n ? { amount: { currency, value: amount } } : {}),
    occurredAt: new Date(created * 1000).toISOString(),
    raw: withoutClientSecret(body),
  });
}

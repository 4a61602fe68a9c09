import {
  type CapabilityContext,
  type CaptureCapabilities,
  normalizeCardBrand,
} from '../../core/capabilities.js';

/**
 * Card brands for which Stripe offers multicapture (docs.stripe.com/payments/multicapture,
 * read 2026-12-01): American Express, Visa, Discover and Mastercard.
 *
 * @example
 * ```ts
 * STRIPE_MULTICAPTURE_BRANDS.includes('visa'); // true
 * ```
 */
export const STRIPE_MULTICAPTURE_BRANDS: readonly string[] = Object.freeze([
  'amex',
  'visa',
  'discover',
  'mastercard',
]);

/**
 * Uncaptured PaymentIntents are cancelled 7 days after creation by default (Stripe API
 * reference, Capture a PaymentIntent, read 2026-12-01); extended holds differ per brand.
 *
 * @example
 * ```ts
 * stripeCapabilities({}).captureWindowDays; // 7
 * ```
 */
export const STRIPE_CAPTURE_WINDOW_DAYS = 7;

/**
 * What Stripe allows for a payment: full and partial captures always; several captures
 * (`final: false` → `final_capture=false`) only on a PaymentIntent authorized with
 * multicapture, which only card payments of the brands in
 * {@link STRIPE_MULTICAPTURE_BRANDS} get. Pure: `maxCaptures` and `webhooks` come from
 * settings, the brand from the context. A brand that is not given does not block
 * `final: false` (the PaymentIntent says at capture time, and Stripe's refusal is mapped).
 *
 * @example
 * ```ts
 * stripeCapabilities({ cardBrand: 'jcb' }, { maxCaptures: 50, webhooks: true }).multipleCaptures; // false
 * ```
 */
export function stripeCapabilities(
  context: CapabilityContext,
  settings: { readonly maxCaptures: number; readonly webhooks: boolean },
): CaptureCapabilities {
  const brand = normalizeCardBrand(context.cardBrand);
  const card = context.paymentMethod === undefined || /^card/i.test(context.paymentMethod);
  const brandAllows = brand === undefined || STRIPE_MULTICAPTURE_BRANDS.includes(brand);
  const multiple = card && brandAllows && settings.maxCaptures > 1;
  const reasons: string[] = [];
  if (!card) {
    reasons.push(
      `multipleCaptures: Stripe's multicapture is for online card payments only, not ${context.paymentMethod}.`,
    );
  } else if (!brandAllows) {
    reasons.push(
      `multipleCaptures: Stripe offers multicapture for ${STRIPE_MULTICAPTURE_BRANDS.join(', ')} only, not ${brand}; capture once (final: true).`,
    );
  } else if (settings.maxCaptures <= 1) {
    reasons.push('multipleCaptures: stripe({ maxCaptures }) is 1.');
  } else {
    reasons.push(
      'multipleCaptures: only on a PaymentIntent authorized with payment_method_options.card.request_multicapture=if_available whose charge reports multicapture available; otherwise Stripe refuses final: false (multiple_captures_not_supported).',
    );
  }
  if (!settings.webhooks) {
    reasons.push(
      'webhooks: stripe({ webhookSecret }) is not set, so deliveries cannot be verified and are refused; results are synchronous anyway.',
    );
  }
  return {
    fullCapture: true,
    partialCapture: true,
    multipleCaptures: multiple,
    finalCaptureFlag: multiple,
    amountRequired: false,
    ...(multiple ? { maxCaptures: settings.maxCaptures } : {}),
    captureWindowDays: STRIPE_CAPTURE_WINDOW_DAYS,
    resultDelivery: 'synchronous',
    webhooks: settings.webhooks,
    reasons,
  };
}

import type { CapabilityContext, CaptureCapabilities } from '../../core/capabilities.js';

/**
 * What Adyen allows for one payment. Full and partial capture always, with the amount
 * required (the Checkout API has no "capture the rest" form and no payment lookup). Several
 * captures only when Adyen enabled multiple partial captures on the merchant account
 * (`multiplePartialCaptures`); otherwise Adyen cancels what a partial capture leaves, so
 * one capture per payment. No final-capture flag exists in the API. Results arrive
 * asynchronously: `201 received`, then a CAPTURE / CAPTURE_FAILED webhook. No capture
 * window is claimed: it depends on the card scheme and the account (see the README).
 *
 * @example
 * ```ts
 * adyenCapabilities({}, false).multipleCaptures; // false
 * adyenCapabilities({}, true).multipleCaptures;  // true
 * ```
 */
export function adyenCapabilities(
  _context: CapabilityContext = {},
  multiplePartialCaptures = false,
): CaptureCapabilities {
  const reasons: string[] = [
    'amount is required: the Adyen capture request has no "capture the rest" form and the Checkout API cannot look the authorized amount up; pass amount (and authorizedAmount to let preflight check it).',
    'no final-capture flag: Adyen has no such field; with multiple partial captures enabled, the payment stays open until fully captured or cancelled.',
  ];
  if (!multiplePartialCaptures) {
    reasons.push(
      'multiple captures are off: by default Adyen cancels the amount a partial capture leaves uncaptured. Ask Adyen to enable multiple partial captures on the merchant account, then set adyen({ multiplePartialCaptures: true }).',
    );
  }
  return {
    fullCapture: true,
    partialCapture: true,
    multipleCaptures: multiplePartialCaptures,
    finalCaptureFlag: false,
    amountRequired: true,
    ...(multiplePartialCaptures ? {} : { maxCaptures: 1 }),
    // No captureWindowDays: how long an Adyen authorization stays capturable depends on the
    // scheme and the merchant's settings; no single number is documented (README).
    resultDelivery: 'asynchronous',
    webhooks: true,
    reasons,
  };
}

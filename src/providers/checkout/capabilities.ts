import {
  type CapabilityContext,
  type CaptureCapabilities,
  normalizeCardBrand,
} from '../../core/capabilities.js';

/**
 * Card schemes for which Checkout.com accepts `capture_type: NonFinal`: the default of
 * `checkout({ multiCaptureBrands })`. Discover is included although Checkout.com's "Capture a
 * payment" page (June 2025) names only the other three: see the provider README for why.
 *
 * @example
 * ```ts
 * CHECKOUT_MULTI_CAPTURE_BRANDS.includes(normalizeCardBrand('MasterCard')!); // true
 * ```
 */
export const CHECKOUT_MULTI_CAPTURE_BRANDS: readonly string[] = [
  'visa',
  'mastercard',
  'amex',
  'discover',
];

/**
 * At most 150 partial actions (captures plus refunds) per payment.
 *
 * @example
 * ```ts
 * if (capturesSoFar >= CHECKOUT_MAX_PARTIAL_ACTIONS) console.log('send final: true');
 * ```
 */
export const CHECKOUT_MAX_PARTIAL_ACTIONS = 150;

/**
 * Authorizations not captured within 7 days are voided.
 *
 * @example
 * ```ts
 * const deadline = authorizedAt + CHECKOUT_CAPTURE_WINDOW_DAYS * 24 * 60 * 60 * 1000;
 * ```
 */
export const CHECKOUT_CAPTURE_WINDOW_DAYS = 7;

const BRAND_NAMES: ReadonlyMap<string, string> = new Map([
  ['visa', 'Visa'],
  ['mastercard', 'Mastercard'],
  ['amex', 'American Express'],
  ['discover', 'Discover'],
]);

/** `Visa, Mastercard, American Express and Discover`, or what `checkout({ multiCaptureBrands })` says. */
function brandList(brands: readonly string[]): string {
  if (brands.length === 0) return 'no card brand (checkout({ multiCaptureBrands }) is empty)';
  const names = brands.map((brand) => BRAND_NAMES.get(brand) ?? brand);
  return names.length === 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * What Checkout.com allows for one payment: full and partial capture always; several
 * captures (`final: false` → `capture_type: NonFinal`) only for the card brands in
 * `multiCaptureBrands` (default Visa, Mastercard, American Express and Discover), at most 150
 * partial actions; 7 days to capture; results arrive asynchronously (202, then a webhook).
 * Without `context.cardBrand` the multi-capture flags are `false` and listed in
 * `undetermined`: preflight lets `final: false` through, and Checkout.com's answer decides.
 *
 * @example
 * ```ts
 * checkoutCapabilities({ cardBrand: 'Visa' }).multipleCaptures; // true
 * checkoutCapabilities({ cardBrand: 'jcb' }).reasons; // ['multiple captures … jcb …']
 * checkoutCapabilities({ cardBrand: 'discover' }, ['visa', 'mastercard', 'amex']).multipleCaptures; // false
 * ```
 */
export function checkoutCapabilities(
  context: CapabilityContext = {},
  multiCaptureBrands: readonly string[] = CHECKOUT_MULTI_CAPTURE_BRANDS,
): CaptureCapabilities {
  return capabilitiesFor(normalizeCardBrand(context.cardBrand), multiCaptureBrands);
}

/**
 * {@link checkoutCapabilities} for one adapter, remembered per brand: the adapter is asked on
 * every capture and the answer depends only on the brand. The brand list is copied at
 * construction, so a caller editing its own array later changes nothing here; answers are
 * frozen, so no caller can change what the next one reads. Bounded: after 64 distinct brands
 * new ones are worked out each time. `undefined` (no brand given) is its own key: a brand
 * that normalizes to '' ('-', ' ') is a brand that allows one capture, not an unknown one.
 *
 * @example
 * ```ts
 * const capabilities = checkoutCapabilitiesFor(['visa', 'mastercard']);
 * capabilities({ cardBrand: 'Visa' }).multipleCaptures; // true
 * ```
 */
export function checkoutCapabilitiesFor(
  multiCaptureBrands: readonly string[],
): (context?: CapabilityContext) => CaptureCapabilities {
  const brands = Object.freeze([...multiCaptureBrands]);
  const known = new Map<string | undefined, CaptureCapabilities>();
  return (context = {}) => {
    const brand = normalizeCardBrand(context.cardBrand);
    const cached = known.get(brand);
    if (cached) return cached;
    const fresh = deepFreeze(capabilitiesFor(brand, brands));
    if (known.size < MAX_CACHED_BRANDS) known.set(brand, fresh);
    return fresh;
  };
}

const MAX_CACHED_BRANDS = 64;

function deepFreeze(caps: CaptureCapabilities): CaptureCapabilities {
  Object.freeze(caps.reasons);
  if (caps.undetermined) Object.freeze(caps.undetermined);
  return Object.freeze(caps);
}

function capabilitiesFor(
  brand: string | undefined,
  multiCaptureBrands: readonly string[],
): CaptureCapabilities {
  const multi = brand !== undefined && multiCaptureBrands.includes(brand);
  const brands = brandList(multiCaptureBrands);
  const reasons: string[] = [];
  if (brand === undefined) {
    reasons.push(
      `unknown card brand: pass context.cardBrand to know ahead. Checkout.com allows multiple captures (capture_type NonFinal, the final capture flag) only for ${brands}; without the brand, final: false is sent and Checkout.com answers.`,
    );
  } else if (!multi) {
    reasons.push(
      `multiple captures (capture_type NonFinal, the final capture flag) are only available for ${brands}; a ${brand} payment allows one capture (full or partial).`,
    );
  }
  return {
    fullCapture: true,
    partialCapture: true,
    multipleCaptures: multi,
    finalCaptureFlag: multi,
    amountRequired: false,
    // Unknown brand: the limit is unknown too (150 or 1), so none is claimed.
    ...(brand === undefined ? {} : { maxCaptures: multi ? CHECKOUT_MAX_PARTIAL_ACTIONS : 1 }),
    captureWindowDays: CHECKOUT_CAPTURE_WINDOW_DAYS,
    resultDelivery: 'asynchronous',
    webhooks: true,
    reasons,
    ...(brand === undefined
      ? { undetermined: ['multipleCaptures', 'finalCaptureFlag'] as const }
      : {}),
  };
}

import type { CapabilityContext, CaptureCapabilities } from '../../core/capabilities.js';

/**
 * What the merchant's Antom contract allows beyond Antom's documented default (full capture
 * only). Only turn these on when Antom confirmed them for your account.
 *
 * @example
 * ```ts
 * antom({ clientId, privateKey, antomPublicKey, contract: { partialCapture: true, multipleCaptures: true } });
 * ```
 */
export interface AntomContract {
  /** Captures of less than the authorized amount. Default false. */
  readonly partialCapture?: boolean;
  /** More than one capture per authorization (sends `isLastCapture`). Default false. */
  readonly multipleCaptures?: boolean;
}

const FULL_ONLY_REASON =
  'partialCapture is off: Antom\'s capture guide says "only full capture is supported; partial capture is not supported" (the capture amount must equal the authorized amount). If your Antom contract allows partial capture, set antom({ contract: { partialCapture: true } }).';
const US_CARD_REASON =
  'partialCapture is off for this payment: Antom requires cards issued in the US (issuerCountry US) to be captured in full.';
const MULTIPLE_REASON =
  'multipleCaptures is off: Antom allows one capture per authorization by default (MULTI_CAPTURE_NOT_SUPPORTED). If your Antom contract allows several, set antom({ contract: { multipleCaptures: true } }).';
const MULTIPLE_NEEDS_PARTIAL_REASON =
  'multipleCaptures is off for this payment: several captures each take part of the amount, and this payment must be captured in full.';
const FINAL_FLAG_REASON =
  'finalCaptureFlag is off: the last-capture flag (isLastCapture) is only sent when multiple captures are on; a single capture always closes the authorization.';
const KR_CARD_REASON =
  'Note: South Korean issuer-authenticated cards support automatic capture by Antom only. If this payment was issuer-authenticated, do not call capture(): wait for notifyCapture or check resolve().';

function isCardPayment(context: CapabilityContext): boolean {
  if (context.cardBrand !== undefined) return true;
  // Antom's card method type is CARD; an unknown method with an issuer country is a card too.
  if (context.paymentMethod === undefined) return context.issuerCountry !== undefined;
  return /CARD/i.test(context.paymentMethod);
}

/**
 * Antom's capabilities for one payment: full capture only unless `contract` says otherwise;
 * US-issued cards always full; the amount is required (the adapter reads it with
 * `inquiryPayment` when the caller omits it); 7-day window; synchronous result plus
 * `notifyCapture`.
 *
 * @example
 * ```ts
 * antomCapabilities({ issuerCountry: 'US', paymentMethod: 'CARD' }, { partialCapture: true }).partialCapture; // false
 * ```
 */
export function antomCapabilities(
  context: CapabilityContext,
  contract: AntomContract = {},
): CaptureCapabilities {
  const reasons: string[] = [];
  const card = isCardPayment(context);
  const country = context.issuerCountry?.toUpperCase();

  let partialCapture = contract.partialCapture === true;
  if (!partialCapture) reasons.push(FULL_ONLY_REASON);
  else if (card && country === 'US') {
    partialCapture = false;
    reasons.push(US_CARD_REASON);
  }

  let multipleCaptures = contract.multipleCaptures === true;
  if (!multipleCaptures) reasons.push(MULTIPLE_REASON);
  else if (!partialCapture) {
    multipleCaptures = false;
    reasons.push(MULTIPLE_NEEDS_PARTIAL_REASON);
  }
  if (!multipleCaptures) reasons.push(FINAL_FLAG_REASON);
  if (card && country === 'KR') reasons.push(KR_CARD_REASON);

  return {
    fullCapture: true,
    partialCapture,
    multipleCaptures,
    finalCaptureFlag: multipleCaptures,
    amountRequired: true,
    captureWindowDays: 7,
    resultDelivery: 'synchronous',
    webhooks: true,
    reasons,
  };
}

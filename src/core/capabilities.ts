import { err, ok, type Result } from 'neverthrow';
import { type CaptureError, captureError } from './errors.js';
import type { Money } from './money.js';

/**
 * What a provider allows for one payment, answered before any capture is sent.
 *
 * @example
 * ```ts
 * const caps = client.capabilities('cko', { cardBrand: 'visa' });
 * if (!caps.multipleCaptures) console.log(caps.reasons.join('\n'));
 * ```
 */
export interface CaptureCapabilities {
  /** A capture of the whole authorized amount. */
  readonly fullCapture: boolean;
  /** A capture of less than the authorized amount. */
  readonly partialCapture: boolean;
  /** More than one capture against one authorization (`final: false`). */
  readonly multipleCaptures: boolean;
  /** The caller can say "this is the last capture" and release the remainder. */
  readonly finalCaptureFlag: boolean;
  /** The provider needs an explicit amount (the adapter may look it up when omitted). */
  readonly amountRequired: boolean;
  /** Most capture-type actions one payment allows, when the provider has a limit. */
  readonly maxCaptures?: number;
  /** Days after authorization in which a capture is accepted. */
  readonly captureWindowDays?: number;
  /** `asynchronous`: the provider accepts now and reports the result later (webhook). */
  readonly resultDelivery: 'synchronous' | 'asynchronous';
  /** The provider sends capture webhooks this library can verify. */
  readonly webhooks: boolean;
  /** Why a flag is off, in words a person can act on. Empty when everything is on. */
  readonly reasons: readonly string[];
  /**
   * Flags reported `false` only because a fact they depend on was not given (Checkout.com's
   * `multipleCaptures` without `context.cardBrand`). Preflight refuses only what it knows
   * (DESIGN §4): a request needing one of these is sent, and the provider's answer mapped.
   * Absent or empty when every flag is known.
   */
  readonly undetermined?: readonly UndeterminedCapability[];
}

/**
 * A capability flag that can depend on a fact about the payment.
 *
 * @example
 * ```ts
 * const caps = client.capabilities('cko'); // no cardBrand given
 * const unknown: readonly UndeterminedCapability[] = caps.undetermined ?? []; // ['multipleCaptures', 'finalCaptureFlag']
 * ```
 */
export type UndeterminedCapability = 'partialCapture' | 'multipleCaptures' | 'finalCaptureFlag';

/**
 * Facts about the payment that change what a provider allows. Every field is optional;
 * an adapter answers conservatively when a fact it needs is missing.
 *
 * @example
 * ```ts
 * const ctx: CapabilityContext = { cardBrand: 'Mastercard', issuerCountry: 'US' };
 * ```
 */
export interface CapabilityContext {
  /** Payment method type, e.g. `'CARD'`, `'ALIPAY_CN'`, `'GCASH'`. */
  readonly paymentMethod?: string;
  /** Card scheme: `'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'unionpay' | …`, any case. */
  readonly cardBrand?: string;
  /** ISO 3166-1 alpha-2 country of the card issuer. */
  readonly issuerCountry?: string;
  /** ISO 4217 currency of the payment. */
  readonly currency?: string;
}

// A Map, not an object literal: a brand such as 'constructor' must not find Object.prototype.
const CARD_BRAND_ALIASES: ReadonlyMap<string, string> = new Map([
  ['americanexpress', 'amex'],
  ['mc', 'mastercard'],
  ['cup', 'unionpay'],
  ['chinaunionpay', 'unionpay'],
  ['discovercard', 'discover'],
]);

/**
 * Normalizes a card brand for comparison (`'MasterCard'`, `'master_card'` → `'mastercard'`).
 *
 * @example
 * ```ts
 * normalizeCardBrand('American Express'); // 'amex'
 * normalizeCardBrand('CUP');              // 'unionpay'
 * ```
 */
export function normalizeCardBrand(brand: string | undefined): string | undefined {
  if (brand === undefined) return undefined;
  const key = brand.toLowerCase().replace(/[\s_-]+/g, '');
  return CARD_BRAND_ALIASES.get(key) ?? key;
}

/**
 * The parts of a capture request the preflight looks at.
 *
 * @example
 * ```ts
 * const request: PreflightRequest = {
 *   final: true,
 *   amount: { currency: 'EUR', value: 5000n },
 *   authorizedAmount: { currency: 'EUR', value: 3500n },
 * };
 * preflight(request, caps); // Err: code 'amount_exceeds_authorized', outcome 'not_attempted'
 * ```
 */
export interface PreflightRequest {
  readonly amount?: Money;
  readonly final: boolean;
  readonly authorizedAmount?: Money;
}

/**
 * Checks a request against capabilities before anything is sent. Every refusal has
 * `outcome: 'not_attempted'` and a message that says what to change. A flag listed in
 * `caps.undetermined` never refuses: the provider decides.
 *
 * @example
 * ```ts
 * const verdict = preflight({ final: false, amount }, caps);
 * if (verdict.isErr()) console.log(verdict.error.code); // 'unsupported'
 * ```
 */
export function preflight(
  request: PreflightRequest,
  caps: CaptureCapabilities,
): Result<void, CaptureError> {
  const why = (flag: string) => {
    const reason = caps.reasons.find((r) => r.toLowerCase().includes(flag));
    return reason ? ` ${reason}` : '';
  };
  const unknown = (flag: UndeterminedCapability) => caps.undetermined?.includes(flag) === true;
  if (!request.final && !caps.multipleCaptures && !unknown('multipleCaptures')) {
    return err(
      captureError({
        code: 'unsupported',
        outcome: 'not_attempted',
        message: `final: false asks for more captures later, but this payment allows only one capture.${why('multiple')} Send final: true (the default).`,
      }),
    );
  }
  const { amount, authorizedAmount } = request;
  if (amount && authorizedAmount) {
    if (amount.currency !== authorizedAmount.currency) {
      return err(
        captureError({
          code: 'currency_mismatch',
          outcome: 'not_attempted',
          message: `amount.currency ${amount.currency} differs from authorizedAmount.currency ${authorizedAmount.currency}: capture in the authorized currency.`,
        }),
      );
    }
    if (amount.value > authorizedAmount.value) {
      return err(
        captureError({
          code: 'amount_exceeds_authorized',
          outcome: 'not_attempted',
          message: `amount.value ${amount.value} is more than the authorized ${authorizedAmount.value} ${amount.currency}: lower amount.value.`,
        }),
      );
    }
    if (
      amount.value < authorizedAmount.value &&
      !caps.partialCapture &&
      !unknown('partialCapture')
    ) {
      return err(
        captureError({
          code: 'unsupported',
          outcome: 'not_attempted',
          message: `amount.value ${amount.value} is less than the authorized ${authorizedAmount.value} ${amount.currency}, and this payment allows full capture only.${why('partial')} Capture the full amount or omit amount.`,
        }),
      );
    }
  }
  if (!caps.fullCapture && !caps.partialCapture) {
    return err(
      captureError({
        code: 'unsupported',
        outcome: 'not_attempted',
        message: `This payment cannot be captured manually.${why('capture')}`,
      }),
    );
  }
  return ok(undefined);
}

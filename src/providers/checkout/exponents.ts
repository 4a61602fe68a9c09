import type { ExponentTable, Money } from '../../core/money.js';

const ZERO_DECIMAL = [
  'BIF',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'VUV',
  'VND',
  'XAF',
  'XOF',
  'XPF',
] as const;

const THREE_DECIMAL = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'] as const;

/**
 * Checkout.com's currency exponents, layered on ISO 4217. Checkout.com lists its zero- and
 * three-decimal currencies and says "everything else: two decimals", so the codes where ISO
 * 4217 says otherwise (CLP and UYI have 0, CLF and UYW have 4) are set to 2 here.
 * CLP is ASSUMED: Checkout.com's page carries a special note for it that we could not read
 * in full; correct this one entry if your account is told otherwise.
 *
 * @example
 * ```ts
 * CHECKOUT_CURRENCY_EXPONENTS.JPY; // 0
 * CHECKOUT_CURRENCY_EXPONENTS.KWD; // 3
 * CHECKOUT_CURRENCY_EXPONENTS.CLP; // 2
 * ```
 */
export const CHECKOUT_CURRENCY_EXPONENTS: ExponentTable = Object.freeze({
  ...Object.fromEntries(ZERO_DECIMAL.map((code) => [code, 0])),
  ...Object.fromEntries(THREE_DECIMAL.map((code) => [code, 3])),
  CLP: 2,
  UYI: 2,
  CLF: 2,
  UYW: 2,
});

/**
 * The largest amount Checkout.com accepts: at most 9 digits.
 *
 * @example
 * ```ts
 * amount.value <= CHECKOUT_MAX_AMOUNT; // else split the capture
 * ```
 */
export const CHECKOUT_MAX_AMOUNT = 999_999_999n;

/**
 * Checks an amount against Checkout.com's own rules before anything is sent: more than 0,
 * at most 9 digits, and for three-decimal currencies a last digit of 0.
 *
 * @returns `undefined` when the amount is acceptable, else a sentence naming the field.
 * @example
 * ```ts
 * checkoutAmountProblem({ currency: 'KWD', value: 1005n }); // 'amount.value 1005 KWD must end in 0 …'
 * checkoutAmountProblem({ currency: 'EUR', value: 3500n }); // undefined
 * ```
 */
export function checkoutAmountProblem(amount: Money): string | undefined {
  if (amount.value <= 0n) return 'amount.value must be greater than 0.';
  if (amount.value > CHECKOUT_MAX_AMOUNT) {
    return `amount.value ${amount.value} has more than 9 digits, the most Checkout.com accepts: capture at most ${CHECKOUT_MAX_AMOUNT} minor units per call.`;
  }
  if ((THREE_DECIMAL as readonly string[]).includes(amount.currency) && amount.value % 10n !== 0n) {
    return `amount.value ${amount.value} ${amount.currency} must end in 0: Checkout.com takes three-decimal currencies in steps of 10 minor units (e.g. ${(amount.value / 10n) * 10n}).`;
  }
  return undefined;
}

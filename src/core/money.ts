import { err, ok, type Result } from 'neverthrow';
import { ISO_4217_EXPONENTS, ISO_4217_WITHOUT_MINOR_UNIT } from './currency-exponents.js';

/**
 * An amount of money in the currency's smallest unit. `value` is always a `bigint`, so no
 * float ever touches an amount.
 *
 * @example
 * ```ts
 * const price: Money = { currency: 'EUR', value: 3500n }; // EUR 35.00
 * ```
 */
export interface Money {
  /** ISO 4217 alphabetic code, upper case (`'EUR'`). */
  readonly currency: string;
  /** Amount in minor units (cents for EUR, yen for JPY). Never negative. */
  readonly value: bigint;
}

/**
 * What the public API accepts for an amount's value: a `bigint`, a safe integer `number`,
 * or a string of decimal digits. Everything is converted to `bigint` at the boundary.
 *
 * @example
 * ```ts
 * const values: AmountValueInput[] = [1050n, 1050, '1050']; // three ways to write USD 10.50
 * ```
 */
export type AmountValueInput = bigint | number | string;

/**
 * A money amount as callers may write it.
 *
 * @example
 * ```ts
 * const a: MoneyInput = { currency: 'JPY', value: 1200 };
 * const b: MoneyInput = { currency: 'USD', value: '1050' };
 * ```
 */
export interface MoneyInput {
  readonly currency: string;
  readonly value: AmountValueInput;
}

/**
 * Currency exponents that replace the ISO 4217 default for one provider. Keys are
 * currency codes; values are the number of minor-unit digits.
 *
 * @example
 * ```ts
 * const overrides: ExponentTable = { ISK: 2 };
 * currencyExponent('ISK', overrides); // 2 (ISO 4217 says 0)
 * ```
 */
export type ExponentTable = Readonly<Record<string, number>>;

const DIGITS = /^[0-9]+$/;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * Parses an amount in minor units. Accepts a non-negative `bigint`, a non-negative safe
 * integer `number`, or a string of ASCII digits; rejects negatives, fractions, `NaN`,
 * infinities, exponent notation (`'1e3'`), signs, whitespace and the empty string.
 *
 * @returns `Ok(bigint)` or `Err(reason)` where `reason` is a sentence a person can act on.
 * @example
 * ```ts
 * parseMinorUnits('1050'); // Ok(1050n)
 * parseMinorUnits(10.5);   // Err('must be a whole number of minor units …')
 * ```
 */
export function parseMinorUnits(value: unknown): Result<bigint, string> {
  if (typeof value === 'bigint') {
    return value < 0n ? err('must not be negative') : ok(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return err('must be a finite number');
    if (!Number.isInteger(value)) {
      return err('must be a whole number of minor units (e.g. 1050 for 10.50), not a fraction');
    }
    if (!Number.isSafeInteger(value)) {
      return err('is larger than a safe integer: pass it as a bigint or a digit string');
    }
    if (value < 0) return err('must not be negative');
    return ok(BigInt(value));
  }
  if (typeof value === 'string') {
    if (value.length === 0) return err('must not be empty');
    if (!DIGITS.test(value)) {
      return err(`must contain only the digits 0-9 (got ${JSON.stringify(value.slice(0, 32))})`);
    }
    return ok(BigInt(value));
  }
  return err(`must be a bigint, a safe integer or a digit string (got ${typeof value})`);
}

/**
 * Formats minor units the way the Alipay-family wire protocols want them: a plain digit
 * string with no sign, separators or exponent. The inverse of {@link parseMinorUnits}.
 *
 * @example
 * ```ts
 * formatMinorUnits(1050n); // '1050'
 * ```
 */
export function formatMinorUnits(value: bigint): string {
  if (value < 0n) throw new RangeError('formatMinorUnits: value must not be negative');
  return value.toString(10);
}

/**
 * Looks up how many minor-unit digits a currency has: the provider's override first, then
 * ISO 4217. `undefined` for an unknown code or one without a minor unit.
 *
 * @example
 * ```ts
 * currencyExponent('JPY');            // 0
 * currencyExponent('KWD');            // 3
 * currencyExponent('ISK', { ISK: 2 }); // 2
 * ```
 */
export function currencyExponent(currency: string, overrides?: ExponentTable): number | undefined {
  // Own properties only: `currency` may be any string, and 'constructor' must not find Object.
  const fromOverride =
    overrides && Object.hasOwn(overrides, currency) ? overrides[currency] : undefined;
  if (fromOverride !== undefined) return fromOverride;
  return Object.hasOwn(ISO_4217_EXPONENTS, currency) ? ISO_4217_EXPONENTS[currency] : undefined;
}

/**
 * Checks that a currency code is one this library can capture in: three upper-case letters
 * with a known exponent (ISO 4217 or the provider's override).
 *
 * @returns `Ok(exponent)` or `Err(reason)`.
 *
 * @example
 * ```ts
 * checkCurrency('EUR'); // Ok(2)
 * checkCurrency('eur'); // Err('must be a three-letter upper-case ISO 4217 code such as "EUR" …')
 * checkCurrency('XAU'); // Err('XAU has no minor unit in ISO 4217 and cannot be captured')
 * ```
 */
export function checkCurrency(
  currency: unknown,
  overrides?: ExponentTable,
): Result<number, string> {
  if (typeof currency !== 'string' || !CURRENCY.test(currency)) {
    return err(
      `must be a three-letter upper-case ISO 4217 code such as "EUR" (got ${JSON.stringify(currency)})`,
    );
  }
  if (ISO_4217_WITHOUT_MINOR_UNIT.has(currency) && overrides?.[currency] === undefined) {
    return err(`${currency} has no minor unit in ISO 4217 and cannot be captured`);
  }
  const exponent = currencyExponent(currency, overrides);
  if (exponent === undefined) {
    return err(`${currency} is not an active ISO 4217 currency code`);
  }
  return ok(exponent);
}

/**
 * Validates and normalizes a {@link MoneyInput} into {@link Money}.
 *
 * @example
 * ```ts
 * toMoney({ currency: 'EUR', value: '3500' }); // Ok({ currency: 'EUR', value: 3500n })
 * ```
 */
export function toMoney(input: MoneyInput, overrides?: ExponentTable): Result<Money, string> {
  const currency = checkCurrency(input.currency, overrides);
  if (currency.isErr()) return err(`currency ${currency.error}`);
  const value = parseMinorUnits(input.value);
  if (value.isErr()) return err(`value ${value.error}`);
  return ok({ currency: input.currency, value: value.value });
}

/**
 * Thrown by {@link fromMajor} and {@link toMajor} for input they cannot convert.
 *
 * @example
 * ```ts
 * try {
 *   fromMajor('USD', '10.505');
 * } catch (error) {
 *   // 'fromMajor: USD has 2 decimal place(s); "10.505" has 3'
 *   if (error instanceof MoneyFormatError) console.log(error.message);
 * }
 * ```
 */
export class MoneyFormatError extends Error {
  override readonly name = 'MoneyFormatError';
}

/**
 * Converts a major-unit decimal string (what people write: `'10.50'`) to minor units using
 * the currency's exponent. Exact: the string is never turned into a float. Throws
 * {@link MoneyFormatError} when the string has more decimals than the currency allows or
 * is not a plain non-negative decimal.
 *
 * @example
 * ```ts
 * fromMajor('USD', '10.50'); // 1050n
 * fromMajor('JPY', '1200');  // 1200n
 * fromMajor('KWD', '1.5');   // 1500n
 * ```
 */
export function fromMajor(currency: string, major: string, overrides?: ExponentTable): bigint {
  const exponent = checkCurrency(currency, overrides);
  if (exponent.isErr()) throw new MoneyFormatError(`fromMajor: currency ${exponent.error}`);
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(major);
  if (!match) {
    throw new MoneyFormatError(
      `fromMajor: ${JSON.stringify(major)} is not a plain non-negative decimal such as "10.50"`,
    );
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > exponent.value) {
    throw new MoneyFormatError(
      `fromMajor: ${currency} has ${exponent.value} decimal place(s); ${JSON.stringify(major)} has ${fraction.length}`,
    );
  }
  return BigInt(whole + fraction.padEnd(exponent.value, '0'));
}

/**
 * Converts minor units back to a major-unit decimal string with exactly the currency's
 * number of decimals. The inverse of {@link fromMajor}.
 *
 * @example
 * ```ts
 * toMajor({ currency: 'USD', value: 1050n }); // '10.50'
 * toMajor({ currency: 'JPY', value: 1200n }); // '1200'
 * ```
 */
export function toMajor(money: Money, overrides?: ExponentTable): string {
  const exponent = checkCurrency(money.currency, overrides);
  if (exponent.isErr()) throw new MoneyFormatError(`toMajor: currency ${exponent.error}`);
  if (money.value < 0n) throw new MoneyFormatError('toMajor: value must not be negative');
  const digits = money.value.toString(10).padStart(exponent.value + 1, '0');
  if (exponent.value === 0) return digits;
  const cut = digits.length - exponent.value;
  return `${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * Rounds an IDR amount (minor units) to a multiple of 100 with banker's rounding (ties go
 * to the even hundred), as Antom requires: "round the amount with banker's rounding and fix
 * the last two digits as 00".
 *
 * @example
 * ```ts
 * import { roundIdr } from 'capture-kit/antom';
 *
 * roundIdr(1234550n); // 1234600n (tie, 12345 is odd → up)
 * roundIdr(1234450n); // 1234400n (tie, 12344 is even → down)
 * roundIdr(1234449n); // 1234400n
 * ```
 */
export function roundIdr(value: bigint): bigint {
  if (value < 0n) throw new RangeError('roundIdr: value must not be negative');
  const hundreds = value / 100n;
  const rest = value % 100n;
  if (rest > 50n || (rest === 50n && hundreds % 2n === 1n)) return (hundreds + 1n) * 100n;
  return hundreds * 100n;
}

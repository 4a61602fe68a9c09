import { err, ok, type Result } from 'neverthrow';
import { formatMinorUnits, type Money, parseMinorUnits } from '../../core/money.js';

/** Antom's wire form of an amount: both fields are strings, `value` in minor units. */
interface AntomAmount {
  readonly currency: string;
  readonly value: string;
}

/**
 * Converts {@link Money} to Antom's `{ currency, value }` with `value` as a digit string.
 *
 * @example
 * ```ts
 * toAntomAmount({ currency: 'USD', value: 2000n }); // { currency: 'USD', value: '2000' }
 * ```
 */
export function toAntomAmount(money: Money): AntomAmount {
  return { currency: money.currency, value: formatMinorUnits(money.value) };
}

/**
 * Reads an amount from an Antom answer. `undefined` when it is missing or not a
 * non-negative whole number (Antom sends strings; a JSON number is tolerated).
 *
 * @example
 * ```ts
 * fromAntomAmount({ currency: 'HKD', value: '10' }); // { currency: 'HKD', value: 10n }
 * ```
 */
export function fromAntomAmount(
  wire:
    | {
        readonly currency?: string | null | undefined;
        readonly value?: string | number | null | undefined;
      }
    | null
    | undefined,
): Money | undefined {
  if (!wire?.currency || wire.value === undefined || wire.value === null) return undefined;
  const value = parseMinorUnits(wire.value);
  return value.isOk() ? { currency: wire.currency, value: value.value } : undefined;
}

/**
 * Reads an amount Antom reports about money that moved. `Ok(undefined)` when Antom sent none;
 * `Err(reason)` when it sent one that cannot be read (`"12.50"`, no currency): the caller
 * must then say `unknown`, never fall back to the amount it asked for.
 *
 * @example
 * ```ts
 * readAntomAmount({ currency: 'HKD', value: '10' }); // Ok({ currency: 'HKD', value: 10n })
 * readAntomAmount({ currency: 'HKD', value: '12.50' }); // Err('value "12.50" is not …')
 * ```
 */
export function readAntomAmount(
  wire:
    | {
        readonly currency?: string | null | undefined;
        readonly value?: string | number | null | undefined;
      }
    | null
    | undefined,
): Result<Money | undefined, string> {
  if (wire === null || wire === undefined) return ok(undefined);
  if (typeof wire.currency !== 'string' || !/^[A-Z]{3}$/.test(wire.currency)) {
    return err(`currency ${JSON.stringify(wire.currency ?? null)} is not a three-letter code`);
  }
  const value = parseMinorUnits(wire.value);
  if (value.isErr())
    return err(`value ${JSON.stringify(wire.value ?? null)} is not a whole number of minor units`);
  return ok({ currency: wire.currency, value: value.value });
}

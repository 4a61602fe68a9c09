import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ISO_4217_EXPONENTS,
  ISO_4217_WITHOUT_MINOR_UNIT,
} from '../../src/core/currency-exponents.js';
import {
  checkCurrency,
  currencyExponent,
  formatMinorUnits,
  fromMajor,
  MoneyFormatError,
  parseMinorUnits,
  toMajor,
  toMoney,
} from '../../src/core/money.js';

/**
 * ISO 4217 List One, active alphabetic codes with a minor unit, written out here
 * independently of src/core/currency-exponents.ts so that a slip in either shows up.
 */
const ACTIVE_WITH_MINOR_UNIT = `
AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN
BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU
MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON
RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP
TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER
ZAR ZMW ZWG`
  .trim()
  .split(/\s+/);

/** Active codes whose minor unit ISO 4217 gives as "N.A.". */
const ACTIVE_WITHOUT_MINOR_UNIT = 'XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX'.split(' ');

/** Withdrawn codes the table keeps on purpose during their transition period. */
const TRANSITIONAL = ['ANG', 'BGN', 'SLL'];

const ZERO_DECIMALS = new Set(
  'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'.split(' '),
);
const THREE_DECIMALS = new Set('BHD IQD JOD KWD LYD OMR TND'.split(' '));
const FOUR_DECIMALS = new Set(['CLF', 'UYW']);

function expectedExponent(code: string): number {
  if (ZERO_DECIMALS.has(code)) return 0;
  if (THREE_DECIMALS.has(code)) return 3;
  if (FOUR_DECIMALS.has(code)) return 4;
  return 2;
}

const currencyCode = fc.constantFrom(...Object.keys(ISO_4217_EXPONENTS));

/** Inputs `parseMinorUnits` must refuse, each with a reason. */
const REJECTED: readonly unknown[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1,
  -1n,
  0.5,
  10.5,
  -0.5,
  2 ** 53,
  Number.MAX_VALUE,
  '1e3',
  '',
  ' 1',
  '1 ',
  '+1',
  '-1',
  '0x10',
  '1.0',
  '1_000',
  '１２',
  null,
  undefined,
  true,
  {},
  [],
  ['1'],
];

describe('parseMinorUnits / formatMinorUnits', () => {
  it('round-trips any non-negative bigint through the wire digits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 128n }), (value) => {
        const text = formatMinorUnits(value);
        expect(text).toMatch(/^[0-9]+$/);
        expect(parseMinorUnits(text)._unsafeUnwrap()).toBe(value);
      }),
    );
  });

  it('gives the same bigint for a safe integer, its digit string and its bigint', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const fromNumber = parseMinorUnits(n)._unsafeUnwrap();
        expect(typeof fromNumber).toBe('bigint');
        expect(fromNumber).toBe(BigInt(n));
        expect(parseMinorUnits(String(n))._unsafeUnwrap()).toBe(fromNumber);
        expect(parseMinorUnits(BigInt(n))._unsafeUnwrap()).toBe(fromNumber);
      }),
    );
  });

  it('never returns anything but a non-negative bigint, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.double(), fc.bigInt(), fc.string(), fc.integer()),
        (input) => {
          const result = parseMinorUnits(input);
          if (result.isOk()) {
            expect(typeof result.value).toBe('bigint');
            expect(result.value >= 0n).toBe(true);
          } else {
            expect(typeof result.error).toBe('string');
            expect(result.error.length).toBeGreaterThan(0);
          }
        },
      ),
    );
  });

  it('rejects every number that is not a non-negative safe integer', () => {
    fc.assert(
      fc.property(
        fc.double().filter((d) => !(Number.isSafeInteger(d) && d >= 0)),
        (d) => {
          const result = parseMinorUnits(d);
          expect(result.isErr()).toBe(true);
          expect(result._unsafeUnwrapErr().length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('rejects strings with anything but ASCII digits', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^[0-9]+$/.test(s)),
        (s) => {
          expect(parseMinorUnits(s).isErr()).toBe(true);
        },
      ),
    );
  });

  it.each(REJECTED.map((input) => [input]))('rejects %o with a reason', (input) => {
    const result = parseMinorUnits(input);
    expect(result.isErr()).toBe(true);
    expect(result._unsafeUnwrapErr()).toMatch(/\w+/);
  });

  it('gives reasons a person can act on', () => {
    expect(parseMinorUnits(10.5)._unsafeUnwrapErr()).toMatch(/whole number of minor units/);
    expect(parseMinorUnits(-1)._unsafeUnwrapErr()).toMatch(/negative/);
    expect(parseMinorUnits(2 ** 53)._unsafeUnwrapErr()).toMatch(/bigint or a digit string/);
    expect(parseMinorUnits(Number.NaN)._unsafeUnwrapErr()).toMatch(/finite/);
    expect(parseMinorUnits('')._unsafeUnwrapErr()).toMatch(/empty/);
    expect(parseMinorUnits('1e3')._unsafeUnwrapErr()).toMatch(/digits 0-9/);
  });

  it('accepts zero and -0 as 0n (the client refuses zero separately)', () => {
    expect(parseMinorUnits(0)._unsafeUnwrap()).toBe(0n);
    expect(parseMinorUnits(-0)._unsafeUnwrap()).toBe(0n);
    expect(parseMinorUnits('000')._unsafeUnwrap()).toBe(0n);
  });

  it('holds the JSDoc examples', () => {
    expect(parseMinorUnits('1050')._unsafeUnwrap()).toBe(1050n);
    expect(parseMinorUnits(10.5)._unsafeUnwrapErr()).toMatch(
      /^must be a whole number of minor units/,
    );
    expect(formatMinorUnits(1050n)).toBe('1050');
  });

  it('refuses to format a negative value', () => {
    expect(() => formatMinorUnits(-1n)).toThrow(RangeError);
  });
});

describe('fromMajor / toMajor', () => {
  it('round-trips every currency and any value', () => {
    fc.assert(
      fc.property(currencyCode, fc.bigInt({ min: 0n, max: 10n ** 30n }), (currency, value) => {
        const major = toMajor({ currency, value });
        expect(fromMajor(currency, major)).toBe(value);
      }),
    );
  });

  it('writes exactly the currency exponent of decimals', () => {
    fc.assert(
      fc.property(currencyCode, fc.bigInt({ min: 0n, max: 10n ** 20n }), (currency, value) => {
        const major = toMajor({ currency, value });
        const exponent = ISO_4217_EXPONENTS[currency] ?? -1;
        const decimals = major.includes('.') ? (major.split('.')[1] ?? '').length : 0;
        expect(decimals).toBe(exponent);
      }),
    );
  });

  it('round-trips a major-unit string with up to the exponent of decimals', () => {
    fc.assert(
      fc.property(
        currencyCode,
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.nat({ max: 9999 }),
        (currency, whole, frac) => {
          const exponent = ISO_4217_EXPONENTS[currency] ?? 0;
          const fraction = String(frac).padStart(4, '0').slice(0, exponent);
          const major = exponent === 0 ? `${whole}` : `${whole}.${fraction}`;
          const minor = fromMajor(currency, major);
          expect(typeof minor).toBe('bigint');
          expect(toMajor({ currency, value: minor })).toBe(major);
        },
      ),
    );
  });

  it('holds the JSDoc examples', () => {
    expect(fromMajor('USD', '10.50')).toBe(1050n);
    expect(fromMajor('JPY', '1200')).toBe(1200n);
    expect(fromMajor('KWD', '1.5')).toBe(1500n);
    expect(toMajor({ currency: 'USD', value: 1050n })).toBe('10.50');
    expect(toMajor({ currency: 'JPY', value: 1200n })).toBe('1200');
    expect(toMajor({ currency: 'USD', value: 5n })).toBe('0.05');
    expect(toMajor({ currency: 'CLF', value: 1n })).toBe('0.0001');
  });

  it.each([
    ['USD', '10.505'],
    ['JPY', '1.5'],
    ['USD', '1e3'],
    ['USD', '-1.00'],
    ['USD', '+1.00'],
    ['USD', '1.'],
    ['USD', '.5'],
    ['USD', ' 1.00'],
    ['USD', ''],
    ['XAU', '1'],
    ['usd', '1.00'],
    ['ZZZ', '1.00'],
  ])('fromMajor(%s, %o) throws MoneyFormatError', (currency, major) => {
    expect(() => fromMajor(currency, major)).toThrow(MoneyFormatError);
  });

  it('toMajor refuses negative values and unknown currencies', () => {
    expect(() => toMajor({ currency: 'USD', value: -1n })).toThrow(MoneyFormatError);
    expect(() => toMajor({ currency: 'ZZZ', value: 1n })).toThrow(MoneyFormatError);
  });

  it('uses the per-provider exponent when given one', () => {
    expect(fromMajor('ISK', '1.50', { ISK: 2 })).toBe(150n);
    expect(toMajor({ currency: 'ISK', value: 150n }, { ISK: 2 })).toBe('1.50');
    expect(toMajor({ currency: 'ISK', value: 150n })).toBe('150');
  });
});

describe('currency exponents', () => {
  it('has an exponent for every active ISO 4217 code with a minor unit, and the right one', () => {
    const missing = ACTIVE_WITH_MINOR_UNIT.filter((code) => ISO_4217_EXPONENTS[code] === undefined);
    expect(missing).toEqual([]);
    const wrong = ACTIVE_WITH_MINOR_UNIT.filter(
      (code) => ISO_4217_EXPONENTS[code] !== expectedExponent(code),
    ).map((code) => `${code}=${ISO_4217_EXPONENTS[code]}`);
    expect(wrong).toEqual([]);
  });

  it('lists every "N.A." code as without minor unit, and gives none of them an exponent', () => {
    for (const code of ACTIVE_WITHOUT_MINOR_UNIT) {
      expect(ISO_4217_WITHOUT_MINOR_UNIT.has(code), code).toBe(true);
      expect(ISO_4217_EXPONENTS[code], code).toBeUndefined();
      expect(checkCurrency(code)._unsafeUnwrapErr()).toMatch(/no minor unit/);
    }
    expect([...ISO_4217_WITHOUT_MINOR_UNIT].sort()).toEqual([...ACTIVE_WITHOUT_MINOR_UNIT].sort());
  });

  it('keeps transitional codes with two decimals', () => {
    for (const code of TRANSITIONAL) expect(ISO_4217_EXPONENTS[code], code).toBe(2);
  });

  it('holds no code that is neither active nor transitional', () => {
    const known = new Set([...ACTIVE_WITH_MINOR_UNIT, ...TRANSITIONAL]);
    expect(Object.keys(ISO_4217_EXPONENTS).filter((code) => !known.has(code))).toEqual([]);
  });

  it.each([
    ['JPY', 0],
    ['KWD', 3],
    ['CLF', 4],
    ['USD', 2],
    ['IDR', 2],
  ])('%s has exponent %i', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
    expect(checkCurrency(code)._unsafeUnwrap()).toBe(exponent);
  });

  it('lets per-provider overrides win', () => {
    expect(currencyExponent('ISK', { ISK: 2 })).toBe(2);
    expect(currencyExponent('JPY', { JPY: 2 })).toBe(2);
    expect(currencyExponent('KRW', { USD: 3 })).toBe(0);
    expect(checkCurrency('HUF', { HUF: 0 })._unsafeUnwrap()).toBe(0);
    expect(checkCurrency('XAU', { XAU: 2 })._unsafeUnwrap()).toBe(2);
    expect(toMoney({ currency: 'JPY', value: 1 }, { JPY: 2 }).isOk()).toBe(true);
  });

  it('holds the JSDoc examples', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('ISK', { ISK: 2 })).toBe(2);
  });

  it('answers undefined for unknown codes, including names on Object.prototype', () => {
    for (const name of ['ZZZ', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(currencyExponent(name), name).toBeUndefined();
      expect(currencyExponent(name, {}), name).toBeUndefined();
    }
  });

  it.each([
    ['eur', /three-letter upper-case/],
    ['EURO', /three-letter upper-case/],
    ['', /three-letter upper-case/],
    [42, /three-letter upper-case/],
    [undefined, /three-letter upper-case/],
    ['ZZZ', /not an active ISO 4217/],
    ['XTS', /no minor unit/],
  ])('checkCurrency(%o) is refused: %s', (code, reason) => {
    expect(checkCurrency(code)._unsafeUnwrapErr()).toMatch(reason);
  });
});

describe('toMoney', () => {
  it('holds the JSDoc example', () => {
    expect(toMoney({ currency: 'EUR', value: '3500' })._unsafeUnwrap()).toEqual({
      currency: 'EUR',
      value: 3500n,
    });
  });

  it('names the part at fault', () => {
    expect(toMoney({ currency: 'eur', value: 1 })._unsafeUnwrapErr()).toMatch(/^currency /);
    expect(toMoney({ currency: 'EUR', value: 1.5 })._unsafeUnwrapErr()).toMatch(/^value /);
  });
});

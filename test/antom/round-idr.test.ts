import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundIdr } from '../../src/providers/antom/index.js';

describe('roundIdr', () => {
  it('rounds to a multiple of 100 within 50, ties to the even hundred', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n }), (value) => {
        const rounded = roundIdr(value);
        expect(rounded % 100n).toBe(0n);
        const distance = rounded > value ? rounded - value : value - rounded;
        expect(distance <= 50n).toBe(true);
        if (value % 100n === 50n) expect((rounded / 100n) % 2n).toBe(0n);
        else expect(distance < 50n).toBe(true);
      }),
    );
  });

  it('leaves multiples of 100 alone', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), (hundreds) => {
        expect(roundIdr(hundreds * 100n)).toBe(hundreds * 100n);
      }),
    );
  });

  it('holds the JSDoc examples', () => {
    expect(roundIdr(1234550n)).toBe(1234600n);
    expect(roundIdr(1234450n)).toBe(1234400n);
    expect(roundIdr(1234449n)).toBe(1234400n);
    expect(roundIdr(50n)).toBe(0n);
    expect(roundIdr(150n)).toBe(200n);
    expect(roundIdr(51n)).toBe(100n);
  });

  it('refuses negative values', () => {
    expect(() => roundIdr(-1n)).toThrow(RangeError);
  });
});

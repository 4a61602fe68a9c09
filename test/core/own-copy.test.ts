import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownCopy } from '../../src/core/own-copy.js';

/** Own keys in order, symbols included, with their descriptors' enumerability and values. */
function ownShape(value: object) {
  return Reflect.ownKeys(value).map((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    return [key, descriptor?.enumerable, descriptor?.value];
  });
}

describe('ownCopy: the same object a spread makes', () => {
  it('copies the same own enumerable properties in the same order, for any record', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.anything(), { maxKeys: 12 }), (record) => {
        const copy = ownCopy(record);
        expect(ownShape(copy)).toEqual(ownShape({ ...record }));
        expect(copy).not.toBe(record);
        expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps symbols, drops non-enumerable and inherited properties, as a spread does', () => {
    const tag = Symbol('tag');
    const source = Object.create({ inherited: 1 }) as Record<PropertyKey, unknown>;
    source.a = 1;
    source[tag] = 'x';
    Object.defineProperty(source, 'hidden', { value: 2, enumerable: false });
    const copy = ownCopy(source);
    expect(ownShape(copy)).toEqual(ownShape({ ...source }));
    expect(Reflect.ownKeys(copy)).toEqual(['a', tag]);
  });

  it('copies an own __proto__ key as data, and never changes the prototype', () => {
    const source = JSON.parse('{"kind":"k","__proto__":{"polluted":true},"id":"e1"}') as object;
    const copy = ownCopy(source) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(ownShape(copy)).toEqual(ownShape({ ...source }));
    expect(copy.polluted).toBeUndefined();
  });

  it('answers what a spread answers for values that are not objects', () => {
    for (const value of [undefined, null, 1, 'ab', true]) {
      expect(ownCopy(value as never)).toEqual({ ...(value as unknown as object) });
    }
  });
});

import type { Mutable } from './mutable.js';

/**
 * `{ ...value }`, for a record the core copies and then extends (an adapter's capture or
 * webhook event, given its `provider`), made without the spread: on Node 20 (V8 11.3) an
 * object made by a spread and then given one more property gets a map of its own every
 * time, about 3 µs per object (bench/FINDINGS.md, webhooks 2026-12-01). `Object.assign` onto
 * `{}` copies the same own enumerable properties, symbols included, in the same order. An
 * own `__proto__` key is the one property `Object.assign` would not copy as data: such a
 * value, and anything that is not an object (from a broken adapter), keeps the spread. (A
 * process that gave `Object.prototype` a setter or read-only property under one of the
 * copied names would see `Object.assign` call or trip on it where a spread would not.)
 *
 * @example
 * ```ts
 * const capture = ownCopy(answer.value);
 * capture.provider = prepared.provider; // appended last, as `{ ...answer.value, provider }` would
 * ```
 */
export function ownCopy<T>(value: T): Mutable<T> {
  if (typeof value !== 'object' || value === null || Object.hasOwn(value, '__proto__')) {
    return { ...value } as Mutable<T>;
  }
  return Object.assign({}, value) as Mutable<T>;
}

import { describe, expect, it } from 'vitest';
import { dispatchRequest } from '../../src/core/dispatch-request.js';

// What doCapture() receives: the wire fields, the deadline as data, and a joined signal made
// only when an adapter reads it (an AbortController per capture costs several µs).

const wire = {
  paymentId: 'pay_1',
  final: true,
  idempotencyKey: 'k1',
  amount: { currency: 'EUR', value: 100n },
} as const;

describe('dispatchRequest()', () => {
  it('carries the wire fields and the deadline, and no field the wire lacks', () => {
    const before = performance.now();
    const { request, done } = dispatchRequest(wire, performance.now() + 1_000);
    expect(request).toMatchObject(wire);
    expect(request.deadline?.at).toBeGreaterThanOrEqual(before + 1_000);
    expect(Object.hasOwn(request, 'reference')).toBe(false);
    expect(Object.hasOwn(request, 'providerOptions')).toBe(false);
    expect(request.deadline).not.toHaveProperty('signal');
    done();
  });

  it('shows the adapter its fields in order, signal as an own enumerable getter, nothing hidden enumerable', () => {
    const { request, done } = dispatchRequest(
      { ...wire, reference: 'order-1' },
      performance.now() + 1_000,
    );
    expect(Object.keys(request)).toEqual([
      'paymentId',
      'final',
      'idempotencyKey',
      'deadline',
      'signal',
      'amount',
      'reference',
    ]);
    const signal = Object.getOwnPropertyDescriptor(request, 'signal');
    expect(signal).toMatchObject({ enumerable: true, configurable: true });
    expect(typeof signal?.get).toBe('function');
    // The limits' key is the request's own, never enumerable: JSON, logs and copies skip it.
    const copy = { ...request };
    expect(Object.getOwnPropertySymbols(copy)).toEqual([]);
    expect(Object.keys(copy)).toEqual(Object.keys(request));
    // Two requests share the same getter, each finding its own limits.
    const other = dispatchRequest(wire, performance.now() + 1_000);
    expect(Object.getOwnPropertyDescriptor(other.request, 'signal')?.get).toBe(signal?.get);
    expect(other.request.signal).not.toBe(request.signal);
    other.done();
    done();
  });

  it("makes no AbortController until signal is read, then one, joined to the caller's", () => {
    const made: AbortController[] = [];
    const Original = globalThis.AbortController;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        made.push(this);
      }
    };
    try {
      const caller = new Original();
      const { request, done } = dispatchRequest(
        { ...wire, signal: caller.signal },
        performance.now() + 60_000,
      );
      expect(made).toHaveLength(0);
      expect(request.deadline?.signal).toBe(caller.signal);
      const signal = request.signal;
      expect(made).toHaveLength(1);
      expect(request.signal).toBe(signal);
      expect(made).toHaveLength(1);
      caller.abort(new Error('stop'));
      expect(signal?.aborted).toBe(true);
      done();
    } finally {
      globalThis.AbortController = Original;
    }
  });

  it('aborts the joined signal when the deadline passes', async () => {
    const { request, done } = dispatchRequest(wire, performance.now() + 1);
    const signal = request.signal;
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
    expect(signal?.reason).toBeInstanceOf(Error);
    expect(String(signal?.reason)).toMatch(/outlived the adapter deadline/);
    done();
  });

  it('after done(), a late abort of the caller no longer reaches the signal', () => {
    const caller = new AbortController();
    const { request, done } = dispatchRequest(
      { ...wire, signal: caller.signal },
      performance.now() + 60_000,
    );
    const signal = request.signal;
    done();
    caller.abort();
    expect(signal?.aborted).toBe(false);
  });

  it('a spread copy of the request still carries a working signal', () => {
    const caller = new AbortController();
    const { request, done } = dispatchRequest(
      { ...wire, signal: caller.signal },
      performance.now() + 60_000,
    );
    const copy = { ...request };
    caller.abort();
    expect(copy.signal?.aborted).toBe(true);
    done();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureRequestSchema } from '../../src/core/capture-request.js';
import { fastCaptureRequest } from '../../src/core/fast-capture-request.js';

// The hand-written fast path must never accept what the schema refuses, and must give the
// same request the schema gives. zod is the oracle here: any input the fast path is unsure
// of goes to the schema.

const withoutUndefined = (value: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

const text = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.string({ minLength: 60, maxLength: 70 }),
  fc.string({ minLength: 250, maxLength: 260 }),
  fc.constantFrom('', ' ', 'pay_1', 'k 1', 'ключ', 'k\u0000', 'EUR'),
);
const anyValue = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.boolean(),
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.constant(new AbortController().signal),
  fc.constant([]),
);
const amount = fc.oneof(
  fc.record({ currency: anyValue, value: anyValue }, { requiredKeys: [] }),
  fc.record({ currency: text, value: anyValue, extra: anyValue }),
  anyValue,
);
const request = fc.record(
  {
    provider: anyValue,
    paymentId: anyValue,
    amount,
    final: anyValue,
    idempotencyKey: anyValue,
    reference: anyValue,
    signal: anyValue,
    dangerouslyIgnoreUnresolved: anyValue,
    metadata: anyValue,
    unknownField: anyValue,
  },
  { requiredKeys: [] },
);

describe('fastCaptureRequest()', () => {
  it('accepts only what captureRequestSchema accepts, and gives the same request', () => {
    fc.assert(
      fc.property(request, (input) => {
        const fast = fastCaptureRequest(input);
        if (fast === undefined) return;
        const parsed = captureRequestSchema.safeParse(input);
        expect(parsed.success).toBe(true);
        if (parsed.success) {
          expect(withoutUndefined(fast)).toEqual(withoutUndefined(parsed.data));
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('takes the common request (so the fast path is the one that runs)', () => {
    const common = fc.record(
      {
        provider: fc.constantFrom('checkout', 'antom'),
        paymentId: fc.string({ minLength: 1, maxLength: 64 }),
        amount: fc.record({
          currency: fc.constantFrom('EUR', 'USD'),
          value: fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.nat(), fc.constant('100')),
        }),
        final: fc.boolean(),
        idempotencyKey: fc.stringMatching(/^[\x21-\x7E]{1,64}$/),
        reference: fc.string({ minLength: 1, maxLength: 256 }),
      },
      { requiredKeys: ['provider', 'paymentId'] },
    );
    fc.assert(
      fc.property(common, (input) => {
        expect(fastCaptureRequest(input)).toEqual(captureRequestSchema.parse(input));
      }),
    );
  });

  it('leaves anything unusual to the schema', () => {
    expect(fastCaptureRequest(null)).toBeUndefined();
    expect(fastCaptureRequest(new (class {})())).toBeUndefined();
    expect(fastCaptureRequest({ provider: 'p', paymentId: 'x', metadata: {} })).toBeUndefined();
    const inherited = Object.create({ provider: 'p' });
    inherited.paymentId = 'x';
    expect(fastCaptureRequest(inherited)).toBeUndefined();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyIntentEvent, type CaptureIntent, type IntentEvent } from '../../src/core/intents.js';
import { previousApplyIntentEvent } from './previous-apply-intent-event.js';

// applyIntentEvent, rebuilt field by field for speed, must give the same intent as
// the object-rest version of 9670681 for every state × event, every optional field present
// or absent (including present-but-undefined, which the old rests copied).

const T = 1_800_000_000_000;
const money = fc.record({
  currency: fc.constantFrom('EUR', 'JPY'),
  value: fc.bigInt({ min: 0n, max: 10n ** 6n }),
});
const opt = <V>(arb: fc.Arbitrary<V>) => fc.option(arb, { nil: undefined });

const intentArb = fc
  .record(
    {
      state: fc.constantFrom('sending', 'pending', 'unknown', 'succeeded', 'failed'),
      amount: money,
      final: fc.boolean(),
      reference: fc.constantFrom('r1', 'r2'),
      metadata: fc.constant({ a: 1 }),
      providerOptions: fc.constant({ x: true }),
      authorizedAmount: money,
      context: fc.constant({ cardBrand: 'visa' }),
      captureId: fc.constantFrom('cap_1', 'cap_2'),
      capturedAmount: money,
      capturedAt: fc.constant('2026-01-01T00:00:00Z'),
      providerMetadata: fc.constant({ p: 1 }),
      code: fc.constantFrom('timeout', 'network_error'),
      providerCode: fc.constantFrom('X1'),
      providerStatus: fc.constantFrom('S1'),
      httpStatus: fc.constantFrom(200, 500),
      message: fc.constantFrom('m1'),
      attempts: fc.integer({ min: 1, max: 5 }),
      updatedAt: fc.integer({ min: T - 100_000, max: T + 100_000 }),
      inFlightUntil: fc.integer({ min: T - 100_000, max: T + 100_000 }),
    },
    { requiredKeys: ['state', 'final', 'attempts', 'updatedAt'] },
  )
  .map(
    (fields) =>
      ({
        provider: 'cko',
        kind: 'checkout',
        idempotencyKey: 'k1',
        paymentId: 'pay_1',
        createdAt: T - 200_000,
        ...fields,
      }) as CaptureIntent,
  );

const eventArb = fc.record(
  {
    source: fc.constantFrom('capture', 'inquiry', 'webhook'),
    verdict: fc.constantFrom('succeeded', 'pending', 'failed', 'absent', 'unknown', 'not_sent'),
    at: fc.integer({ min: T - 100_000, max: T + 200_000 }),
    transient: fc.boolean(),
    captureId: opt(fc.constantFrom('cap_1', 'cap_9')),
    capturedAmount: money,
    capturedAt: fc.constant('2026-02-02T00:00:00Z'),
    providerMetadata: fc.constant({ q: 2 }),
    code: fc.constantFrom('amount_exceeds_authorized', 'rate_limited'),
    providerCode: fc.constantFrom('Y1'),
    providerStatus: fc.constantFrom('S2'),
    httpStatus: fc.constantFrom(202, 429),
    message: fc.constantFrom('m2'),
    inFlightUntil: fc.integer({ min: T - 100_000, max: T + 200_000 }),
  },
  { requiredKeys: ['source', 'verdict', 'at'] },
) as fc.Arbitrary<IntentEvent>;

describe('applyIntentEvent vs the 9670681 version', () => {
  it('gives the same intent (values and own keys) for every state × event', () => {
    fc.assert(
      fc.property(intentArb, eventArb, (intent, event) => {
        const now = applyIntentEvent(intent, event);
        const before = previousApplyIntentEvent(intent, event);
        expect(now).toStrictEqual(before);
      }),
      { numRuns: 20_000 },
    );
  });

  it('drops an optional intent field present as undefined, which the object rest kept', () => {
    // Only a difference in own keys (`'reference' in next`), not in values.
    const intent = {
      provider: 'cko',
      kind: 'checkout',
      idempotencyKey: 'k1',
      paymentId: 'pay_1',
      final: true,
      state: 'unknown',
      attempts: 1,
      createdAt: T,
      updatedAt: T,
      reference: undefined,
    } as unknown as CaptureIntent;
    const event: IntentEvent = { source: 'inquiry', verdict: 'unknown', at: T + 1 };
    const now = applyIntentEvent(intent, event);
    const before = previousApplyIntentEvent(intent, event);
    expect(now).toEqual(before);
    expect(Object.hasOwn(before ?? {}, 'reference')).toBe(true);
    expect(Object.hasOwn(now ?? {}, 'reference')).toBe(false);
  });
});

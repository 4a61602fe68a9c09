import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyIntentEvent,
  type CaptureIntent,
  type IntentEvent,
  type IntentState,
  isInFlight,
} from '../../src/core/intents.js';
import { eventSourceArb, verdictArb } from './core-fixtures.js';

/**
 * DESIGN §0 as properties of the transition function, over random intents and random
 * answers: no event moves a final intent, and an intent that may have moved money
 * (`unknown`) ends only by an authoritative answer about that capture.
 */

const T = 1_800_000_000_000;
const STATES: readonly IntentState[] = ['sending', 'pending', 'unknown', 'succeeded', 'failed'];

const money = fc.record({
  currency: fc.constantFrom('EUR', 'USD', 'JPY'),
  value: fc.bigInt({ min: 0n, max: 10n ** 12n }),
});

const intentArb: fc.Arbitrary<CaptureIntent> = fc
  .record(
    {
      state: fc.constantFrom(...STATES),
      amount: money,
      final: fc.boolean(),
      captureId: fc.constantFrom('cap_1', 'cap_2'),
      attempts: fc.integer({ min: 1, max: 5 }),
      updatedAt: fc.integer({ min: T - 100_000, max: T + 100_000 }),
      inFlightUntil: fc.integer({ min: T - 100_000, max: T + 100_000 }),
      code: fc.constantFrom('timeout', 'network_error', 'rate_limited') as fc.Arbitrary<
        'timeout' | 'network_error' | 'rate_limited'
      >,
    },
    { requiredKeys: ['state', 'final', 'attempts', 'updatedAt'] },
  )
  .map((fields) => ({
    provider: 'cko',
    kind: 'checkout',
    idempotencyKey: 'k1',
    paymentId: 'pay_1',
    createdAt: T - 200_000,
    ...fields,
  }));

const eventArb: fc.Arbitrary<IntentEvent> = fc.record(
  {
    source: eventSourceArb,
    verdict: verdictArb,
    at: fc.integer({ min: T - 100_000, max: T + 200_000 }),
    transient: fc.boolean(),
    captureId: fc.constantFrom('cap_1', 'cap_9'),
    capturedAmount: money,
    code: fc.constantFrom(
      'amount_exceeds_authorized',
      'rate_limited',
      'capture_not_found',
    ) as fc.Arbitrary<'amount_exceeds_authorized' | 'rate_limited' | 'capture_not_found'>,
    httpStatus: fc.constantFrom(200, 202, 401, 404, 429, 500),
  },
  { requiredKeys: ['source', 'verdict', 'at'] },
);

/** An answer that says what became of THIS capture (DESIGN §0). */
function authoritativeFailure(event: IntentEvent): boolean {
  return event.verdict === 'failed' && event.source !== 'capture';
}

describe('applyIntentEvent (DESIGN §0) — properties', () => {
  it('no event moves a final intent', () => {
    fc.assert(
      fc.property(intentArb, eventArb, (intent, event) => {
        fc.pre(intent.state === 'succeeded' || intent.state === 'failed');
        expect(applyIntentEvent(intent, event)).toEqual(intent);
      }),
      { numRuns: 2_000 },
    );
  });

  it('unknown ends only by an authoritative answer: never failed without one, never forgotten without an inquiry finding nothing', () => {
    fc.assert(
      fc.property(intentArb, eventArb, (intent, event) => {
        fc.pre(intent.state === 'unknown');
        const next = applyIntentEvent(intent, event);
        if (next === undefined) {
          // Forgotten (the key is free again) only when an inquiry found no capture, and no
          // attempt can still be travelling.
          expect(event.source).toBe('inquiry');
          expect(event.verdict).toBe('absent');
          expect(isInFlight(intent, event.at)).toBe(false);
          return;
        }
        if (next.state === 'failed') expect(authoritativeFailure(event)).toBe(true);
        if (next.state === 'succeeded' || next.state === 'pending') {
          expect(event.verdict).toBe(next.state);
        }
        expect(next.state).not.toBe('sending');
      }),
      { numRuns: 5_000 },
    );
  });

  it('over whole histories: once unknown, failed only after an authoritative failure', () => {
    fc.assert(
      fc.property(intentArb, fc.array(eventArb, { maxLength: 12 }), (start, events) => {
        let intent: CaptureIntent | undefined = start;
        let wasUnknown = start.state === 'unknown';
        for (const event of events) {
          if (!intent) return;
          const before: CaptureIntent = intent;
          intent = applyIntentEvent(before, event);
          if (before.state === 'succeeded' || before.state === 'failed') {
            expect(intent).toEqual(before);
          }
          if (wasUnknown && intent?.state === 'failed' && before.state !== 'failed') {
            expect(authoritativeFailure(event)).toBe(true);
          }
          if (wasUnknown && intent === undefined) {
            expect(event).toMatchObject({ source: 'inquiry', verdict: 'absent' });
          }
          if (intent?.state === 'unknown') wasUnknown = true;
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('the transition is total and pure: every state × event answers, and the input is untouched', () => {
    fc.assert(
      fc.property(intentArb, eventArb, (intent, event) => {
        const copy = structuredClone(intent);
        const next = applyIntentEvent(intent, event);
        expect(intent).toEqual(copy);
        if (next) expect(STATES).toContain(next.state);
      }),
      { numRuns: 2_000 },
    );
  });
});

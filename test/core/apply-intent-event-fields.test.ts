import { describe, expect, it } from 'vitest';
import { applyIntentEvent, INTENT_FIELDS_ON_SETTLE } from '../../src/core/apply-intent-event.js';
import type { CaptureIntent } from '../../src/core/intents.js';

/**
 * `settled()` / `noted()` copy the intent field by field (a hot path). These tests pin that
 * copy to the field table, so a field added to CaptureIntent and placed in the table is
 * carried, and the answer fields are replaced, exactly as the object-rest version did.
 */

/** An intent with every field set, each to a value that tells it apart. */
function everyField(state: CaptureIntent['state']): CaptureIntent {
  return {
    provider: 'p',
    kind: 'checkout',
    idempotencyKey: 'k1',
    paymentId: 'pay_1',
    amount: { currency: 'EUR', value: 1000n },
    final: false,
    reference: 'ORD-1',
    metadata: { order: 'ORD-1' },
    providerOptions: { x: 1 },
    authorizedAmount: { currency: 'EUR', value: 5000n },
    context: { cardBrand: 'visa' },
    state,
    captureId: 'cap_old',
    capturedAmount: { currency: 'EUR', value: 900n },
    capturedAt: '2026-12-01T00:00:00Z',
    providerMetadata: { old: true },
    code: 'provider_error',
    providerCode: 'OLD',
    providerStatus: 'old',
    httpStatus: 503,
    message: 'old answer',
    attempts: 2,
    createdAt: 1,
    updatedAt: 2,
    inFlightUntil: 3,
  };
}

describe('applyIntentEvent field copy', () => {
  it('the test intent sets every field of the table', () => {
    expect(Object.keys(everyField('sending')).sort()).toEqual(
      Object.keys(INTENT_FIELDS_ON_SETTLE).sort(),
    );
  });

  it('settling keeps every "keep" field and drops every "answer" field', () => {
    const intent = everyField('sending');
    const next = applyIntentEvent(intent, { source: 'capture', verdict: 'succeeded', at: 10 });
    if (!next) throw new Error('expected an intent');
    for (const [field, rule] of Object.entries(INTENT_FIELDS_ON_SETTLE)) {
      const key = field as keyof CaptureIntent;
      if (key === 'state' || key === 'updatedAt') continue;
      if (rule === 'keep') expect(next[key], field).toEqual(intent[key]);
      else expect(Object.hasOwn(next, key), field).toBe(false);
    }
    expect(next.state).toBe('succeeded');
    expect(next.updatedAt).toBe(10);
  });

  it("settling takes the answer's captureId, amount, time, metadata and error fields", () => {
    const next = applyIntentEvent(everyField('unknown'), {
      source: 'inquiry',
      verdict: 'failed',
      at: 10,
      captureId: 'cap_new',
      capturedAmount: { currency: 'EUR', value: 1000n },
      capturedAt: '2026-12-02T00:00:00Z',
      providerMetadata: { fresh: true },
      code: 'risk_rejected',
      providerCode: 'NEW',
      message: 'declined',
    });
    expect(next).toMatchObject({
      state: 'failed',
      captureId: 'cap_new',
      capturedAmount: { currency: 'EUR', value: 1000n },
      capturedAt: '2026-12-02T00:00:00Z',
      providerMetadata: { fresh: true },
      code: 'risk_rejected',
      providerCode: 'NEW',
      message: 'declined',
    });
    // Not in the answer, so not carried over from the earlier one.
    expect(next && Object.hasOwn(next, 'providerStatus')).toBe(false);
    expect(next && Object.hasOwn(next, 'httpStatus')).toBe(false);
    expect(next && Object.hasOwn(next, 'inFlightUntil')).toBe(false);
  });

  it('noting keeps everything, overlays the answer and takes a capture answer window', () => {
    const intent = everyField('unknown');
    const next = applyIntentEvent(intent, {
      source: 'capture',
      verdict: 'unknown',
      at: 10,
      inFlightUntil: 99,
      providerCode: 'TIMEOUT',
    });
    expect(next).toEqual({
      ...intent,
      updatedAt: 10,
      inFlightUntil: 99,
      providerCode: 'TIMEOUT',
    });
  });

  it('noting from an inquiry keeps the dispatch window', () => {
    const intent = everyField('unknown');
    const next = applyIntentEvent(intent, { source: 'inquiry', verdict: 'unknown', at: 2 });
    expect(next).toEqual({ ...intent, updatedAt: 2 });
  });
});

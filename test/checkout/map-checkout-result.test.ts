import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPTURE_ERROR_CODES } from '../../src/core/errors.js';
import {
  CHECKOUT_CODE_TABLE,
  mapCheckoutDecline,
  mapCheckoutHttpError,
} from '../../src/providers/checkout/index.js';

const entries = Object.entries(CHECKOUT_CODE_TABLE);

describe('CHECKOUT_CODE_TABLE', () => {
  it('has every kind of code the adapter meets', () => {
    const keys = entries.map(([key]) => key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'http:401',
        'http:403',
        'http:404',
        'http:409',
        'http:422',
        'http:429',
        'http:500',
        'http:502',
        'capture_value_greater_than_authorized',
        'capture_value_greater_than_remaining_authorized',
        'amount_invalid',
        'idempotency_key_reused',
        '20051',
      ]),
    );
  });

  it.each(entries)('%s maps exactly as the table says', (key, mapping) => {
    expect(CAPTURE_ERROR_CODES).toContain(mapping.code);
    const error = key.startsWith('http:')
      ? mapCheckoutHttpError(Number(key.slice(5)), undefined)
      : /^[0-9]{5}$/.test(key)
        ? mapCheckoutDecline(key, 'summary')
        : mapCheckoutHttpError(422, {
            error_codes: [key],
            request_id: 'R1',
            error_type: 'request_invalid',
          });
    expect({ code: error.code, outcome: error.outcome }).toEqual({
      code: mapping.code,
      outcome: mapping.outcome,
    });
    if (mapping.retryable !== undefined) expect(error.retryable).toBe(mapping.retryable);
    expect(error.providerCode).toBe(key);
    expect(error.message).toContain(mapping.advice);
    expect(error.kind).toBe('checkout');
  });

  it('maps the documented statuses as decided', () => {
    expect(mapCheckoutHttpError(401, undefined)).toMatchObject({
      code: 'authentication_failed',
      outcome: 'failed',
    });
    expect(mapCheckoutHttpError(403, undefined)).toMatchObject({
      code: 'invalid_payment_state',
      outcome: 'failed',
    });
    expect(mapCheckoutHttpError(404, undefined)).toMatchObject({
      code: 'payment_not_found',
      outcome: 'failed',
    });
    expect(mapCheckoutHttpError(429, undefined)).toMatchObject({
      code: 'rate_limited',
      outcome: 'failed',
      retryable: true,
    });
    expect(mapCheckoutHttpError(502, undefined)).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
      retryable: true,
    });
    expect(mapCheckoutHttpError(403, undefined).message).toMatch(
      /auto.*fully captured.*voided.*expired/s,
    );
  });

  it('prefers a listed error code over an unlisted one, and keeps an unlisted code', () => {
    const mixed = mapCheckoutHttpError(422, {
      error_codes: ['something_new', 'capture_value_greater_than_authorized'],
    });
    expect(mixed).toMatchObject({
      code: 'amount_exceeds_authorized',
      providerCode: 'capture_value_greater_than_authorized',
    });
    const unlisted = mapCheckoutHttpError(422, { error_codes: ['something_new'] });
    expect(unlisted).toMatchObject({
      code: 'invalid_request',
      outcome: 'failed',
      providerCode: 'something_new',
    });
  });

  it('a 5xx during resolve is an unknown inquiry, not an unknown capture', () => {
    const error = mapCheckoutHttpError(500, undefined, 'resolve');
    expect(error).toMatchObject({ code: 'provider_error', outcome: 'unknown' });
    expect(error.message).toContain('Call resolve() again');
  });

  it('is total: every HTTP status and error-code list maps to a known code with an honest outcome', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.array(fc.oneof(fc.constantFrom(...entries.map(([k]) => k)), fc.string()), {
          maxLength: 4,
        }),
        (status, codes) => {
          const error = mapCheckoutHttpError(status, { error_codes: codes });
          expect(CAPTURE_ERROR_CODES).toContain(error.code);
          expect(error.message.length).toBeGreaterThan(0);
          if (status >= 500 || status < 400) expect(error.outcome).toBe('unknown');
          else expect(error.outcome).toBe('failed');
        },
      ),
    );
  });

  it('is total over response codes: a decline is always failed, risk range → risk_rejected', () => {
    fc.assert(
      fc.property(fc.option(fc.stringMatching(/^[0-9]{5}$/), { nil: undefined }), (code) => {
        const error = mapCheckoutDecline(code, undefined);
        expect(CAPTURE_ERROR_CODES).toContain(error.code);
        expect(error.outcome).toBe('failed');
        if (code?.startsWith('4') && CHECKOUT_CODE_TABLE[code] === undefined)
          expect(error.code).toBe('risk_rejected');
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPTURE_ERROR_CODES, UNKNOWN_OUTCOME_ADVICE } from '../../src/core/errors.js';
import { lookupAntomCode, mapAntomResult } from '../../src/providers/antom/map-antom-result.js';
import { ANTOM_RESULT_CODES } from '../../src/providers/antom/result-codes.js';
import { COMMON_CODES, SEED_CAPTURE_CODES } from './seed-fixtures.js';

/**
 * The normalized code of every seed code (antom-v1-capture-api.md, "Result/Error codes"),
 * written out here rather than read from the table under test, so a changed row fails.
 */
const SEED_NORMALIZED: Readonly<Record<string, string>> = {
  ACCESS_DENIED: 'access_denied',
  AUTH_CANCELLED: 'authorization_cancelled',
  AUTH_EXPIRED: 'authorization_expired',
  AUTH_NOT_FOUND: 'payment_not_found',
  CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: 'amount_exceeds_authorized',
  CAPTURE_IN_PROCESS: 'capture_in_progress',
  CURRENCY_NOT_SUPPORT: 'currency_not_supported',
  MULTI_CAPTURE_NOT_SUPPORTED: 'multiple_captures_not_supported',
  INVALID_CONTRACT: 'unsupported',
  NO_PAY_OPTIONS: 'access_denied',
  ORDER_IS_CANCELED: 'authorization_cancelled',
  ORDER_STATUS_INVALID: 'invalid_payment_state',
  PARAM_ILLEGAL: 'invalid_request',
  PAYMENT_COUNT_EXCEED_LIMIT: 'capture_limit_exceeded',
  PROCESS_FAIL: 'provider_error',
  REPEAT_REQ_INCONSISTENT: 'idempotency_conflict',
  RISK_REJECT: 'risk_rejected',
  USER_AMOUNT_EXCEED_LIMIT: 'payer_limit_exceeded',
  USER_BALANCE_NOT_ENOUGH: 'insufficient_funds',
  USER_NOT_EXIST: 'payer_account_invalid',
  USER_STATUS_ABNORMAL: 'payer_account_invalid',
  UNKNOWN_EXCEPTION: 'outcome_unknown',
};

/** Statuses of the codes outside the capture seed table (PROTOCOLS.md, common AMS codes). */
const OTHER_STATUSES: Readonly<Record<string, 'F' | 'U'>> = {
  SIGNATURE_INVALID: 'F',
  KEY_NOT_FOUND: 'F',
  CLIENT_INVALID: 'F',
  INVALID_API: 'F',
  REQUEST_TRAFFIC_EXCEED_LIMIT: 'F',
  METHOD_NOT_SUPPORTED: 'F',
  MEDIA_TYPE_NOT_ACCEPTABLE: 'F',
  SYSTEM_ERROR: 'U',
  ORDER_NOT_EXIST: 'F',
};

describe('ANTOM_RESULT_CODES: the one code table', () => {
  const seedCodes = Object.entries(SEED_CAPTURE_CODES).filter(([code]) => code !== 'SUCCESS');

  it.each(seedCodes)('seed code %s (%s) is mapped with its documented status', (code, status) => {
    const row = lookupAntomCode(code);
    expect(row, code).toBeDefined();
    expect(row?.status).toBe(status);
    const error = mapAntomResult({ resultCode: code, resultStatus: status, resultMessage: 'm' });
    expect(error.providerCode).toBe(code);
    expect(error.providerStatus).toBe(status);
    expect(error.code).toBe(SEED_NORMALIZED[code]);
    expect(error.outcome).toBe(status === 'U' ? 'unknown' : 'failed');
    expect(error.message).toContain(code);
  });

  it.each(COMMON_CODES)('common code %s is mapped', (code) => {
    expect(lookupAntomCode(code), code).toBeDefined();
  });

  it('every row has the status the seed or PROTOCOLS.md documents, and an outcome to match', () => {
    for (const [code, row] of Object.entries(ANTOM_RESULT_CODES)) {
      const documented = SEED_CAPTURE_CODES[code] ?? OTHER_STATUSES[code];
      expect(documented, `${code} is documented`).toBeDefined();
      expect(row.status, code).toBe(documented);
      expect(CAPTURE_ERROR_CODES, code).toContain(row.code);
      expect(row.outcome, code).toBe(documented === 'U' ? 'unknown' : 'failed');
      expect(row.advice.length, code).toBeGreaterThan(10);
    }
  });

  it('maps the codes the brief names', () => {
    const expected: Record<string, string> = {
      AUTH_EXPIRED: 'authorization_expired',
      AUTH_CANCELLED: 'authorization_cancelled',
      ORDER_IS_CANCELED: 'authorization_cancelled',
      AUTH_NOT_FOUND: 'payment_not_found',
      CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: 'amount_exceeds_authorized',
      CURRENCY_NOT_SUPPORT: 'currency_not_supported',
      MULTI_CAPTURE_NOT_SUPPORTED: 'multiple_captures_not_supported',
      PAYMENT_COUNT_EXCEED_LIMIT: 'capture_limit_exceeded',
      ORDER_STATUS_INVALID: 'invalid_payment_state',
      REPEAT_REQ_INCONSISTENT: 'idempotency_conflict',
      RISK_REJECT: 'risk_rejected',
      USER_BALANCE_NOT_ENOUGH: 'insufficient_funds',
      USER_NOT_EXIST: 'payer_account_invalid',
      USER_STATUS_ABNORMAL: 'payer_account_invalid',
      USER_AMOUNT_EXCEED_LIMIT: 'payer_limit_exceeded',
      PARAM_ILLEGAL: 'invalid_request',
      PROCESS_FAIL: 'provider_error',
      SIGNATURE_INVALID: 'authentication_failed',
      KEY_NOT_FOUND: 'authentication_failed',
      CLIENT_INVALID: 'authentication_failed',
      REQUEST_TRAFFIC_EXCEED_LIMIT: 'rate_limited',
      CAPTURE_IN_PROCESS: 'capture_in_progress',
      UNKNOWN_EXCEPTION: 'outcome_unknown',
    };
    for (const [code, normalized] of Object.entries(expected)) {
      expect(lookupAntomCode(code)?.code, code).toBe(normalized);
    }
    expect(mapAntomResult({ resultCode: 'SYSTEM_ERROR', resultStatus: 'U' })).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
    });
    expect(
      mapAntomResult({ resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT', resultStatus: 'F' }).retryable,
    ).toBe(true);
  });

  it('U codes carry the resolve advice, never "use a new key"', () => {
    for (const code of ['CAPTURE_IN_PROCESS', 'UNKNOWN_EXCEPTION']) {
      const error = mapAntomResult({ resultCode: code, resultStatus: 'U' });
      expect(error.message).toContain(UNKNOWN_OUTCOME_ADVICE);
      expect(error.retryable).toBe(true);
    }
  });

  it('unlisted codes keep providerCode and map by status', () => {
    expect(mapAntomResult({ resultCode: 'BRAND_NEW', resultStatus: 'F' })).toMatchObject({
      code: 'provider_error',
      outcome: 'failed',
      providerCode: 'BRAND_NEW',
    });
    expect(mapAntomResult({ resultCode: 'BRAND_NEW', resultStatus: 'U' })).toMatchObject({
      code: 'outcome_unknown',
      outcome: 'unknown',
      providerCode: 'BRAND_NEW',
    });
    expect(mapAntomResult({})).toMatchObject({ code: 'provider_error', outcome: 'unknown' });
  });

  it('a listed F code answered with status U is unknown (the safer reading wins)', () => {
    expect(mapAntomResult({ resultCode: 'RISK_REJECT', resultStatus: 'U' }).outcome).toBe(
      'unknown',
    );
    expect(mapAntomResult({ resultCode: 'CAPTURE_IN_PROCESS', resultStatus: 'F' }).outcome).toBe(
      'unknown',
    );
  });

  it('is total: any code and status give a normalized code, and U is never failed', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...Object.keys(ANTOM_RESULT_CODES)), fc.string()),
        fc.constantFrom('S', 'F', 'U', '', 'X', undefined),
        (resultCode, resultStatus) => {
          const error = mapAntomResult({ resultCode, resultStatus });
          expect(CAPTURE_ERROR_CODES).toContain(error.code);
          if (resultStatus === 'U') expect(error.outcome).toBe('unknown');
          if (resultStatus !== 'F' && resultStatus !== 'U') expect(error.outcome).toBe('unknown');
        },
      ),
    );
  });
});

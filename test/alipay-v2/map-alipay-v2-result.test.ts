import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPTURE_ERROR_CODES } from '../../src/core/errors.js';
import {
  ALIPAY_V2_RESULT_CODES,
  type AlipayV2ResultCode,
  mapAlipayV2Result,
} from '../../src/providers/alipay-v2/index.js';

// The seed's table (alipay-plus-v2-capture-api.txt), without SUCCESS, and PROTOCOLS.md §B's common list.
const SEED_CODES: Record<string, 'F' | 'U'> = {
  AUTH_CANCELLED: 'F',
  AUTH_EXPIRED: 'F',
  AUTH_NOT_FOUND: 'F',
  CAPTURE_IN_PROCESS: 'U',
  INVALID_TOKEN: 'F',
  CURRENCY_NOT_SUPPORT: 'F',
  USER_BALANCE_NOT_ENOUGH: 'F',
  USER_STATUS_ABNORMAL: 'F',
  PAYMENT_AMOUNT_EXCEED_LIMIT: 'F',
  PAYMENT_COUNT_EXCEED_LIMIT: 'F',
  REPEAT_REQ_INCONSISTENT: 'F',
  USER_AMOUNT_EXCEED_LIMIT: 'F',
  RISK_REJECT: 'F',
  KEY_NOT_FOUND: 'F',
  CLIENT_INVALID: 'F',
  SIGNATURE_INVALID: 'F',
  METHOD_NOT_SUPPORTED: 'F',
  MEDIA_TYPE_NOT_ACCEPTABLE: 'F',
  CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: 'F',
  UNKNOWN_EXCEPTION: 'U',
};
const COMMON_CODES: Record<string, 'F' | 'U'> = {
  PROCESS_FAIL: 'F',
  PARAM_ILLEGAL: 'F',
  INVALID_API: 'F',
  ACCESS_DENIED: 'F',
  REQUEST_TRAFFIC_EXCEED_LIMIT: 'F',
  EXPIRED_ACCESS_TOKEN: 'F',
};

/** The decisions of the brief, code by code. */
const EXPECTED: Record<string, [string, 'failed' | 'unknown']> = {
  AUTH_CANCELLED: ['authorization_cancelled', 'failed'],
  AUTH_EXPIRED: ['authorization_expired', 'failed'],
  AUTH_NOT_FOUND: ['payment_not_found', 'failed'],
  ORDER_NOT_EXIST: ['payment_not_found', 'failed'],
  CAPTURE_IN_PROCESS: ['capture_in_progress', 'unknown'],
  UNKNOWN_EXCEPTION: ['outcome_unknown', 'unknown'],
  INVALID_TOKEN: ['access_denied', 'failed'],
  EXPIRED_ACCESS_TOKEN: ['access_denied', 'failed'],
  CURRENCY_NOT_SUPPORT: ['currency_not_supported', 'failed'],
  USER_BALANCE_NOT_ENOUGH: ['insufficient_funds', 'failed'],
  USER_STATUS_ABNORMAL: ['payer_account_invalid', 'failed'],
  PAYMENT_AMOUNT_EXCEED_LIMIT: ['payer_limit_exceeded', 'failed'],
  USER_AMOUNT_EXCEED_LIMIT: ['payer_limit_exceeded', 'failed'],
  PAYMENT_COUNT_EXCEED_LIMIT: ['capture_limit_exceeded', 'failed'],
  REPEAT_REQ_INCONSISTENT: ['idempotency_conflict', 'failed'],
  RISK_REJECT: ['risk_rejected', 'failed'],
  KEY_NOT_FOUND: ['authentication_failed', 'failed'],
  CLIENT_INVALID: ['authentication_failed', 'failed'],
  SIGNATURE_INVALID: ['authentication_failed', 'failed'],
  METHOD_NOT_SUPPORTED: ['invalid_request', 'failed'],
  MEDIA_TYPE_NOT_ACCEPTABLE: ['invalid_request', 'failed'],
  INVALID_API: ['invalid_request', 'failed'],
  PARAM_ILLEGAL: ['invalid_request', 'failed'],
  CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: ['amount_exceeds_authorized', 'failed'],
  PROCESS_FAIL: ['provider_error', 'failed'],
  ACCESS_DENIED: ['access_denied', 'failed'],
  REQUEST_TRAFFIC_EXCEED_LIMIT: ['rate_limited', 'failed'],
};

describe('ALIPAY_V2_RESULT_CODES', () => {
  it('lists every seed and common code with its documented status', () => {
    for (const [code, status] of Object.entries({ ...SEED_CODES, ...COMMON_CODES })) {
      expect(ALIPAY_V2_RESULT_CODES, code).toHaveProperty(code);
      expect(ALIPAY_V2_RESULT_CODES[code as AlipayV2ResultCode].status, code).toBe(status);
    }
  });

  it.each(Object.entries(ALIPAY_V2_RESULT_CODES))(
    '%s maps as decided, to a known code',
    (code, mapping) => {
      expect(CAPTURE_ERROR_CODES).toContain(mapping.code);
      expect([mapping.code, mapping.outcome]).toEqual(EXPECTED[code]);
      expect(mapping.advice.length).toBeGreaterThan(20);
      const verdict = mapAlipayV2Result({
        resultCode: code,
        resultStatus: mapping.status,
        resultMessage: 'm',
      });
      expect(verdict.kind).toBe('error');
      if (verdict.kind !== 'error') return;
      expect(verdict.error).toMatchObject({
        code: mapping.code,
        outcome: mapping.outcome,
        providerCode: code,
        providerStatus: mapping.status,
        kind: 'alipayV2',
      });
      expect(verdict.error.message).toContain(code);
    },
  );

  it('has no entry the brief did not decide', () => {
    expect(Object.keys(ALIPAY_V2_RESULT_CODES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('marks REQUEST_TRAFFIC_EXCEED_LIMIT failed but retryable', () => {
    expect(ALIPAY_V2_RESULT_CODES.REQUEST_TRAFFIC_EXCEED_LIMIT).toMatchObject({
      outcome: 'failed',
      retryable: true,
    });
  });
});

describe('mapAlipayV2Result', () => {
  it('S succeeds and A (accepted) is pending', () => {
    expect(mapAlipayV2Result({ resultCode: 'SUCCESS', resultStatus: 'S' })).toEqual({
      kind: 'succeeded',
    });
    expect(mapAlipayV2Result({ resultCode: 'ACCEPT', resultStatus: 'A' })).toEqual({
      kind: 'pending',
    });
  });

  it('keeps an unlisted F code and fails with provider_error', () => {
    const verdict = mapAlipayV2Result({ resultCode: 'WALLET_SPECIFIC', resultStatus: 'F' });
    expect(verdict).toMatchObject({
      kind: 'error',
      error: { code: 'provider_error', outcome: 'failed', providerCode: 'WALLET_SPECIFIC' },
    });
  });

  it('treats U, a missing status and a strange status as unknown', () => {
    for (const resultStatus of ['U', undefined, null, 'X']) {
      const verdict = mapAlipayV2Result({ resultCode: 'PROCESS_FAIL', resultStatus });
      expect(verdict).toMatchObject({
        kind: 'error',
        error: { outcome: 'unknown', code: 'outcome_unknown' },
      });
    }
  });

  it('stays unknown for a documented U code a wallet labels F', () => {
    const verdict = mapAlipayV2Result({ resultCode: 'CAPTURE_IN_PROCESS', resultStatus: 'F' });
    expect(verdict).toMatchObject({
      kind: 'error',
      error: { outcome: 'unknown', code: 'capture_in_progress' },
    });
  });

  it('never lets a U status become a definitive failure (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('U', 'F'), (resultCode, resultStatus) => {
        const verdict = mapAlipayV2Result({ resultCode, resultStatus });
        if (verdict.kind !== 'error') return false;
        return resultStatus === 'U'
          ? verdict.error.outcome === 'unknown'
          : verdict.error.outcome !== 'not_attempted';
      }),
    );
  });
});

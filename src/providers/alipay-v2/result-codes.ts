import {
  type CaptureErrorCode,
  type CaptureOutcome,
  UNKNOWN_OUTCOME_ADVICE,
} from '../../core/errors.js';

/**
 * How one Alipay+ v2 result code maps to the neutral error.
 *
 * @example
 * ```ts
 * const risk: AlipayV2CodeMapping = ALIPAY_V2_RESULT_CODES.RISK_REJECT;
 * ```
 */
export interface AlipayV2CodeMapping {
  /** The status the wallet documents for this code. */
  readonly status: 'F' | 'U';
  readonly code: CaptureErrorCode;
  readonly outcome: Exclude<CaptureOutcome, 'not_attempted'>;
  /** Only set where it differs from the default for the outcome. */
  readonly retryable?: boolean;
  /** What the caller should do, in one sentence. */
  readonly advice: string;
}

/**
 * The code the wallet answers for a capture that went through.
 *
 * @example
 * ```ts
 * if (raw.result.resultCode === ALIPAY_V2_SUCCESS_CODE) console.log('captured');
 * ```
 */
export const ALIPAY_V2_SUCCESS_CODE = 'SUCCESS';

/**
 * Every non-success result code of the v2 capture API (the seed's table), the common
 * mini-program codes, and `ORDER_NOT_EXIST`, which `inquiryPayment` is ASSUMED to answer for
 * an unknown payment (modelled on AMS v1).
 *
 * @example
 * ```ts
 * ALIPAY_V2_RESULT_CODES.AUTH_EXPIRED.code; // 'authorization_expired'
 * ```
 */
export const ALIPAY_V2_RESULT_CODES = {
  AUTH_CANCELLED: {
    status: 'F',
    code: 'authorization_cancelled',
    outcome: 'failed',
    advice:
      'The authorization was cancelled (or released by an earlier last capture) and cannot be captured: authorize a new payment.',
  },
  AUTH_EXPIRED: {
    status: 'F',
    code: 'authorization_expired',
    outcome: 'failed',
    advice: 'The authorization expired before this capture: authorize a new payment.',
  },
  AUTH_NOT_FOUND: {
    status: 'F',
    code: 'payment_not_found',
    outcome: 'failed',
    advice:
      'The wallet has no authorization with this paymentId: check paymentId and that baseUrl points at the wallet that authorized it.',
  },
  ORDER_NOT_EXIST: {
    status: 'F',
    code: 'payment_not_found',
    outcome: 'failed',
    advice:
      'The wallet has no payment with this paymentId: check paymentId and that baseUrl points at the wallet that authorized it.',
  },
  CAPTURE_IN_PROCESS: {
    status: 'U',
    code: 'capture_in_progress',
    outcome: 'unknown',
    advice: `The wallet is still processing this capture. ${UNKNOWN_OUTCOME_ADVICE}`,
  },
  UNKNOWN_EXCEPTION: {
    status: 'U',
    code: 'outcome_unknown',
    outcome: 'unknown',
    advice: `The wallet could not say what happened. ${UNKNOWN_OUTCOME_ADVICE}`,
  },
  INVALID_TOKEN: {
    status: 'F',
    code: 'access_denied',
    outcome: 'failed',
    advice:
      "The wallet user's access token for this payment is invalid: the user has to authorize the mini program again.",
  },
  EXPIRED_ACCESS_TOKEN: {
    status: 'F',
    code: 'access_denied',
    outcome: 'failed',
    advice:
      "The wallet user's access token has expired: refresh it (or have the user authorize again), then capture with a new idempotency key.",
  },
  CURRENCY_NOT_SUPPORT: {
    status: 'F',
    code: 'currency_not_supported',
    outcome: 'failed',
    advice:
      'The wallet does not accept this currency for this payment: capture in the currency the payment was authorized in.',
  },
  USER_BALANCE_NOT_ENOUGH: {
    status: 'F',
    code: 'insufficient_funds',
    outcome: 'failed',
    advice: "The user's wallet balance is too low for this capture.",
  },
  USER_STATUS_ABNORMAL: {
    status: 'F',
    code: 'payer_account_invalid',
    outcome: 'failed',
    advice: "The user's wallet account is restricted; the user has to contact the wallet.",
  },
  PAYMENT_AMOUNT_EXCEED_LIMIT: {
    status: 'F',
    code: 'payer_limit_exceeded',
    outcome: 'failed',
    advice: "The amount is above the wallet's limit for one payment: capture less.",
  },
  USER_AMOUNT_EXCEED_LIMIT: {
    status: 'F',
    code: 'payer_limit_exceeded',
    outcome: 'failed',
    advice: "The amount is above the user's own limit at the wallet.",
  },
  PAYMENT_COUNT_EXCEED_LIMIT: {
    status: 'F',
    code: 'capture_limit_exceeded',
    outcome: 'failed',
    advice: 'The wallet allows no more captures (or payments) here: stop capturing this payment.',
  },
  REPEAT_REQ_INCONSISTENT: {
    status: 'F',
    code: 'idempotency_conflict',
    outcome: 'failed',
    advice:
      'This captureRequestId (idempotencyKey) was already used with different fields: resend the original request unchanged, or use a new idempotencyKey for a different capture.',
  },
  RISK_REJECT: {
    status: 'F',
    code: 'risk_rejected',
    outcome: 'failed',
    advice: "The wallet's risk control refused the capture.",
  },
  KEY_NOT_FOUND: {
    status: 'F',
    code: 'authentication_failed',
    outcome: 'failed',
    advice:
      'The wallet has no public key for this client and keyVersion: check alipayV2({ keyVersion }) and the key registered with the wallet.',
  },
  CLIENT_INVALID: {
    status: 'F',
    code: 'authentication_failed',
    outcome: 'failed',
    advice: 'The wallet does not know this client: check alipayV2({ clientId }).',
  },
  SIGNATURE_INVALID: {
    status: 'F',
    code: 'authentication_failed',
    outcome: 'failed',
    advice:
      'The wallet could not verify the request signature: check that alipayV2({ privateKey }) matches the public key registered with the wallet, and that baseUrl carries the right prefix (the signature covers the full path).',
  },
  METHOD_NOT_SUPPORTED: {
    status: 'F',
    code: 'invalid_request',
    outcome: 'failed',
    advice:
      'The wallet refused the HTTP method: check baseUrl (a proxy may be rewriting the request).',
  },
  MEDIA_TYPE_NOT_ACCEPTABLE: {
    status: 'F',
    code: 'invalid_request',
    outcome: 'failed',
    advice:
      'The wallet refused the content type: check that no proxy rewrites Content-Type: application/json; charset=UTF-8.',
  },
  INVALID_API: {
    status: 'F',
    code: 'invalid_request',
    outcome: 'failed',
    advice:
      "The wallet has no such API at this path: check that alipayV2({ baseUrl }) ends with the wallet's prefix (/api, /acl/api or /api/open).",
  },
  PARAM_ILLEGAL: {
    status: 'F',
    code: 'invalid_request',
    outcome: 'failed',
    advice:
      'The wallet rejected a field of the request: check paymentId, amount and providerOptions.alipayV2.',
  },
  CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: {
    status: 'F',
    code: 'amount_exceeds_authorized',
    outcome: 'failed',
    advice:
      'Together with earlier captures this is more than the authorized amount (or nothing is left to capture): lower amount.value.',
  },
  PROCESS_FAIL: {
    status: 'F',
    code: 'provider_error',
    outcome: 'failed',
    advice: 'The wallet failed to process the capture; nothing was captured.',
  },
  ACCESS_DENIED: {
    status: 'F',
    code: 'access_denied',
    outcome: 'failed',
    advice: 'This client may not capture this payment: check the contract with the wallet.',
  },
  REQUEST_TRAFFIC_EXCEED_LIMIT: {
    status: 'F',
    code: 'rate_limited',
    outcome: 'failed',
    retryable: true,
    advice:
      'The wallet is rate limiting this client; nothing was captured. Wait, then retry (the same idempotency key is fine).',
  },
} as const satisfies Record<string, AlipayV2CodeMapping>;

/**
 * A result code this library knows.
 *
 * @example
 * ```ts
 * const code: AlipayV2ResultCode = 'AUTH_EXPIRED';
 * ```
 */
export type AlipayV2ResultCode = keyof typeof ALIPAY_V2_RESULT_CODES;

import {
  type CaptureErrorCode,
  type CaptureOutcome,
  UNKNOWN_OUTCOME_ADVICE,
} from '../../core/errors.js';

/**
 * Antom's `result.resultStatus`: S (success), F (failed), U (unknown / processing).
 *
 * @example
 * ```ts
 * const status: AntomResultStatus = ANTOM_RESULT_CODES.SYSTEM_ERROR.status;
 * status; // 'U': the capture may have happened, so resolve() before anything else
 * ```
 */
export type AntomResultStatus = 'S' | 'F' | 'U';

/**
 * One row of {@link ANTOM_RESULT_CODES}.
 *
 * @example
 * ```ts
 * const row: AntomCodeMapping = ANTOM_RESULT_CODES.AUTH_EXPIRED;
 * row.status; // 'F'
 * row.code; // 'authorization_expired'
 * row.outcome; // 'failed'
 * ```
 */
export interface AntomCodeMapping {
  /** The status Antom documents for this code. */
  readonly status: AntomResultStatus;
  readonly code: CaptureErrorCode;
  readonly outcome: CaptureOutcome;
  /** What to do next, in words a person can act on. */
  readonly advice: string;
}

/** The closing advice for codes only Antom can explain. */
export const TECH_SUPPORT = 'If it persists, contact Antom Technical Support.';

/**
 * Every non-success code Antom documents for `capture` (seed table), the common codes any
 * AMS call may return, and the inquiry's "no such payment" code, each mapped to exactly one
 * normalized code. A code missing here keeps its `providerCode` and maps by S/F/U
 * (see `mapAntomResult`).
 *
 * @example
 * ```ts
 * ANTOM_RESULT_CODES.AUTH_EXPIRED.code; // 'authorization_expired'
 * ```
 */
export const ANTOM_RESULT_CODES = {
  // capture (seed: antom-v1-capture-api.md, "Result/Error codes")
  ACCESS_DENIED: {
    status: 'F',
    code: 'access_denied',
    outcome: 'failed',
    advice: 'Antom denied access for this merchant or payment; contact Antom Technical Support.',
  },
  AUTH_CANCELLED: {
    status: 'F',
    code: 'authorization_cancelled',
    outcome: 'failed',
    advice: 'The authorization was cancelled; create a new payment (new paymentRequestId).',
  },
  AUTH_EXPIRED: {
    status: 'F',
    code: 'authorization_expired',
    outcome: 'failed',
    advice:
      'The authorization expired (manual captures must happen within 7 days); create a new payment.',
  },
  AUTH_NOT_FOUND: {
    status: 'F',
    code: 'payment_not_found',
    outcome: 'failed',
    advice: `Antom has no authorization for this paymentId: check paymentId. ${TECH_SUPPORT}`,
  },
  CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: {
    status: 'F',
    code: 'amount_exceeds_authorized',
    outcome: 'failed',
    advice:
      'The total captured would exceed the authorized amount: lower amount.value. (Antom also answers this to a duplicate capture while one is CAPTURE_IN_PROCESS: after an unknown outcome call resolve(), do not capture again.)',
  },
  CAPTURE_IN_PROCESS: {
    status: 'U',
    code: 'capture_in_progress',
    outcome: 'unknown',
    advice: `Antom is still processing the capture. ${UNKNOWN_OUTCOME_ADVICE} Prefer resolve(): Antom answers a duplicate capture during processing with an "amount exceeded" error.`,
  },
  CURRENCY_NOT_SUPPORT: {
    status: 'F',
    code: 'currency_not_supported',
    outcome: 'failed',
    advice: 'Antom refused the currency: amount.currency must equal the payment currency.',
  },
  MULTI_CAPTURE_NOT_SUPPORTED: {
    status: 'F',
    code: 'multiple_captures_not_supported',
    outcome: 'failed',
    advice:
      'This payment accepts one capture only: do not send a second capture or final: false. If your Antom contract allows multiple captures, set antom({ contract: { multipleCaptures: true } }).',
  },
  INVALID_CONTRACT: {
    status: 'F',
    code: 'unsupported',
    outcome: 'failed',
    advice:
      'Your Antom contract does not cover this capture (for example a partial capture under a full-capture-only contract): capture the full authorized amount, or ask Antom to change the contract.',
  },
  NO_PAY_OPTIONS: {
    status: 'F',
    code: 'access_denied',
    outcome: 'failed',
    advice:
      'No payment method is available to this merchant for the capture; contact Antom Technical Support.',
  },
  ORDER_IS_CANCELED: {
    status: 'F',
    code: 'authorization_cancelled',
    outcome: 'failed',
    advice: 'The payment was cancelled; create a new payment (new paymentRequestId).',
  },
  ORDER_STATUS_INVALID: {
    status: 'F',
    code: 'invalid_payment_state',
    outcome: 'failed',
    advice:
      'The payment cannot be captured in its current state (already closed, auto-captured, or not authorized): check it with resolve() or inquiryPayment.',
  },
  PARAM_ILLEGAL: {
    status: 'F',
    code: 'invalid_request',
    outcome: 'failed',
    advice:
      'Antom rejected a field (missing, wrong length or not a string): check paymentId, amount, idempotencyKey and providerOptions.antom.',
  },
  PAYMENT_COUNT_EXCEED_LIMIT: {
    status: 'F',
    code: 'capture_limit_exceeded',
    outcome: 'failed',
    advice: `The payment method allows no more captures on this payment. ${TECH_SUPPORT}`,
  },
  PROCESS_FAIL: {
    status: 'F',
    code: 'provider_error',
    outcome: 'failed',
    advice: 'Antom could not process the capture; do not retry: contact Antom Technical Support.',
  },
  REPEAT_REQ_INCONSISTENT: {
    status: 'F',
    code: 'idempotency_conflict',
    outcome: 'failed',
    advice:
      'This idempotencyKey (captureRequestId) was already used with different parameters: resend exactly the same request, or use a new key for a different capture.',
  },
  RISK_REJECT: {
    status: 'F',
    code: 'risk_rejected',
    outcome: 'failed',
    advice: "Antom's risk control rejected the capture; tell the buyer the payment was declined.",
  },
  USER_AMOUNT_EXCEED_LIMIT: {
    status: 'F',
    code: 'payer_limit_exceeded',
    outcome: 'failed',
    advice:
      "The amount exceeds the buyer's payment limit: lower amount.value or ask the buyer to contact the issuer.",
  },
  USER_BALANCE_NOT_ENOUGH: {
    status: 'F',
    code: 'insufficient_funds',
    outcome: 'failed',
    advice: "The buyer's balance is insufficient for the capture.",
  },
  USER_NOT_EXIST: {
    status: 'F',
    code: 'payer_account_invalid',
    outcome: 'failed',
    advice:
      "The buyer's account does not exist at the payment method; contact the buyer or the issuer.",
  },
  USER_STATUS_ABNORMAL: {
    status: 'F',
    code: 'payer_account_invalid',
    outcome: 'failed',
    advice: `The buyer's account status is abnormal at the payment method. ${TECH_SUPPORT}`,
  },
  UNKNOWN_EXCEPTION: {
    status: 'U',
    code: 'outcome_unknown',
    outcome: 'unknown',
    advice: `Antom failed for an unknown reason. ${UNKNOWN_OUTCOME_ADVICE}`,
  },
  // Common codes any AMS call may return (PROTOCOLS.md §A).
  SIGNATURE_INVALID: {
    status: 'F',
    code: 'authentication_failed',
    outcome: 'failed',
    advice:
      'Antom could not verify the request signature: check antom({ privateKey, keyVersion }) against the public key uploaded to the Antom Dashboard.',
  },
  KEY_NOT_FOUND: {
    status: 'F',
    code: 'authentication_failed',
    outcome: 'failed',
    advice:
      'Antom has no public key for this client and keyVersion: upload the key in the Antom Dashboard or fix antom({ keyVersion }).',
  },
  CLIENT_INVALID: {
    status: 'F',
    code: 'authentication_failed',
    outcome: 'failed',
    advice:
      'Antom does not know this client id in this environment: check antom({ clientId }) (SANDBOX_ ids use the sandbox) and the base URL/region.',
  },
  INVALID_API: {
    status: 'F',
    code: 'invalid_request',
    outcome: 'failed',
    advice:
      'Antom does not know this API path: check antom({ baseUrl }) for an unexpected path prefix.',
  },
  REQUEST_TRAFFIC_EXCEED_LIMIT: {
    status: 'F',
    code: 'rate_limited',
    outcome: 'failed',
    advice: 'Antom rate-limited the call before processing it; retry later.',
  },
  METHOD_NOT_SUPPORTED: {
    status: 'F',
    code: 'invalid_request',
    outcome: 'failed',
    advice: 'Antom accepts POST only on this API.',
  },
  MEDIA_TYPE_NOT_ACCEPTABLE: {
    status: 'F',
    code: 'invalid_request',
    outcome: 'failed',
    advice: 'Antom refused the content type; requests must be application/json; charset=UTF-8.',
  },
  SYSTEM_ERROR: {
    status: 'U',
    code: 'provider_error',
    outcome: 'unknown',
    advice: `Antom had a system error. ${UNKNOWN_OUTCOME_ADVICE}`,
  },
  // inquiryPayment: the payment does not exist (ASSUMED code name, from Antom's inquiry page).
  ORDER_NOT_EXIST: {
    status: 'F',
    code: 'payment_not_found',
    outcome: 'failed',
    advice: 'Antom has no payment with this paymentId: check paymentId.',
  },
} as const satisfies Readonly<Record<string, AntomCodeMapping>>;

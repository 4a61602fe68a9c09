/**
 * The result codes the Alipay+ v2 simulator answers, with the status and message the seed
 * (or the common mini-program list) gives them. Kept apart from the adapter's table on
 * purpose: the simulator is the wallet's side and must not borrow the adapter's view.
 */
export const ALIPAY_V2_SIM_CODES = {
  SUCCESS: ['S', 'success'],
  AUTH_CANCELLED: ['F', 'The authorization on payment has been canceled.'],
  AUTH_EXPIRED: ['F', 'The authorization on payment is expired.'],
  AUTH_NOT_FOUND: ['F', 'The authorization on payment is not found.'],
  CAPTURE_IN_PROCESS: ['U', 'The capture is processing.'],
  INVALID_TOKEN: ['F', 'The access token is invalid.'],
  CURRENCY_NOT_SUPPORT: ['F', "The currency of a user's payment is not supported by the wallet."],
  USER_BALANCE_NOT_ENOUGH: ['F', "The user's balance is not enough for the payment."],
  USER_STATUS_ABNORMAL: ['F', 'The user status is abnormal.'],
  PAYMENT_AMOUNT_EXCEED_LIMIT: ['F', 'The payment amount exceeds the limit.'],
  PAYMENT_COUNT_EXCEED_LIMIT: ['F', 'The number of payments exceeds the limit.'],
  REPEAT_REQ_INCONSISTENT: ['F', 'The submitted request is not consistent with the last one.'],
  USER_AMOUNT_EXCEED_LIMIT: ['F', "The payment amount exceeds the user's amount limit."],
  RISK_REJECT: ['F', 'The payment is rejected due to risk control.'],
  KEY_NOT_FOUND: ['F', 'The key is not found.'],
  CLIENT_INVALID: ['F', 'The client is invalid.'],
  SIGNATURE_INVALID: ['F', 'The signature is invalid.'],
  METHOD_NOT_SUPPORTED: ['F', 'The server does not implement the requested HTTP method.'],
  MEDIA_TYPE_NOT_ACCEPTABLE: [
    'F',
    'The server does not implement the media type that can be accepted by the client.',
  ],
  CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: [
    'F',
    'The total capture amount exceeds the limit of the authorized payment amount.',
  ],
  UNKNOWN_EXCEPTION: ['U', 'An API calling is failed, which is caused by unknown reasons.'],
  PROCESS_FAIL: ['F', 'A general business failure occurred.'],
  PARAM_ILLEGAL: ['F', 'Illegal parameters.'],
  INVALID_API: ['F', 'The called API is invalid or not active.'],
  ACCESS_DENIED: ['F', 'Access is denied.'],
  REQUEST_TRAFFIC_EXCEED_LIMIT: ['F', 'The request traffic exceeds the limit.'],
  EXPIRED_ACCESS_TOKEN: ['F', 'The access token is expired.'],
  // inquiryPayment / cancel (ASSUMED, as in AMS v1):
  ORDER_NOT_EXIST: ['F', 'The order does not exist.'],
  ORDER_STATUS_INVALID: ['F', 'The order status is invalid.'],
} as const satisfies Record<string, readonly ['S' | 'F' | 'U', string]>;

/** A code the simulator can answer. */
export type AlipayV2SimCode = keyof typeof ALIPAY_V2_SIM_CODES;

/** A wire `result` object. */
interface AlipayV2SimResult {
  readonly resultCode: string;
  readonly resultStatus: 'S' | 'F' | 'U';
  readonly resultMessage: string;
}

/**
 * The `result` object for `code`, optionally with a more precise message.
 *
 * @example
 * ```ts
 * simResult('PARAM_ILLEGAL', 'Illegal parameters: captureAmount.value'); // { resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', … }
 * ```
 */
export function simResult(code: AlipayV2SimCode, message?: string): AlipayV2SimResult {
  const [resultStatus, resultMessage] = ALIPAY_V2_SIM_CODES[code];
  return { resultCode: code, resultStatus, resultMessage: message ?? resultMessage };
}

/** True when `code` is one the simulator knows. */
export function isAlipayV2SimCode(code: string): code is AlipayV2SimCode {
  return Object.hasOwn(ALIPAY_V2_SIM_CODES, code);
}

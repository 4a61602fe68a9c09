import type { Money } from '../../core/money.js';
import { antomTransitSchema } from '../../providers/antom/schemas.js';
import type { AntomSimCapture } from './antom-sim-records.js';

/**
 * The Antom simulator's wire shapes: `result` objects, datetimes, the capture body check and
 * the bodies it answers and notifies. Pure functions; the state is in `antom-ledger.ts`.
 */

/** An Antom `result` object. */
export interface AntomSimResult {
  readonly resultCode: string;
  readonly resultStatus: 'S' | 'F' | 'U';
  readonly resultMessage: string;
}

/** Antom's messages for the codes the simulator answers (seed tables). */
const ANTOM_MESSAGES: Readonly<Record<string, string>> = {
  SUCCESS: 'success.',
  ACCESS_DENIED: 'The access is denied.',
  AUTH_CANCELLED: 'The payment authorization is canceled.',
  AUTH_EXPIRED: 'The payment authorization is expired.',
  AUTH_NOT_FOUND: 'The payment authorization is not found.',
  CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT:
    'The total capture amount exceeds the limit of the authorized payment amount.',
  CAPTURE_IN_PROCESS: 'The capture is processing.',
  CURRENCY_NOT_SUPPORT: 'The currency is not supported.',
  MULTI_CAPTURE_NOT_SUPPORTED: 'The transaction does not support multiple captures.',
  INVALID_CONTRACT:
    'The parameter values in the contract do not match those in the current transaction.',
  NO_PAY_OPTIONS: 'No payment methods are available.',
  ORDER_IS_CANCELED: 'The transaction is canceled.',
  ORDER_STATUS_INVALID: 'The transaction status is abnormal. The payment cannot be captured.',
  ORDER_NOT_EXIST: 'The order does not exist.',
  PARAM_ILLEGAL: 'The required parameters are not passed, or illegal parameters exist.',
  PAYMENT_COUNT_EXCEED_LIMIT:
    'The number of captures exceeds the limit that is specified by the payment method.',
  PROCESS_FAIL: 'The capture failed.',
  REPEAT_REQ_INCONSISTENT:
    'The submitted request exists, and the parameter values of this request are not consistent with those of the existing request.',
  RISK_REJECT: 'The request is rejected because of risk control.',
  USER_AMOUNT_EXCEED_LIMIT: 'The capture amount exceeds the user payment limit.',
  USER_BALANCE_NOT_ENOUGH: "The user's balance is insufficient for the capture.",
  USER_NOT_EXIST: "The user's account does not exist on the payment method side.",
  USER_STATUS_ABNORMAL: "The user's account status is abnormal on the payment method side.",
  UNKNOWN_EXCEPTION: 'The API call has failed, which is caused by unknown reasons.',
  SIGNATURE_INVALID: 'The signature is invalid.',
  KEY_NOT_FOUND: 'The key is not found.',
  CLIENT_INVALID: 'The client is invalid.',
  INVALID_API: 'The called API is invalid or not active.',
  METHOD_NOT_SUPPORTED: 'The server does not implement the requested HTTP method.',
  MEDIA_TYPE_NOT_ACCEPTABLE:
    'The server does not implement the media type that is acceptable to the client.',
  REQUEST_TRAFFIC_EXCEED_LIMIT: 'The request traffic exceeds the limit.',
  SYSTEM_ERROR: 'A system error occurred.',
};

/** Builds a `result` object with Antom's message for the code. */
export function antomResult(
  resultCode: string,
  resultStatus: AntomSimResult['resultStatus'] = 'F',
): AntomSimResult {
  return {
    resultCode,
    resultStatus,
    resultMessage: ANTOM_MESSAGES[resultCode] ?? resultCode.toLowerCase(),
  };
}

/** Antom datetime: ISO 8601 with an offset and no milliseconds, e.g. `2026-01-01T08:00:00+00:00`. */
export function antomTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** JSON with object keys sorted, so two bodies with the same content compare equal. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A capture request body that passed the simulator's checks. */
export interface AntomCaptureBody {
  readonly paymentId: string;
  readonly captureRequestId: string;
  readonly amount: Money;
  /** `isLastCapture`, when sent (`"true"`/`"false"` or a JSON boolean). */
  readonly isLastCapture?: boolean;
  readonly captureType?: string;
  readonly fingerprint: string;
}

const ID = /^[\x21-\x7E]{1,64}$/;
const POSITIVE = /^[1-9][0-9]*$/;

/** Checks a capture body the way Antom does; a string naming the problem for PARAM_ILLEGAL. */
export function checkCaptureBody(json: unknown): AntomCaptureBody | string {
  if (!json || typeof json !== 'object' || Array.isArray(json))
    return 'the body must be a JSON object';
  const body = json as Record<string, unknown>;
  const { paymentId, captureRequestId, captureAmount, isLastCapture, captureType, transit } = body;
  if (typeof paymentId !== 'string' || !ID.test(paymentId))
    return 'paymentId must be a string of 1-64 characters';
  if (typeof captureRequestId !== 'string' || !ID.test(captureRequestId)) {
    return 'captureRequestId must be a string of 1-64 characters';
  }
  if (!captureAmount || typeof captureAmount !== 'object') return 'captureAmount is required';
  const { currency, value } = captureAmount as Record<string, unknown>;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
    return 'captureAmount.currency must be 3 letters';
  if (typeof value !== 'string' || !POSITIVE.test(value)) {
    return 'captureAmount.value must be a string of a positive integer';
  }
  if (currency === 'IDR' && !value.endsWith('00'))
    return 'captureAmount.value for IDR must end in 00';
  // The documents say "true"/"false" strings; the official Python, Java and Go SDKs send a
  // JSON boolean. Both are accepted (the gateway evidently does), and mean the same thing.
  const isLast = typeof isLastCapture === 'boolean' ? isLastCapture : undefined;
  if (
    isLastCapture !== undefined &&
    isLast === undefined &&
    isLastCapture !== 'true' &&
    isLastCapture !== 'false'
  ) {
    return 'isLastCapture must be true or false (a JSON boolean or the string "true" / "false")';
  }
  if (captureType !== undefined && typeof captureType !== 'string')
    return 'captureType must be a string';
  if (transit !== undefined && !antomTransitSchema.safeParse(transit).success)
    return 'transit is illegal';
  return {
    paymentId,
    captureRequestId,
    amount: { currency, value: BigInt(value) },
    ...(isLastCapture !== undefined ? { isLastCapture: isLast ?? isLastCapture === 'true' } : {}),
    ...(captureType !== undefined ? { captureType } : {}),
    // ASSUMED: `true` and `"true"` are the same request, so a replay in the other form is not
    // REPEAT_REQ_INCONSISTENT.
    fingerprint: canonicalJson(
      isLastCapture === undefined
        ? body
        : { ...body, isLastCapture: isLast ?? isLastCapture === 'true' },
    ),
  };
}

/** One entry of `inquiryPayment.transactions[]`. */
export function captureTransaction(c: AntomSimCapture): Record<string, unknown> {
  const result = c.processing
    ? antomResult(c.processingCode ?? 'CAPTURE_IN_PROCESS', 'U')
    : c.result;
  const succeeded = !c.processing && c.result.resultStatus === 'S';
  return {
    transactionType: 'CAPTURE',
    transactionStatus: c.processing ? 'PROCESSING' : succeeded ? 'SUCCESS' : 'FAIL',
    transactionRequestId: c.captureRequestId,
    transactionAmount: { currency: c.amount.currency, value: c.amount.value.toString() },
    ...(c.processing || succeeded ? { transactionId: c.captureId } : {}),
    transactionTime: c.captureTime,
    transactionResult: result,
  };
}

/** The notifyCapture body for a capture that reached its final result. */
export function notifyCaptureBody(c: AntomSimCapture): Record<string, unknown> {
  const succeeded = c.result.resultStatus === 'S';
  return {
    captureAmount: { currency: c.amount.currency, value: c.amount.value.toString() },
    ...(succeeded ? { captureId: c.captureId } : {}),
    captureRequestId: c.captureRequestId,
    captureTime: c.captureTime,
    paymentId: c.paymentId,
    notifyType: 'CAPTURE_RESULT',
    result: c.result,
    ...(succeeded ? { acquirerReferenceNo: c.acquirerReferenceNo } : {}),
  };
}

/** The synchronous answer to a capture attempt, as Antom sends it (seed field order). */
export function captureResponseBody(c: AntomSimCapture): Record<string, unknown> {
  if (c.processing) return { result: antomResult(c.processingCode ?? 'UNKNOWN_EXCEPTION', 'U') };
  if (c.result.resultStatus !== 'S') return { result: c.result };
  return {
    acquirerReferenceNo: c.acquirerReferenceNo,
    result: c.result,
    captureTime: c.captureTime,
    paymentId: c.paymentId,
    captureRequestId: c.captureRequestId,
    captureId: c.captureId,
    captureAmount: { currency: c.amount.currency, value: c.amount.value.toString() },
  };
}

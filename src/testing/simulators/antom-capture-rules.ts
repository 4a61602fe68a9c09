import { DAY_MS } from '../manual-clock.js';
import type { AntomSimCapture, AntomSimContract, AntomSimPayment } from './antom-sim-records.js';
import type { AntomCaptureBody } from './antom-wire.js';

/** Antom's capture rules (seed documents), as pure functions of the books. */

/** Sum of captures that succeeded or are still processing. */
export function capturedTotal(captures: readonly AntomSimCapture[]): bigint {
  return captures
    .filter((c) => c.processing || c.result.resultStatus === 'S')
    .reduce((sum, c) => sum + c.amount.value, 0n);
}

function isCard(payment: AntomSimPayment): boolean {
  return /CARD/i.test(payment.paymentMethodType);
}

/**
 * The capture rules, in the order Antom would meet them. `undefined` means the capture
 * may succeed.
 */
export function captureRefusal(
  payment: AntomSimPayment | undefined,
  body: AntomCaptureBody,
  captures: readonly AntomSimCapture[],
  contract: AntomSimContract,
  now: number,
): string | undefined {
  if (!payment) return 'AUTH_NOT_FOUND';
  if (payment.cancelled === 'merchant') return 'ORDER_IS_CANCELED';
  if (payment.cancelled === 'authorization') return 'AUTH_CANCELLED';
  if (now - payment.authorizedAt > 7 * DAY_MS) return 'AUTH_EXPIRED';
  if (payment.captureMode === 'AUTOMATIC') return 'ORDER_STATUS_INVALID';
  if (body.amount.currency !== payment.amount.currency) return 'CURRENCY_NOT_SUPPORT';
  const taken = capturedTotal(captures);
  if (taken + body.amount.value > payment.amount.value) return 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT';
  const live = captures.filter((c) => c.processing || c.result.resultStatus === 'S');
  const multiple = contract.multipleCaptures === true;
  if (!multiple && (live.length > 0 || body.isLastCapture === false)) {
    return 'MULTI_CAPTURE_NOT_SUPPORTED';
  }
  if (payment.closed) return 'ORDER_STATUS_INVALID';
  if (live.length >= (contract.maxCaptures ?? 10)) return 'PAYMENT_COUNT_EXCEED_LIMIT';
  const partial = body.amount.value < payment.amount.value;
  const usCard = isCard(payment) && payment.issuerCountry?.toUpperCase() === 'US';
  if (partial && (contract.partialCapture !== true || usCard)) return 'INVALID_CONTRACT';
  return undefined;
}

/** Whether a successful capture closes the payment. */
export function closesPayment(body: AntomCaptureBody, contract: AntomSimContract): boolean {
  if (contract.multipleCaptures !== true) return true;
  // ASSUMED, as Alipay+ v2: isLastCapture defaults to true; captureType FINAL also closes.
  return body.isLastCapture !== false || body.captureType === 'FINAL';
}

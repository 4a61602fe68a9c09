import type { CaptureErrorCode, CaptureErrorInit, CaptureOutcome } from '../../core/errors.js';
import { UNKNOWN_OUTCOME_ADVICE } from '../../core/errors.js';
import type { StripeErrorBody } from './schemas.js';

/**
 * How one Stripe error `code` (or, without a code, error `type`) maps: the HTTP status it
 * comes with, the normalized code and outcome, and what to do. `assumed` marks a mapping
 * whose status or meaning for a capture the public pages do not spell out.
 *
 * @example
 * ```ts
 * const row: StripeCodeMapping = STRIPE_CODE_TABLE.amount_too_large!;
 * row.code; // 'amount_exceeds_authorized'
 * ```
 */
export interface StripeCodeMapping {
  readonly status: string;
  readonly code: CaptureErrorCode;
  readonly outcome: CaptureOutcome;
  readonly retryable?: boolean;
  readonly advice: string;
  readonly assumed?: boolean;
}

const failed = (
  status: string,
  code: CaptureErrorCode,
  advice: string,
  extra: Partial<StripeCodeMapping> = {},
): StripeCodeMapping => ({ status, code, outcome: 'failed', advice, ...extra });

/**
 * Every Stripe error the capture endpoint documents, by `error.code` (then by
 * `error.type` for answers without a code, and `decline_code` refinements of
 * `card_declined`). Sources and dates: the provider README. A 4xx is Stripe's verdict on
 * this request (nothing captured), so its outcome is `failed`, except a key reused with
 * other parameters or still in use, where an earlier request under the same key may have
 * captured (`unknown`).
 *
 * @example
 * ```ts
 * STRIPE_CODE_TABLE.payment_intent_unexpected_state?.code; // 'invalid_payment_state'
 * ```
 */
export const STRIPE_CODE_TABLE: Readonly<Record<string, StripeCodeMapping>> = Object.freeze({
  amount_too_large: failed(
    '400',
    'amount_exceeds_authorized',
    'amount_to_capture is more than amount_capturable: capture at most what is left.',
  ),
  amount_too_small: failed(
    '400',
    'invalid_request',
    "The amount is below Stripe's minimum charge amount for the currency: capture more, or cancel the rest.",
  ),
  payment_intent_unexpected_state: failed(
    '400',
    'invalid_payment_state',
    'The PaymentIntent is not in requires_capture (already captured in full, cancelled, or expired): read it in the Dashboard before doing anything else.',
  ),
  payment_intent_invalid_parameter: failed(
    '400',
    'invalid_request',
    'A capture parameter does not fit this PaymentIntent; with param final_capture the PaymentIntent was not authorized with multicapture (mapped to multiple_captures_not_supported).',
    { assumed: true },
  ),
  charge_expired_for_capture: failed(
    '400',
    'authorization_expired',
    'The authorization expired before the capture: the payment has to be authorized again.',
  ),
  capture_charge_authorization_expired: failed(
    '400',
    'authorization_expired',
    'The authorization expired before the capture: the payment has to be authorized again.',
  ),
  capture_unauthorized_payment: failed(
    '400',
    'invalid_payment_state',
    'The payment is not authorized, so there is nothing to capture.',
  ),
  charge_already_captured: failed(
    '400',
    'invalid_payment_state',
    'The charge is already captured in full: nothing is left to capture.',
  ),
  charge_already_refunded: failed(
    '400',
    'invalid_payment_state',
    'The charge was refunded: it cannot be captured.',
  ),
  charge_disputed: failed(
    '400',
    'invalid_payment_state',
    'The charge is disputed: it cannot be captured.',
  ),
  parameter_invalid_integer: failed(
    '400',
    'invalid_request',
    'A parameter is not a whole number: check amount_to_capture (minor units).',
  ),
  parameter_invalid_empty: failed(
    '400',
    'invalid_request',
    'A parameter was sent empty: check metadata values.',
  ),
  parameter_missing: failed('400', 'invalid_request', 'A required parameter is missing.'),
  parameter_unknown: failed(
    '400',
    'invalid_request',
    'Stripe does not know a parameter: check providerOptions.stripe against the pinned stripe({ apiVersion }).',
  ),
  resource_missing: failed(
    '404',
    'payment_not_found',
    'No PaymentIntent with this id in this account (or mode): check paymentId and that stripe({ secretKey }) is of the same account and live/test mode.',
  ),
  idempotency_error: {
    status: '400',
    code: 'idempotency_conflict',
    outcome: 'unknown',
    advice: `This Idempotency-Key was first used with other parameters, and that first request may have captured. Call resolve() with the same key. ${UNKNOWN_OUTCOME_ADVICE}`,
  },
  idempotency_key_in_use: {
    status: '409',
    code: 'capture_in_progress',
    outcome: 'unknown',
    advice: `Another request with this Idempotency-Key is still running. ${UNKNOWN_OUTCOME_ADVICE}`,
  },
  rate_limit: failed(
    '429',
    'rate_limited',
    'Stripe rate limited the request and ran nothing: wait (Retry-After when given), then retry with the same key.',
    { retryable: true },
  ),
  lock_timeout: failed(
    '429',
    'rate_limited',
    'The PaymentIntent was locked by another request and this one ran nothing: retry with the same key shortly.',
    { retryable: true },
  ),
  api_key_expired: failed(
    '401',
    'authentication_failed',
    'stripe({ secretKey }) has expired: roll the key in the Dashboard and configure the new one.',
  ),
  secret_key_required: failed(
    '403',
    'access_denied',
    'stripe({ secretKey }) is a publishable key: use the secret key (sk_…) or a restricted key (rk_…).',
  ),
  card_declined: failed(
    '402',
    'risk_rejected',
    'The issuer declined the capture (see decline_code): the payment cannot be captured as it is.',
  ),
  'card_declined/insufficient_funds': failed(
    '402',
    'insufficient_funds',
    'The issuer declined for insufficient funds: the payer has to pay again.',
  ),
  'card_declined/fraudulent': failed(
    '402',
    'risk_rejected',
    'Declined as fraudulent: do not retry; review the payment.',
  ),
  expired_card: failed(
    '402',
    'payer_account_invalid',
    'The card has expired: the payer has to pay again.',
  ),
  processing_error: failed(
    '402',
    'provider_error',
    'Stripe could not process the card and captured nothing: retry with the same key.',
    { retryable: true },
  ),
  // Answers without a code: the error type decides.
  invalid_request_error: failed(
    '400',
    'invalid_request',
    'Stripe refused the request without a code: read the message and fix the request.',
  ),
  card_error: failed(
    '402',
    'risk_rejected',
    'The card was declined: the payment cannot be captured as it is.',
  ),
  authentication_error: failed(
    '401',
    'authentication_failed',
    'Stripe did not accept stripe({ secretKey }): check that it is a current secret or restricted key.',
    { assumed: true },
  ),
  permission_error: failed(
    '403',
    'access_denied',
    'stripe({ secretKey }) may not capture PaymentIntents: give the restricted key write access to PaymentIntents.',
    { assumed: true },
  ),
  rate_limit_error: failed(
    '429',
    'rate_limited',
    'Too many requests: wait (Retry-After when given), then retry with the same key.',
    { retryable: true, assumed: true },
  ),
  api_error: {
    status: '500',
    code: 'provider_error',
    outcome: 'unknown',
    advice: `Stripe failed while running the request; Stripe saves and replays that answer for the key. Call resolve(), which reads the PaymentIntent. ${UNKNOWN_OUTCOME_ADVICE}`,
  },
});

/**
 * Looks an error up: `card_declined/<decline_code>`, then `code`, then `type`.
 *
 * @example
 * ```ts
 * lookupStripeError({ type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' })?.code;
 * // 'insufficient_funds'
 * ```
 */
export function lookupStripeError(
  error: StripeErrorBody | undefined,
): StripeCodeMapping | undefined {
  if (!error) return undefined;
  const table = STRIPE_CODE_TABLE;
  const refined =
    error.code && error.decline_code ? `${error.code}/${error.decline_code}` : undefined;
  for (const key of [refined, error.code, error.type]) {
    if (key && Object.hasOwn(table, key)) return table[key];
  }
  return undefined;
}

/**
 * Turns an HTTP error answer of the capture endpoint into the error init of the capture.
 * A 5xx, or a status/body it cannot read, is `unknown`: only a known 4xx refusal is
 * `failed`. A `payment_intent_invalid_parameter` about `final_capture` is
 * `multiple_captures_not_supported`.
 *
 * @example
 * ```ts
 * mapStripeError(400, { type: 'invalid_request_error', code: 'amount_too_large' }).code;
 * // 'amount_exceeds_authorized'
 * ```
 */
export function mapStripeError(
  httpStatus: number,
  error: StripeErrorBody | undefined,
): CaptureErrorInit {
  const providerCode = error?.code ?? error?.type ?? undefined;
  const facts = {
    kind: 'stripe',
    httpStatus,
    ...(providerCode ? { providerCode } : {}),
    ...(error?.decline_code ? { providerStatus: error.decline_code } : {}),
  };
  const said = error?.message ? ` Stripe said: ${error.message.slice(0, 200)}` : '';
  // 424: a dependency outside Stripe (the card network) failed mid-request; like a 5xx it
  // says nothing about whether the capture went through.
  if (httpStatus >= 500 || httpStatus === 424) {
    return {
      ...facts,
      code: 'provider_error',
      outcome: 'unknown',
      message: `Stripe answered HTTP ${httpStatus}${providerCode ? ` (${providerCode})` : ''}.${said} ${UNKNOWN_OUTCOME_ADVICE}`,
    };
  }
  // Stripe answers a bad key with type invalid_request_error: the status says what it is.
  const byStatus =
    httpStatus === 401
      ? STRIPE_CODE_TABLE.authentication_error
      : httpStatus === 403
        ? STRIPE_CODE_TABLE.permission_error
        : undefined;
  const found = lookupStripeError(error);
  // A 409 is a conflict with another request (under this key or on this PaymentIntent):
  // only its documented code says what happened, never the generic type.
  const conflict = httpStatus === 409 && found?.status !== '409';
  const row = conflict
    ? undefined
    : byStatus && found?.status !== String(httpStatus)
      ? byStatus
      : found;
  if (row === undefined) {
    // A 4xx Stripe answer is a refusal of this request; one we cannot read says nothing.
    const readable = error !== undefined && httpStatus >= 400 && httpStatus !== 409;
    return {
      ...facts,
      code: 'provider_error',
      outcome: readable ? 'failed' : 'unknown',
      message: readable
        ? `Stripe refused the capture (HTTP ${httpStatus}, ${providerCode ?? 'no code'}).${said}`
        : `Stripe answered HTTP ${httpStatus} with a body that is not a Stripe error. ${UNKNOWN_OUTCOME_ADVICE}`,
    };
  }
  const multicapture =
    error?.code === 'payment_intent_invalid_parameter' && error.param === 'final_capture';
  return {
    ...facts,
    code: multicapture ? 'multiple_captures_not_supported' : row.code,
    outcome: row.outcome,
    ...(row.retryable !== undefined ? { retryable: row.retryable } : {}),
    message: multicapture
      ? `This PaymentIntent was not authorized with multicapture, so final: false is refused; nothing was captured. Capture once with final: true.${said}`
      : `Stripe answered HTTP ${httpStatus} ${providerCode ?? ''}: ${row.advice}${said}`,
  };
}

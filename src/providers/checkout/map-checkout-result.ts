import { match, P } from 'ts-pattern';
import {
  type CaptureError,
  type CaptureErrorCode,
  type CaptureOutcome,
  captureError,
  UNKNOWN_OUTCOME_ADVICE,
} from '../../core/errors.js';
import { noReliableAnswer } from '../../provider-kit/no-reliable-answer.js';
import type { CheckoutErrorBody } from './schemas.js';

/**
 * How one Checkout.com code maps onto the neutral error.
 *
 * @example
 * ```ts
 * const row: CheckoutCodeMapping = CHECKOUT_CODE_TABLE['http:429']; // rate_limited, failed, retryable
 * ```
 */
export interface CheckoutCodeMapping {
  readonly code: CaptureErrorCode;
  readonly outcome: CaptureOutcome;
  /** Overrides the default from {@link captureError} (only set where it differs). */
  readonly retryable?: boolean;
  /** What the code means and what to do, in one or two sentences. */
  readonly advice: string;
  /** True where the code or its meaning is not in the sources we had (see README). */
  readonly assumed?: boolean;
}

const INVALID = (advice: string, assumed?: true): CheckoutCodeMapping => ({
  code: 'invalid_request',
  outcome: 'failed',
  advice,
  ...(assumed ? { assumed } : {}),
});

const DECLINE = (code: CaptureErrorCode, advice: string): CheckoutCodeMapping => ({
  code,
  outcome: 'failed',
  advice,
});

const SERVER_ERROR: CheckoutCodeMapping = {
  code: 'provider_error',
  outcome: 'unknown',
  advice: `Checkout.com had a server error after receiving the request. ${UNKNOWN_OUTCOME_ADVICE}`,
};

/**
 * Every Checkout.com code this adapter knows, in one table:
 * - `http:<status>`: an HTTP status on `POST /payments/{id}/captures` (a 422 whose
 *   `error_codes` are all unlisted falls back to `http:422`);
 * - snake_case keys: `error_codes` entries of a 4xx body;
 * - five-digit keys: `response_code` of a declined capture (actions list, webhook).
 *
 * An unlisted code keeps `providerCode`: an unlisted 4xx is `invalid_request` / `failed`,
 * 5xx is `provider_error` / `unknown`, an unlisted response code maps by its range
 * (40xxx risk → `risk_rejected`, other declines → `provider_error`, both `failed`).
 *
 * @example
 * ```ts
 * CHECKOUT_CODE_TABLE.capture_value_greater_than_authorized.code; // 'amount_exceeds_authorized'
 * CHECKOUT_CODE_TABLE['http:403'].code;                           // 'invalid_payment_state'
 * CHECKOUT_CODE_TABLE['20051'].code;                              // 'insufficient_funds'
 * ```
 */
export const CHECKOUT_CODE_TABLE: Readonly<Record<string, CheckoutCodeMapping>> = Object.freeze({
  'http:401': {
    code: 'authentication_failed',
    outcome: 'failed',
    advice:
      'Checkout.com refused the secret key: check checkout({ secretKey }) is a valid key for this environment (sk_sbox_… for sandbox) and base URL.',
  },
  'http:403': {
    code: 'invalid_payment_state',
    outcome: 'failed',
    advice:
      'Capture not allowed: the payment was captured automatically (capture: true), is already fully captured, was voided, or its authorization expired (7 days). resolve() or GET /payments/{id} tells which.',
  },
  'http:404': {
    code: 'payment_not_found',
    outcome: 'failed',
    advice:
      'No payment with this id: check paymentId (pay_…) and that the key belongs to the same account.',
  },
  'http:409': {
    code: 'idempotency_conflict',
    outcome: 'failed',
    advice:
      'This idempotency key was already used with a different request: reuse a key only to repeat the same request; use a new key for a new capture.',
    assumed: true,
  },
  'http:422': INVALID(
    'Checkout.com refused the request data: fix the fields named in error_codes.',
  ),
  'http:429': {
    code: 'rate_limited',
    outcome: 'failed',
    retryable: true,
    advice: 'Too many requests: nothing was captured; wait and send the same request again.',
  },
  'http:500': SERVER_ERROR,
  'http:502': SERVER_ERROR,
  'http:503': SERVER_ERROR,
  'http:504': SERVER_ERROR,
  capture_value_greater_than_authorized: {
    code: 'amount_exceeds_authorized',
    outcome: 'failed',
    advice:
      'The amount is more than the payment authorized: lower amount.value or omit it to capture the rest.',
  },
  capture_value_greater_than_remaining_authorized: {
    code: 'amount_exceeds_authorized',
    outcome: 'failed',
    advice:
      'The amount is more than what is left to capture after earlier captures: lower amount.value or omit it to capture the rest.',
  },
  amount_invalid: INVALID(
    'amount must be a whole number of minor units, more than 0, at most 9 digits.',
  ),
  payment_source_required: INVALID(
    'Checkout.com says a payment source is required (request_invalid).',
  ),
  capture_type_invalid: INVALID('capture_type must be Final or NonFinal.', true),
  reference_invalid: INVALID('reference must be a string.', true),
  metadata_invalid: INVALID(
    'metadata must be a flat object of string, number or boolean values.',
    true,
  ),
  idempotency_key_reused: {
    code: 'idempotency_conflict',
    outcome: 'failed',
    advice:
      'This idempotency key was already used with a different request: reuse a key only to repeat the same request.',
    assumed: true,
  },
  capture_type_not_supported: {
    code: 'multiple_captures_not_supported',
    outcome: 'failed',
    advice:
      'capture_type NonFinal (final: false) is only accepted for Visa, Mastercard, American Express and Discover: send final: true.',
    assumed: true,
  },
  partial_actions_limit_exceeded: {
    code: 'capture_limit_exceeded',
    outcome: 'failed',
    advice:
      'The payment already has 150 partial actions (captures plus refunds), the most Checkout.com allows.',
    assumed: true,
  },
  '20005': DECLINE(
    'provider_error',
    'Declined - Do not honour: the issuer declined without a reason.',
  ),
  '20013': INVALID('Invalid value/amount: the issuer refused the amount.'),
  '20014': DECLINE('payer_account_invalid', 'Invalid card number.'),
  '20051': DECLINE('insufficient_funds', 'Insufficient funds.'),
  '20054': DECLINE('payer_account_invalid', 'Expired card.'),
  '20057': DECLINE('payer_account_invalid', 'Transaction not permitted to cardholder.'),
  '20059': DECLINE('risk_rejected', 'Suspected fraud.'),
  '20061': DECLINE('payer_limit_exceeded', 'Exceeds withdrawal value/amount limits.'),
  '20062': DECLINE('payer_account_invalid', 'Restricted card.'),
  '20065': DECLINE('payer_limit_exceeded', 'Exceeds withdrawal frequency limit.'),
  '30004': DECLINE('payer_account_invalid', 'Pick up card.'),
  '30041': DECLINE('payer_account_invalid', 'Lost card.'),
  '30043': DECLINE('payer_account_invalid', 'Stolen card.'),
  '40101': DECLINE('risk_rejected', 'Risk blocked transaction.'),
});

function entry(key: string): CheckoutCodeMapping | undefined {
  return Object.hasOwn(CHECKOUT_CODE_TABLE, key) ? CHECKOUT_CODE_TABLE[key] : undefined;
}

/** Only snake_case keys are `error_codes`; a body cannot select an `http:` or response-code row. */
function errorCodeEntry(code: string): CheckoutCodeMapping | undefined {
  return /^[a-z][a-z0-9_]*$/.test(code) ? entry(code) : undefined;
}

function fromMapping(
  mapping: CheckoutCodeMapping,
  details: {
    readonly message: string;
    readonly providerCode?: string;
    readonly httpStatus?: number;
    readonly cause?: unknown;
  },
): CaptureError {
  return captureError({
    code: mapping.code,
    outcome: mapping.outcome,
    ...(mapping.retryable !== undefined ? { retryable: mapping.retryable } : {}),
    kind: 'checkout',
    message: `${details.message} ${mapping.advice}`,
    ...(details.providerCode !== undefined ? { providerCode: details.providerCode } : {}),
    ...(details.httpStatus !== undefined ? { httpStatus: details.httpStatus } : {}),
    ...(details.cause !== undefined ? { cause: details.cause } : {}),
  });
}

/**
 * Maps a non-2xx answer to the neutral error. `operation: 'resolve'` turns a 5xx into an
 * unknown INQUIRY (nothing changed at the provider; call resolve() again).
 *
 * @example
 * ```ts
 * mapCheckoutHttpError(422, { error_codes: ['capture_value_greater_than_authorized'] }).code;
 * // 'amount_exceeds_authorized'
 * ```
 */
export function mapCheckoutHttpError(
  status: number,
  body: CheckoutErrorBody | undefined,
  operation: 'capture' | 'resolve' = 'capture',
): CaptureError {
  const codes = body?.error_codes ?? [];
  const described = `Checkout.com answered HTTP ${status}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}${body?.request_id ? ` [request_id ${body.request_id}]` : ''}.`;
  const cause = { httpStatus: status, ...(body ? { body } : {}) };
  const listed = codes.find((code) => errorCodeEntry(code) !== undefined);
  return match(status)
    .with(P.number.between(400, 499), () => {
      // A status with a fixed meaning wins over body codes, except 422 which is generic.
      const byStatus = status === 422 ? undefined : entry(`http:${status}`);
      const mapping =
        byStatus ??
        (listed ? errorCodeEntry(listed) : undefined) ??
        entry('http:422') ??
        SERVER_ERROR;
      return fromMapping(mapping, {
        message: described,
        providerCode: byStatus ? `http:${status}` : (listed ?? codes[0] ?? `http:${status}`),
        httpStatus: status,
        cause,
      });
    })
    .with(P.number.between(500, 599), () =>
      operation === 'capture'
        ? fromMapping(entry(`http:${status}`) ?? SERVER_ERROR, {
            message: described,
            providerCode: `http:${status}`,
            httpStatus: status,
            cause,
          })
        : noReliableAnswer({
            kind: 'checkout',
            operation,
            inquiry: 'GET /payments/{id}/actions',
            code: 'provider_error',
            what: described,
            providerCode: `http:${status}`,
            httpStatus: status,
            cause,
          }),
    )
    .otherwise(() =>
      noReliableAnswer({
        kind: 'checkout',
        operation,
        inquiry: 'GET /payments/{id}/actions',
        code: 'provider_error',
        what: `${described} This status is not part of the capture API`,
        providerCode: `http:${status}`,
        httpStatus: status,
        cause,
      }),
    );
}

/**
 * Maps the `response_code` of a declined capture (from the actions list or a
 * `payment_capture_declined` webhook) to the neutral error, always `failed`.
 *
 * @example
 * ```ts
 * mapCheckoutDecline('20051', 'Insufficient Funds').code; // 'insufficient_funds'
 * mapCheckoutDecline('40199', undefined).code;            // 'risk_rejected' (by range)
 * ```
 */
export function mapCheckoutDecline(
  responseCode: string | undefined,
  responseSummary: string | undefined,
): CaptureError {
  const code = responseCode ?? '';
  const summary = responseSummary ? ` ${responseSummary}` : '';
  const byRange: CheckoutCodeMapping = code.startsWith('4')
    ? { code: 'risk_rejected', outcome: 'failed', advice: 'A risk rule declined the capture.' }
    : {
        code: 'provider_error',
        outcome: 'failed',
        advice: 'The capture was declined; nothing was captured.',
      };
  return fromMapping(entry(code) ?? byRange, {
    message: `Checkout.com declined the capture (response_code ${code || 'missing'}${summary}).`,
    ...(responseCode ? { providerCode: responseCode } : {}),
  });
}

import {
  type CaptureError,
  type CaptureErrorCode,
  type CaptureOutcome,
  captureError,
  UNKNOWN_OUTCOME_ADVICE,
} from '../../core/errors.js';
import type { AdyenErrorBody } from './schemas.js';

/**
 * How one Adyen code maps onto the neutral error.
 *
 * @example
 * ```ts
 * const row: AdyenCodeMapping = ADYEN_CODE_TABLE['http:429']; // rate_limited, failed, retryable
 * ```
 */
export interface AdyenCodeMapping {
  readonly code: CaptureErrorCode;
  readonly outcome: CaptureOutcome;
  /** Overrides the default from {@link captureError} (only set where it differs). */
  readonly retryable?: boolean;
  /** What the code means and what to do, in one or two sentences. */
  readonly advice: string;
  /** True where the code or its meaning is not in the sources we had (see README). */
  readonly assumed?: boolean;
}

const SERVER_ERROR: AdyenCodeMapping = {
  code: 'provider_error',
  outcome: 'unknown',
  advice: `Adyen had a server error after receiving the request. ${UNKNOWN_OUTCOME_ADVICE}`,
};

const INVALID = (advice: string, assumed?: true): AdyenCodeMapping => ({
  code: 'invalid_request',
  outcome: 'failed',
  advice,
  ...(assumed ? { assumed } : {}),
});

/**
 * Every Adyen code this adapter knows, in one table:
 * - `http:<status>`: an HTTP status on `POST /v71/payments/{paymentPspReference}/captures`;
 * - `error:<errorCode>`: the `errorCode` of an error body (it wins over the status);
 * - `reason:<text>`: the `reason` of a CAPTURE webhook with `success: "false"`;
 * - `event:CAPTURE_FAILED`: the scheme rejected a capture Adyen had booked.
 *
 * An unlisted 4xx is `invalid_request` / `failed`, 5xx is `provider_error` / `unknown`, an
 * unlisted webhook reason is `provider_error` / `failed` (the reason stays in `providerCode`).
 *
 * @example
 * ```ts
 * ADYEN_CODE_TABLE['http:401'].code;                                   // 'authentication_failed'
 * ADYEN_CODE_TABLE['reason:Insufficient balance on payment'].code;     // 'amount_exceeds_authorized'
 * ```
 */
export const ADYEN_CODE_TABLE: Readonly<Record<string, AdyenCodeMapping>> = Object.freeze({
  'http:400': INVALID(
    'Adyen could not read the request (malformed JSON or a wrong field type): nothing was captured. Report it; the adapter builds the body.',
  ),
  'http:401': {
    code: 'authentication_failed',
    outcome: 'failed',
    advice:
      'Adyen refused the API key: check adyen({ apiKey }) is the key of a web service user of this environment (test keys do not work live) and that adyen({ environment, liveUrlPrefix, baseUrl }) point at the same environment.',
  },
  'http:403': {
    code: 'access_denied',
    outcome: 'failed',
    advice:
      'The API key may not do this: give the web service user the Checkout webservice role, and check adyen({ merchantAccount }) is an account that user may access.',
  },
  'http:404': {
    code: 'invalid_request',
    outcome: 'failed',
    advice:
      'No such endpoint: check adyen({ baseUrl }) or adyen({ liveUrlPrefix }) (the base never carries the version; the adapter adds /v71).',
  },
  'http:422': INVALID('Adyen refused the request data: fix the field named in the message.'),
  'http:429': {
    code: 'rate_limited',
    outcome: 'failed',
    retryable: true,
    advice: 'Too many requests: nothing was captured; wait and send the same request again.',
    assumed: true,
  },
  'http:500': SERVER_ERROR,
  'http:502': SERVER_ERROR,
  'http:503': SERVER_ERROR,
  'http:504': SERVER_ERROR,
  'error:000': {
    code: 'provider_error',
    outcome: 'failed',
    advice:
      'Adyen refused the request with its generic error code: nothing was captured. The HTTP status and message say more (a 5xx with this code is unknown, as every 5xx).',
  },
  'error:010': {
    code: 'access_denied',
    outcome: 'failed',
    advice:
      'Not allowed: the web service user lacks the role for captures or the merchant account; fix it in the Customer Area.',
  },
  'error:100': INVALID('No amount specified: pass amount.'),
  'error:137': INVALID(
    'Invalid amount specified: amount.value must be a positive whole number of minor units of amount.currency.',
  ),
  'error:167': {
    code: 'payment_not_found',
    outcome: 'failed',
    advice:
      'Adyen needs the pspReference of the payment to capture: check paymentId is the 16-character pspReference of an authorisation on this merchant account.',
    assumed: true,
  },
  'error:901': INVALID(
    'Invalid merchant account: check adyen({ merchantAccount }) is the account the payment was made on.',
  ),
  'error:702': INVALID(
    'Adyen could not parse the request body: report it; the adapter builds the body.',
    true,
  ),
  'reason:Insufficient balance on payment': {
    code: 'amount_exceeds_authorized',
    outcome: 'failed',
    advice:
      'Nothing left to capture for this amount: more than authorized, or the payment was already captured (automatic capture, or an earlier capture). Capture at most what remains.',
  },
  'reason:Modification in different currency than authorisation': {
    code: 'currency_mismatch',
    outcome: 'failed',
    advice: 'Capture in the currency of the authorisation.',
    assumed: true,
  },
  'reason:Authorisation expired': {
    code: 'authorization_expired',
    outcome: 'failed',
    advice: 'The authorisation expired before the capture: the payment can no longer be captured.',
    assumed: true,
  },
  'reason:Original pspReference not found': {
    code: 'payment_not_found',
    outcome: 'failed',
    advice:
      'Adyen has no payment under this pspReference on this merchant account: check paymentId and adyen({ merchantAccount }).',
    assumed: true,
  },
  'reason:Payment cancelled': {
    code: 'authorization_cancelled',
    outcome: 'failed',
    advice: 'The payment was cancelled before the capture: nothing can be captured.',
    assumed: true,
  },
  'event:CAPTURE_FAILED': {
    code: 'provider_error',
    outcome: 'failed',
    advice:
      'The card scheme rejected a capture Adyen had booked: the money did not move. Contact Adyen support with the pspReference.',
  },
});

/** Statuses whose meaning wins over the body's errorCode. */
const STATUS_FIRST: ReadonlySet<number> = new Set([401, 403, 404, 429]);

function fromRow(
  row: AdyenCodeMapping,
  details: {
    readonly httpStatus?: number;
    readonly providerCode?: string;
    readonly what: string;
  },
): CaptureError {
  return captureError({
    code: row.code,
    outcome: row.outcome,
    ...(row.retryable !== undefined ? { retryable: row.retryable } : {}),
    kind: 'adyen',
    ...(details.httpStatus !== undefined ? { httpStatus: details.httpStatus } : {}),
    ...(details.providerCode !== undefined ? { providerCode: details.providerCode } : {}),
    message: `${details.what}: ${row.advice}`,
  });
}

/**
 * Maps a non-2xx answer to `POST …/captures`: the body's `errorCode` first, then the HTTP
 * status; an unlisted 4xx is `invalid_request` / `failed`, an unlisted 5xx `unknown`.
 *
 * @example
 * ```ts
 * mapAdyenHttpError(422, { errorCode: '137', message: 'Invalid amount specified' }).code; // 'invalid_request'
 * mapAdyenHttpError(503, undefined).outcome; // 'unknown'
 * ```
 */
export function mapAdyenHttpError(status: number, body: AdyenErrorBody | undefined): CaptureError {
  const errorCode = body?.errorCode ?? undefined;
  const said = body?.message ? ` (${body.errorCode ?? '?'}: ${body.message})` : '';
  const what = `Adyen answered HTTP ${status}${said}`;
  const fromCode = errorCode !== undefined ? ADYEN_CODE_TABLE[`error:${errorCode}`] : undefined;
  const byStatus = ADYEN_CODE_TABLE[`http:${status}`];
  // A 5xx is never turned into a definite refusal by its body: the request may have run.
  // Credentials, permissions, a wrong URL and rate limits say more than the generic codes
  // their bodies carry; elsewhere the errorCode is the more precise word.
  const row =
    status >= 500
      ? (byStatus ?? SERVER_ERROR)
      : STATUS_FIRST.has(status)
        ? byStatus
        : (fromCode ?? byStatus);
  if (row) {
    return fromRow(row, {
      httpStatus: status,
      ...(errorCode !== undefined ? { providerCode: errorCode } : {}),
      what,
    });
  }
  return fromRow(
    INVALID('Adyen refused the request: nothing was captured. Fix what the message names.'),
    { httpStatus: status, ...(errorCode !== undefined ? { providerCode: errorCode } : {}), what },
  );
}

/**
 * The normalized code of a failed capture notification: a `CAPTURE` with `success: "false"`
 * by its `reason`, or a `CAPTURE_FAILED`.
 *
 * @example
 * ```ts
 * mapAdyenWebhookFailure('CAPTURE', 'Insufficient balance on payment'); // 'amount_exceeds_authorized'
 * mapAdyenWebhookFailure('CAPTURE_FAILED', 'Rejected by scheme');       // 'provider_error'
 * ```
 */
export function mapAdyenWebhookFailure(
  eventCode: string,
  reason: string | undefined,
): CaptureErrorCode {
  if (eventCode === 'CAPTURE_FAILED')
    return ADYEN_CODE_TABLE['event:CAPTURE_FAILED']?.code ?? 'provider_error';
  const row = reason !== undefined ? ADYEN_CODE_TABLE[`reason:${reason}`] : undefined;
  return row?.code ?? 'provider_error';
}

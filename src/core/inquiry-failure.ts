import { type CaptureError, type CaptureErrorCode, captureError } from './errors.js';

/**
 * What {@link inquiryFailure} needs: why the inquiry gave no answer, and what it kept.
 *
 * @example
 * ```ts
 * const init: InquiryFailureInit = { kind: 'checkout', inquiry: 'GET /payments/{id}/actions',
 *   code: 'rate_limited', reason: 'Checkout.com answered HTTP 429', httpStatus: 429, retryAfterMs: 2000 };
 * ```
 */
export interface InquiryFailureInit {
  readonly kind: string;
  /** What was asked, for the message: `'inquiryPayment'`, `'GET /payments/{id}/actions'`. */
  readonly inquiry: string;
  /** The inquiry's own code (`rate_limited`, `authentication_failed`, `network_error`, …). */
  readonly code: CaptureErrorCode;
  /** Why the inquiry gave no answer about the capture, as one clause without a full stop. */
  readonly reason: string;
  /** What to fix before asking again, as a sentence naming the setting, without a full stop. */
  readonly fix?: string;
  /** Overrides the default (false for credentials, permissions and request errors). */
  readonly retryable?: boolean;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  readonly providerCode?: string;
  readonly providerStatus?: string;
  readonly cause?: unknown;
}

const NEEDS_A_FIX: ReadonlySet<CaptureErrorCode> = new Set([
  'authentication_failed',
  'access_denied',
  'invalid_request',
]);

/**
 * The error `resolve()` returns when the inquiry itself failed — not sent, timed out, 401,
 * 403, 429, 5xx, an unsigned or unreadable answer, an ambiguous match. `resolve()` answers
 * about the capture, never about the inquiry (DESIGN §0, §3), so the outcome is always
 * `unknown`: the capture may have moved money and nothing here says otherwise. The inquiry's
 * own `code`, `httpStatus` and `retryAfterMs` are kept so the caller can see why.
 *
 * @example
 * ```ts
 * inquiryFailure({ kind: 'antom', inquiry: 'inquiryPayment', code: 'authentication_failed',
 *   reason: 'Antom answered SIGNATURE_INVALID', fix: 'Check antom({ privateKey, keyVersion })' });
 * // → { code: 'authentication_failed', outcome: 'unknown', retryable: false, message: 'inquiryPayment gave no answer … ' }
 * ```
 */
export function inquiryFailure(init: InquiryFailureInit): CaptureError {
  const wait =
    init.retryAfterMs !== undefined
      ? ` in ${Math.ceil(init.retryAfterMs / 1000)} s or later (Retry-After)`
      : '';
  const fix = init.fix ? `${init.fix}. ` : '';
  return captureError({
    code: init.code,
    outcome: 'unknown',
    retryable: init.retryable ?? !NEEDS_A_FIX.has(init.code),
    kind: init.kind,
    message: `${init.inquiry} gave no answer about the capture: ${init.reason}. That is a failure of the inquiry, not of the capture: the capture's state is still unknown (it may have moved money). ${fix}Call resolve() again${wait}; do not capture again with a new idempotency key meanwhile.`,
    ...(init.httpStatus !== undefined ? { httpStatus: init.httpStatus } : {}),
    ...(init.retryAfterMs !== undefined ? { retryAfterMs: init.retryAfterMs } : {}),
    ...(init.providerCode !== undefined ? { providerCode: init.providerCode } : {}),
    ...(init.providerStatus !== undefined ? { providerStatus: init.providerStatus } : {}),
    ...(init.cause !== undefined ? { cause: init.cause } : {}),
  });
}

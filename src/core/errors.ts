/**
 * What is known about the money after a failed call. This is the field to branch on.
 *
 * - `not_attempted`: nothing left this process (validation, preflight, connection never
 *   opened). Fix the cause and call again; the same or a new key are both safe.
 * - `failed`: the provider definitively refused. Money did not move. A retry needs a NEW
 *   idempotency key, and only after fixing the cause.
 * - `unknown`: the request may have reached the provider and nobody can yet say whether
 *   money moved. Never retry with a new key: call `resolve()` or retry with the SAME key.
 *
 * @example
 * ```ts
 * const result = await client.capture({ provider: 'cko', paymentId, idempotencyKey });
 * const outcome: CaptureOutcome | undefined = result.isErr() ? result.error.outcome : undefined;
 * if (outcome === 'unknown') await client.resolve({ provider: 'cko', paymentId, idempotencyKey });
 * ```
 */
export type CaptureOutcome = 'not_attempted' | 'failed' | 'unknown';

/**
 * Every normalized error code. Codes are only ever added, never removed or renamed.
 *
 * @example
 * ```ts
 * CAPTURE_ERROR_CODES.includes('timeout'); // true
 * const isCaptureErrorCode = (code: string): code is CaptureErrorCode =>
 *   (CAPTURE_ERROR_CODES as readonly string[]).includes(code);
 * ```
 */
export const CAPTURE_ERROR_CODES = [
  'invalid_request',
  'unsupported',
  'unknown_provider',
  'authentication_failed',
  'access_denied',
  'payment_not_found',
  'capture_not_found',
  'authorization_expired',
  'authorization_cancelled',
  'amount_exceeds_authorized',
  'currency_mismatch',
  'currency_not_supported',
  'multiple_captures_not_supported',
  'capture_limit_exceeded',
  'invalid_payment_state',
  'idempotency_conflict',
  'risk_rejected',
  'insufficient_funds',
  'payer_account_invalid',
  'payer_limit_exceeded',
  'rate_limited',
  'capture_in_progress',
  'unresolved_capture',
  'journal_unavailable',
  'provider_error',
  'signature_invalid',
  'timeout',
  'network_error',
  'outcome_unknown',
] as const;

/**
 * A normalized error code; see {@link CAPTURE_ERROR_CODES}.
 *
 * @example
 * ```ts
 * const retryLater: readonly CaptureErrorCode[] = ['rate_limited', 'capture_in_progress'];
 * if (result.isErr() && retryLater.includes(result.error.code)) setTimeout(retrySameKey, 1_000);
 * ```
 */
export type CaptureErrorCode = (typeof CAPTURE_ERROR_CODES)[number];

/**
 * The one error type `capture()` and `resolve()` return. Provider details are kept in
 * `provider*` fields; nothing secret is ever put in `message` or `cause`.
 *
 * @example
 * ```ts
 * const result = await client.capture({ provider: 'cko', paymentId, amount });
 * if (result.isErr()) {
 *   const e = result.error;
 *   if (e.outcome === 'unknown') await client.resolve({ provider: 'cko', paymentId, idempotencyKey: e.idempotencyKey! });
 * }
 * ```
 */
export interface CaptureError {
  readonly code: CaptureErrorCode;
  readonly outcome: CaptureOutcome;
  /**
   * Whether calling again can succeed without changing the request. For `unknown` this
   * means "retry with the SAME idempotency key (or resolve)"; for `failed` it is true only
   * for transient refusals (rate limiting) and for `capture_not_found`, where nothing was
   * captured under the key and the same key may be sent again.
   */
  readonly retryable: boolean;
  /** A sentence that names the field or setting at fault and what to do. */
  readonly message: string;
  /** The client's name for the provider (`'cko'`), when the call reached one. */
  readonly provider?: string;
  /** The adapter kind (`'checkout'`, `'antom'`, `'alipayV2'`). */
  readonly kind?: string;
  /** The provider's own code (`'AUTH_EXPIRED'`, `'capture_value_greater_than_authorized'`). */
  readonly providerCode?: string;
  /** The provider's own status (`'F'`, `'U'`), when it has one. */
  readonly providerStatus?: string;
  readonly httpStatus?: number;
  /** The idempotency key the capture was (or would have been) sent with. Always set by the client. */
  readonly idempotencyKey?: string;
  /** The payment the call was about. */
  readonly paymentId?: string;
  /**
   * How long the provider asked to wait before the next call (from `Retry-After`), on
   * `rate_limited` and other throttling answers.
   */
  readonly retryAfterMs?: number;
  /**
   * With `unresolved_capture`: the key of the capture on this payment whose outcome is not
   * known yet. Resolve it (or retry with it) before capturing under a new key.
   */
  readonly unresolvedIdempotencyKey?: string;
  /** The underlying error, with secrets already removed. */
  readonly cause?: unknown;
}

/**
 * Input for {@link captureError}; `retryable` defaults from the outcome and the code.
 *
 * @example
 * ```ts
 * const init: CaptureErrorInit = {
 *   code: 'rate_limited', outcome: 'failed', message: 'Retry in 1 s.',
 * };
 * captureError(init).retryable; // true: rate_limited defaults to retryable
 * ```
 */
export type CaptureErrorInit = Omit<CaptureError, 'retryable'> & { retryable?: boolean };

/**
 * Builds a {@link CaptureError}. Unless `init` says otherwise, `retryable` is true for an
 * `unknown` outcome and for the transient codes `rate_limited`, `network_error` and
 * `capture_in_progress` (whatever the outcome), and false for everything else.
 *
 * @example
 * ```ts
 * captureError({ code: 'timeout', outcome: 'unknown', message: 'No answer within 15000 ms' });
 * ```
 */
export function captureError(init: CaptureErrorInit): CaptureError {
  const retryable =
    init.retryable ??
    (init.outcome === 'unknown' ||
      init.code === 'rate_limited' ||
      init.code === 'network_error' ||
      init.code === 'capture_in_progress');
  return { ...init, retryable };
}

/**
 * The advice every `unknown` outcome carries, so callers never have to guess.
 *
 * @example
 * ```ts
 * const message = `No answer within 15000 ms. ${UNKNOWN_OUTCOME_ADVICE}`;
 * captureError({ code: 'timeout', outcome: 'unknown', message });
 * ```
 */
export const UNKNOWN_OUTCOME_ADVICE =
  'The capture may have happened: call resolve() or retry with the SAME idempotency key; never retry with a new key.';

/**
 * Codes a webhook call can fail with.
 *
 * @example
 * ```ts
 * const parsed = await client.parseWebhook('cko', request);
 * const code: WebhookErrorCode | undefined = parsed.isErr() ? parsed.error.code : undefined;
 * if (code === 'signature_invalid') res.writeHead(401).end(); // never act on an unverified body
 * ```
 */
export type WebhookErrorCode =
  | 'unknown_provider'
  | 'signature_invalid'
  | 'invalid_payload'
  | 'event_ignored'
  | 'unsupported'
  | 'body_too_large';

/**
 * Why a webhook was not turned into a `CaptureEvent`. `event_ignored` means the request
 * WAS verified but is not a capture event (e.g. Checkout.com `payment_approved`); the
 * webhook handler acknowledges those so the provider stops retrying.
 *
 * @example
 * ```ts
 * const parsed = await client.parseWebhook('cko', request);
 * if (parsed.isErr() && parsed.error.code === 'event_ignored') console.log(parsed.error.eventType);
 * ```
 */
export interface WebhookError {
  readonly code: WebhookErrorCode;
  readonly message: string;
  readonly provider?: string;
  readonly kind?: string;
  /** True when the signature was checked and is valid (only with `event_ignored`). */
  readonly verified: boolean;
  /** The provider's event type, when it could be read. */
  readonly eventType?: string;
  readonly cause?: unknown;
}

/**
 * The error `resolve()` returns when the provider has no capture for the idempotency key:
 * nothing was captured under it, so sending the capture again with the SAME key is safe.
 *
 * @example
 * ```ts
 * captureNotFound({ kind: 'antom', provider: 'Antom', field: 'captureRequestId', idempotencyKey: 'k1' });
 * ```
 */
export function captureNotFound(details: {
  /** Adapter kind, e.g. `'antom'`. */
  readonly kind: string;
  /** Who was asked, for the message: `'Antom'`, `'The wallet'`. */
  readonly provider: string;
  /** The provider's name for the key field, e.g. `'captureRequestId'`. */
  readonly field: string;
  readonly idempotencyKey: string;
  readonly paymentId?: string;
  readonly httpStatus?: number;
}): CaptureError {
  const payment = details.paymentId ? ` for payment ${details.paymentId}` : ' on this payment';
  return captureError({
    code: 'capture_not_found',
    outcome: 'failed',
    retryable: true,
    kind: details.kind,
    ...(details.httpStatus !== undefined ? { httpStatus: details.httpStatus } : {}),
    message: `${details.provider} has no capture with ${details.field} ${details.idempotencyKey}${payment}: nothing was captured under this key. It is safe to send the capture again with the SAME idempotencyKey.`,
  });
}

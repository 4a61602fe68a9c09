import {
  type CaptureError,
  type CaptureErrorCode,
  captureError,
  UNKNOWN_OUTCOME_ADVICE,
} from '../core/errors.js';
import { inquiryFailure } from '../core/inquiry-failure.js';

/**
 * What {@link noReliableAnswer} needs.
 *
 * @example
 * ```ts
 * const init: NoReliableAnswerInit = { kind: 'acme', operation: 'capture', inquiry: 'GET /captures',
 *   code: 'provider_error', what: 'Acme answered HTTP 502', httpStatus: 502 };
 * ```
 */
export interface NoReliableAnswerInit {
  readonly kind: string;
  /** Which public call the exchange served: it decides what an unreliable answer means. */
  readonly operation: 'capture' | 'resolve';
  /** The provider's inquiry, named in a `resolve` message: `'inquiryPayment'`. */
  readonly inquiry: string;
  readonly code: CaptureErrorCode;
  /** What happened, as one clause (a trailing full stop is dropped). */
  readonly what: string;
  /** What to check, naming the setting at fault (one clause), when something can be fixed. */
  readonly fix?: string;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  readonly providerCode?: string;
  readonly providerStatus?: string;
  readonly cause?: unknown;
}

/**
 * The error for an answer that says nothing reliable about the capture (a 5xx, a bad
 * signature, garbage, no answer at all after sending). For a capture it is `unknown` with
 * the advice to resolve or retry under the same key; for a resolve it is an
 * {@link inquiryFailure} (also `unknown`: the inquiry failed, not the capture).
 *
 * @example
 * ```ts
 * import { noReliableAnswer } from 'capture-kit/provider';
 *
 * return err(noReliableAnswer({ kind: 'acme', operation, inquiry: 'GET /captures',
 *   code: 'provider_error', what: `Acme answered HTTP ${status}`, httpStatus: status }));
 * ```
 */
export function noReliableAnswer(init: NoReliableAnswerInit): CaptureError {
  const { kind, operation, inquiry, code, what, fix, ...facts } = init;
  if (operation === 'resolve') {
    const reason = what.replace(/\.$/, '');
    return inquiryFailure({ kind, inquiry, code, reason, ...(fix ? { fix } : {}), ...facts });
  }
  return captureError({
    code,
    outcome: 'unknown',
    kind,
    ...facts,
    message: unknownOutcomeMessage(what, fix),
  });
}

/**
 * The one wording of a capture whose outcome is unknown: what happened, what to check (if
 * anything), then {@link UNKNOWN_OUTCOME_ADVICE}. For adapters that build the
 * `CaptureError` themselves; {@link noReliableAnswer} uses it.
 *
 * @example
 * ```ts
 * import { unknownOutcomeMessage } from 'capture-kit/provider';
 *
 * unknownOutcomeMessage('Acme answered HTTP 502', 'Check acme({ baseUrl })');
 * // 'Acme answered HTTP 502. Check acme({ baseUrl }). The capture may have happened: …'
 * ```
 */
export function unknownOutcomeMessage(what: string, fix?: string): string {
  const clause = what.replace(/\.$/, '');
  const check = fix ? `${fix.replace(/\.$/, '')}. ` : '';
  return `${clause}. ${check}${UNKNOWN_OUTCOME_ADVICE}`;
}

import { match } from 'ts-pattern';
import {
  type CaptureError,
  type CaptureErrorCode,
  captureError,
  UNKNOWN_OUTCOME_ADVICE,
} from '../core/errors.js';
import { inquiryFailure } from '../core/inquiry-failure.js';
import type { TransportFailure } from './transport.js';

// How a transport failure is classified and what it means for money: `not_sent` (provably
// never reached the provider) or `sent` (may have been processed).

const NOT_SENT_CODES: Record<string, TransportFailure['reason']> = {
  ECONNREFUSED: 'connection_refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EHOSTUNREACH: 'connection_refused',
  ENETUNREACH: 'connection_refused',
  EADDRNOTAVAIL: 'connection_refused',
  UND_ERR_CONNECT_TIMEOUT: 'connect_timeout',
};

const SENT_CODES: Record<string, TransportFailure['reason']> = {
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_SOCKET: 'reset',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'reset',
};

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // undici sometimes wraps the socket error; look two levels deep.
  for (let depth = 0; depth < 3 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function tooLarge(limit: number): TransportFailure {
  return {
    stage: 'sent',
    reason: 'response_too_large',
    message: `The response body was larger than maxResponseBytes (${limit}); it was discarded unread.`,
  };
}

export function stopped(
  why: 'timeout' | 'aborted',
  phase: 'waiting' | 'sending',
  deadline: number,
): TransportFailure {
  if (phase === 'waiting') {
    return {
      stage: 'not_sent',
      reason: why,
      message:
        why === 'timeout'
          ? `The request could not start within ${deadline} ms (no pooled connection became free, or connecting took too long); it was never sent.`
          : 'The call was aborted by its signal while the request waited for a connection; it was never sent.',
    };
  }
  return {
    stage: 'sent',
    reason: why,
    message:
      why === 'timeout'
        ? `No complete answer within ${deadline} ms after the request was sent.`
        : 'The call was aborted by its signal while the request was in flight.',
  };
}

export function classify(
  error: unknown,
  phase: 'waiting' | 'sending',
  deadline: number,
): TransportFailure {
  const code = errorCode(error);
  if (phase === 'waiting') {
    // undici never handed the request a connection: not one byte of it was written.
    const reason = (code ? NOT_SENT_CODES[code] : undefined) ?? 'other';
    return {
      stage: 'not_sent',
      reason,
      message:
        reason === 'other'
          ? `The request failed before it was sent (${describe(error)}); nothing was sent.`
          : `Could not connect (${code}); nothing was sent.`,
      cause: error,
    };
  }
  const reason = (code ? SENT_CODES[code] : undefined) ?? 'other';
  return {
    stage: 'sent',
    reason,
    message:
      reason === 'timeout'
        ? `No complete answer within ${deadline} ms after the request was sent.`
        : reason === 'reset'
          ? `The connection broke after the request was sent (${code}).`
          : `The request failed in flight: ${describe(error)}`,
    cause: error,
  };
}

/**
 * Turns a {@link TransportFailure} into the neutral error with the honest outcome. For a
 * capture: `not_sent` → `not_attempted`; everything after sending → `unknown`. For a
 * resolve the answer is about the capture, not the inquiry, so it is always `unknown`
 * (an inquiry that never left says nothing about a capture sent earlier).
 *
 * @example
 * ```ts
 * const error = transportFailureToCaptureError(
 *   { stage: 'sent', reason: 'timeout', message: 'No complete answer within 15000 ms.' },
 *   { kind: 'checkout', operation: 'capture' },
 * );
 * error.code; // 'timeout'
 * error.outcome; // 'unknown': call resolve() or retry with the SAME idempotency key
 * ```
 */
export function transportFailureToCaptureError(
  failure: TransportFailure,
  context: { readonly kind: string; readonly operation: 'capture' | 'resolve' },
): CaptureError {
  const code = match(failure.reason)
    .returnType<CaptureErrorCode>()
    .with('timeout', () => 'timeout')
    .with('response_too_large', () => 'provider_error')
    .with(
      'connection_refused',
      'dns',
      'connect_timeout',
      'aborted',
      'reset',
      'other',
      () => 'network_error',
    )
    .exhaustive();
  if (context.operation === 'resolve') {
    return inquiryFailure({
      kind: context.kind,
      inquiry: 'The inquiry',
      code,
      reason: failure.message.replace(/\.$/, ''),
      ...(failure.stage === 'not_sent' && failure.reason !== 'aborted'
        ? { fix: "Check the adapter's baseUrl and network" }
        : {}),
      retryable: true,
      ...(failure.cause !== undefined ? { cause: failure.cause } : {}),
    });
  }
  if (failure.stage === 'not_sent') {
    const advice =
      failure.reason === 'timeout'
        ? 'Nothing left this process: call capture() again (a larger timeoutMs, or fewer captures at once, lets each one get a connection in time).'
        : failure.reason === 'aborted'
          ? 'Nothing left this process; call capture() again when ready.'
          : "Check the adapter's baseUrl and network, then call capture() again.";
    return captureError({
      code,
      outcome: 'not_attempted',
      retryable: true,
      kind: context.kind,
      message: `${failure.message} ${advice}`,
      cause: failure.cause,
    });
  }
  return captureError({
    code,
    outcome: 'unknown',
    retryable: true,
    kind: context.kind,
    message: `${failure.message} ${UNKNOWN_OUTCOME_ADVICE}`,
    cause: failure.cause,
  });
}

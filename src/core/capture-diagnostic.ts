import { channel } from 'node:diagnostics_channel';
import type { Result } from 'neverthrow';
import type { Capture } from './capture.js';
import type { CaptureError } from './errors.js';
import { peek } from './peek.js';

/**
 * Name of the `node:diagnostics_channel` channel that gets one message per capture or resolve.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(CAPTURE_CHANNEL, (message) => console.log(message)); // a CaptureDiagnostic per call
 * ```
 */
export const CAPTURE_CHANNEL = 'capture-kit:capture';

/**
 * The message published on {@link CAPTURE_CHANNEL}. It carries no secret, no body and no
 * metadata: only what an operator needs to count and time calls.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(CAPTURE_CHANNEL, (m) => metrics.observe((m as CaptureDiagnostic).durationMs));
 * ```
 */
export interface CaptureDiagnostic {
  /** `capture` and `resolve` are published per call; `reconcile` and `webhook` per item. */
  readonly operation: 'capture' | 'resolve' | 'reconcile' | 'webhook';
  readonly provider: string;
  readonly kind?: string;
  readonly paymentId?: string;
  readonly idempotencyKey: string;
  /** `succeeded` / `pending` on success, else the error's outcome. */
  readonly result: 'succeeded' | 'pending' | 'not_attempted' | 'failed' | 'unknown';
  readonly code?: string;
  readonly providerCode?: string;
  readonly durationMs: number;
}

const captureChannel = channel(CAPTURE_CHANNEL);

/** Whether anyone listens on {@link CAPTURE_CHANNEL}: when not, no message is built. */
export function diagnosticsObserved(): boolean {
  return captureChannel.hasSubscribers;
}

/** Publishes one message on {@link CAPTURE_CHANNEL}, only when someone listens. */
export function publishDiagnostic(message: CaptureDiagnostic): void {
  if (captureChannel.hasSubscribers) captureChannel.publish(message);
}

/** One message for the diagnostics channel; no secret, body or metadata. */
export function diagnostic(
  operation: CaptureDiagnostic['operation'],
  input: unknown,
  key: string,
  result: Result<Capture, CaptureError>,
  started: number,
): CaptureDiagnostic {
  const provider = peek(input, 'provider');
  const paymentId = peek(input, 'paymentId');
  const kind = result.isOk() ? result.value.kind : result.error.kind;
  return {
    operation,
    provider: typeof provider === 'string' ? provider : '',
    ...(kind ? { kind } : {}),
    ...(typeof paymentId === 'string' ? { paymentId } : {}),
    idempotencyKey: key,
    result: result.isOk() ? result.value.status : result.error.outcome,
    ...(result.isErr()
      ? {
          code: result.error.code,
          ...(result.error.providerCode ? { providerCode: result.error.providerCode } : {}),
        }
      : {}),
    durationMs: performance.now() - started,
  };
}

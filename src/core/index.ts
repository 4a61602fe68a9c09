/**
 * capture-kit: one `capture()` across acquirers.
 *
 * @example
 * ```ts
 * import { createCaptureClient } from 'capture-kit';
 * import { checkout } from 'capture-kit/checkout';
 *
 * const client = createCaptureClient({ providers: { cko: checkout({ secretKey, webhookSecret }) } });
 * const result = await client.capture({ provider: 'cko', paymentId: 'pay_123' });
 * ```
 *
 * @module capture-kit
 * @packageDocumentation
 */
export type { CapabilityContext, CaptureCapabilities } from './capabilities.js';
export type { Capture } from './capture.js';
export {
  type CaptureRequest,
  generateIdempotencyKey,
  type ResolveRequest,
} from './capture-request.js';
export {
  CAPTURE_CHANNEL,
  type CaptureClient,
  type CaptureClientOptions,
  type CaptureDiagnostic,
  createCaptureClient,
} from './client.js';
export { type CaptureOperation, type CaptureTrace, TRACING_CHANNELS } from './diagnostics.js';
export {
  CAPTURE_ERROR_CODES,
  type CaptureError,
  type CaptureErrorCode,
  type CaptureOutcome,
  type WebhookError,
  type WebhookErrorCode,
} from './errors.js';
export type { CaptureIntent, IntentState } from './intents.js';
export type { CaptureJournal } from './journal.js';
export { type MemoryJournalOptions, memoryJournal } from './memory-journal.js';
export {
  type AmountValueInput,
  fromMajor,
  type Money,
  MoneyFormatError,
  type MoneyInput,
  toMajor,
} from './money.js';
export type { ReconcileItem, ReconcileOptions, ReconcileReport } from './reconcile.js';
export {
  type ResolveStep,
  type ResolveTrace,
  type ResolveUntilFinalOptions,
  resolveUntilFinal,
} from './resolve-until-final.js';
export type { CaptureEvent, WebhookRequest } from './webhooks.js';

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
export {
  type CapabilityContext,
  type CaptureCapabilities,
  normalizeCardBrand,
  type PreflightRequest,
  preflight,
  type UndeterminedCapability,
} from './capabilities.js';
export type { Capture, ProviderCapture } from './capture.js';
export {
  type CaptureRequest,
  captureRequestSchema,
  generateIdempotencyKey,
  type ResolveRequest,
  resolveRequestSchema,
} from './capture-request.js';
export {
  CAPTURE_CHANNEL,
  type CaptureClient,
  type CaptureClientOptions,
  type CaptureDiagnostic,
  createCaptureClient,
} from './client.js';
export { ISO_4217_EXPONENTS, ISO_4217_WITHOUT_MINOR_UNIT } from './currency-exponents.js';
export { type CaptureOperation, type CaptureTrace, TRACING_CHANNELS } from './diagnostics.js';
export {
  CAPTURE_ERROR_CODES,
  type CaptureError,
  type CaptureErrorCode,
  type CaptureErrorInit,
  type CaptureOutcome,
  captureError,
  captureNotFound,
  UNKNOWN_OUTCOME_ADVICE,
  type WebhookError,
  type WebhookErrorCode,
} from './errors.js';
export { createFetchWebhookHandler } from './fetch-webhook-handler.js';
export {
  applyIntentEvent,
  type BeginDecision,
  type BeginOptions,
  type CaptureIntent,
  decideBegin,
  type IntentDraft,
  type IntentEvent,
  type IntentFingerprint,
  type IntentState,
} from './intents.js';
export {
  type CaptureJournal,
  type ClaimQuery,
  type IntentQuery,
  type MemoryJournalOptions,
  memoryJournal,
} from './journal.js';
export {
  type AmountValueInput,
  checkCurrency,
  currencyExponent,
  type ExponentTable,
  formatMinorUnits,
  fromMajor,
  type Money,
  MoneyFormatError,
  type MoneyInput,
  parseMinorUnits,
  roundIdr,
  sameMoney,
  toMajor,
  toMoney,
} from './money.js';
export type { ReconcileItem, ReconcileOptions, ReconcileReport } from './reconcile.js';
export {
  type ResolveStep,
  type ResolveTrace,
  type ResolveUntilFinalOptions,
  resolveUntilFinal,
} from './resolve-until-final.js';
export {
  formatSignatureHeader,
  loadPrivateKey,
  loadPublicKey,
  parseSignatureHeader,
  type SignatureHeader,
  signedContent,
  signRsa256,
  verifyRsa256,
} from './rsa-signature.js';
export type {
  CaptureMetadata,
  CaptureProviderV1,
  ProviderCaptureRequest,
  ProviderResolveRequest,
} from './spec.js';
export {
  createTransport,
  parseBaseUrl,
  type Transport,
  type TransportFailure,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
  transportFailureToCaptureError,
} from './transport.js';
export {
  type CaptureEvent,
  createWebhookHandler,
  headerValue,
  type ProviderCaptureEvent,
  type WebhookAck,
  type WebhookHandlerOptions,
  type WebhookHandlerParts,
  type WebhookRequest,
} from './webhooks.js';

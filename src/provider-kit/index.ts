/**
 * capture-kit/provider: what an adapter author (or a journal implementer) imports. The
 * `CaptureProviderV1` spec, the undici transport, RSA256 (Alipay family) and HMAC signing,
 * strict settings and `providerOptions` parsing, JSON body reading, the shared error
 * builders, and the intent transitions a `CaptureJournal` applies. Users of the client
 * need none of it: their API is the root `capture-kit` export.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { type CaptureProviderV1, createTransport, defineSettings } from 'capture-kit/provider';
 *
 * const parseSettings = defineSettings('acme', z.object({ apiKey: z.string().min(1), baseUrl: z.string() }));
 *
 * export function acme(input: { apiKey: string; baseUrl: string }): CaptureProviderV1 {
 *   const settings = parseSettings(input); // acme({ apiKy }) → TypeError naming the key
 *   const transport = createTransport({ baseUrl: settings.baseUrl, settingName: 'acme({ baseUrl })' });
 *   // … specificationVersion: 'v1', kind: 'acme', capabilities, doCapture, doResolve, …
 * }
 * ```
 *
 * @module capture-kit/provider
 * @packageDocumentation
 */
export {
  normalizeCardBrand,
  type PreflightRequest,
  preflight,
  type UndeterminedCapability,
} from '../core/capabilities.js';
export type { ProviderCapture } from '../core/capture.js';
export { captureRequestSchema, resolveRequestSchema } from '../core/capture-request.js';
export { ISO_4217_EXPONENTS, ISO_4217_WITHOUT_MINOR_UNIT } from '../core/currency-exponents.js';
export {
  type CaptureErrorInit,
  captureError,
  captureNotFound,
  UNKNOWN_OUTCOME_ADVICE,
} from '../core/errors.js';
export { createFetchWebhookHandler } from '../core/fetch-webhook-handler.js';
export { type InquiryFailureInit, inquiryFailure } from '../core/inquiry-failure.js';
export {
  applyIntentEvent,
  type BeginDecision,
  type BeginOptions,
  decideBegin,
  type IntentDraft,
  type IntentEvent,
  type IntentFingerprint,
} from '../core/intents.js';
export type { ClaimQuery, IntentQuery } from '../core/journal.js';
export {
  checkCurrency,
  currencyExponent,
  type ExponentTable,
  formatMinorUnits,
  parseMinorUnits,
  toMoney,
} from '../core/money.js';
export { parseRetryAfter, retryAfterFrom } from '../core/parse-retry-after.js';
export { serializeRequestBody } from '../core/serialize-request-body.js';
export type {
  CaptureDeadline,
  CaptureMetadata,
  CaptureProviderV1,
  ProviderCaptureRequest,
  ProviderResolveRequest,
} from '../core/spec.js';
export {
  createWebhookHandler,
  headerValue,
  type ProviderCaptureEvent,
  type WebhookAck,
  type WebhookHandlerOptions,
  type WebhookHandlerParts,
} from '../core/webhooks.js';
export { defineSettings, type SettingsParser } from './define-settings.js';
export { type ExchangeStop, exchangeStop } from './exchange-stop.js';
export { hmacSha256Hex, sameSecret, verifyHmacSha256Hex } from './hmac.js';
export {
  type NoReliableAnswerInit,
  noReliableAnswer,
  unknownOutcomeMessage,
} from './no-reliable-answer.js';
export { parseProviderOptions } from './parse-provider-options.js';
export { readJsonBody } from './read-json-body.js';
export {
  RSA_POOL_LIMIT,
  RSA_SYNC_BUDGET_MS,
  type RsaOffload,
  signRsa256Async,
  verifyRsa256Async,
} from './rsa-offload.js';
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

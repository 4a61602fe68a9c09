import type { Result } from 'neverthrow';
import type { CapabilityContext, CaptureCapabilities } from './capabilities.js';
import type { ProviderCapture } from './capture.js';
import type { CaptureError, WebhookError } from './errors.js';
import type { ExponentTable, Money } from './money.js';
import type { ProviderCaptureEvent, WebhookAck, WebhookRequest } from './webhook-types.js';

/**
 * Flat key/value metadata that every provider can carry.
 *
 * @example
 * ```ts
 * const metadata: CaptureMetadata = { orderId: 'ORD-5023', attempt: 1, giftWrap: false };
 * await client.capture({ provider: 'cko', paymentId, metadata });
 * ```
 */
export type CaptureMetadata = Readonly<Record<string, string | number | boolean>>;

/**
 * A capture request after the client validated it, preflighted it and fixed the
 * idempotency key. Adapters receive only this.
 *
 * @example
 * ```ts
 * async function doCapture(
 *   request: ProviderCaptureRequest,
 * ): Promise<Result<ProviderCapture, CaptureError>> {
 *   // Validated and preflighted: amount is Money (bigint) and idempotencyKey is always set.
 *   const { paymentId, idempotencyKey, final } = request;
 *   return ok({ kind: 'memory', status: 'succeeded', paymentId, idempotencyKey, final,
 *     providerMetadata: {}, raw: {} });
 * }
 * ```
 */
export interface ProviderCaptureRequest {
  readonly paymentId: string;
  /** Omitted = capture the full remaining amount (an adapter that needs one looks it up). */
  readonly amount?: Money;
  readonly final: boolean;
  readonly idempotencyKey: string;
  readonly reference?: string;
  readonly metadata?: CaptureMetadata;
  readonly authorizedAmount?: Money;
  readonly context?: CapabilityContext;
  /**
   * `providerOptions[kind]` exactly as the caller passed it, NOT yet validated: each adapter
   * validates its own options strictly and answers `invalid_request` / `not_attempted`.
   */
  readonly providerOptions?: unknown;
  /**
   * Aborts when the caller aborts or the capture outlives its dispatch deadline (the
   * adapter's `timeoutMs` plus a little): an adapter that makes several exchanges must stop
   * by then, because the journal counts the capture in flight only that long. Made when
   * first read — an adapter on the provider kit's transport passes {@link deadline} instead,
   * which needs no `AbortController` per capture.
   */
  readonly signal?: AbortSignal;
  /**
   * The same limits as {@link signal}, as data: the `performance.now()` time by which every
   * exchange must have ended, and the caller's own signal. The provider kit's transport
   * honors it (`TransportRequest.deadline`); use `exchangeStop(request)` to pass it on.
   */
  readonly deadline?: CaptureDeadline;
}

/**
 * When a capture's exchanges must end, and the caller's signal. Set by the client on every
 * {@link ProviderCaptureRequest} it dispatches.
 *
 * @example
 * ```ts
 * const deadline: CaptureDeadline = { at: performance.now() + 15_250 };
 * const remainingMs = deadline.at - performance.now();
 * ```
 */
export interface CaptureDeadline {
  /** `performance.now()` time after which no exchange of this capture may still run. */
  readonly at: number;
  /** The caller's `signal`, when it gave one. */
  readonly signal?: AbortSignal;
}

/**
 * What `resolve()` hands an adapter: enough to find one capture at the provider.
 *
 * @example
 * ```ts
 * async function doResolve(
 *   request: ProviderResolveRequest,
 * ): Promise<Result<ProviderCapture, CaptureError>> {
 *   const found = ledger.get(request.idempotencyKey);
 *   if (found) return ok(found);
 *   return err(captureNotFound({ kind: 'memory', provider: 'The ledger', field: 'idempotencyKey',
 *     idempotencyKey: request.idempotencyKey, paymentId: request.paymentId }));
 * }
 * ```
 */
export interface ProviderResolveRequest {
  readonly paymentId: string;
  readonly idempotencyKey: string;
  /** The provider's capture id from an earlier pending `Capture`, when known. */
  readonly captureId?: string;
  /** The reference the capture was sent with, when the provider can search by it. */
  readonly reference?: string;
  /**
   * The amount the capture was sent with, when known (from the intent journal or the
   * caller). An adapter that matches by anything weaker than the key (a reference the
   * caller may reuse across captures) must also match this amount, and must refuse to
   * pick between several candidates (`Err(unknown)`).
   */
  readonly amount?: Money;
  /**
   * The journal's state of this intent, when it has one. An adapter whose only inquiry is a
   * same-key re-send (Adyen) must not re-send a capture the journal holds as `failed`: the
   * re-send could capture now what the journal says did not move.
   */
  readonly intentState?: 'sending' | 'pending' | 'unknown' | 'succeeded' | 'failed';
  readonly signal?: AbortSignal;
}

/**
 * The contract every provider adapter implements. Users never call `do*` methods; the
 * client does, after validation and preflight, and wraps what they return.
 *
 * Rules for implementers:
 * - Never throw: return `Err(CaptureError)` with the honest `outcome`. (The client still
 *   catches a throw and reports it as `provider_error` / `unknown`, because it cannot know
 *   whether the request left.)
 * - `doCapture` must send `idempotencyKey` as the provider's idempotency field.
 * - Verify response and webhook signatures and fail closed.
 *
 * @example
 * ```ts
 * const memory: CaptureProviderV1 = {
 *   specificationVersion: 'v1',
 *   kind: 'memory',
 *   capabilities: () => ({ fullCapture: true, partialCapture: true, multipleCaptures: false,
 *     finalCaptureFlag: false, amountRequired: false, resultDelivery: 'synchronous',
 *     webhooks: false, reasons: [] }),
 *   doCapture: async (req) => ok({ kind: 'memory', status: 'succeeded', paymentId: req.paymentId,
 *     idempotencyKey: req.idempotencyKey, final: true, providerMetadata: {}, raw: {} }),
 *   doResolve: async () => err(captureError({ code: 'capture_not_found', outcome: 'failed', message: '…' })),
 *   doParseWebhook: async () => err({ code: 'unsupported', message: '…', verified: false }),
 *   webhookAck: () => ({ status: 200, headers: {}, body: '' }),
 * };
 * ```
 */
export interface CaptureProviderV1 {
  readonly specificationVersion: 'v1';
  /** Adapter kind; also the key of this adapter's slice of `providerOptions`. */
  readonly kind: string;
  /** Per-provider currency exponent overrides on top of ISO 4217. */
  readonly currencyExponents?: ExponentTable;
  /**
   * The adapter's request deadline in milliseconds. The journal counts a dispatched capture
   * as possibly in flight until this (plus a grace period) has passed; 30 s when absent.
   */
  readonly timeoutMs?: number;
  /** What this provider allows for a payment with these facts. Pure and synchronous. */
  capabilities(context: CapabilityContext): CaptureCapabilities;
  doCapture(request: ProviderCaptureRequest): Promise<Result<ProviderCapture, CaptureError>>;
  /**
   * Asks the provider what became of the capture sent with `idempotencyKey`. The answer is
   * about the CAPTURE, never about the inquiry (DESIGN §0, §3):
   * `Ok(succeeded)`; `Ok(pending)` while the provider is still processing it;
   * `Err(failed)` only when the provider says THIS capture failed; `Err(capture_not_found /
   * failed)` only when the provider authoritatively has no capture under this key (safe to
   * send it again with the same key); and `Err(unknown)` for every failure of the inquiry
   * itself — network, 401, 403, 429, 5xx, bad signature, an ambiguous match — keeping the
   * inquiry's own `code`, `httpStatus` and `retryAfterMs`.
   */
  doResolve(request: ProviderResolveRequest): Promise<Result<ProviderCapture, CaptureError>>;
  /** Verifies and parses one webhook delivery. Fails closed. */
  doParseWebhook(request: WebhookRequest): Promise<Result<ProviderCaptureEvent, WebhookError>>;
  /**
   * Optional, for providers that batch several events in one delivery (Adyen's
   * `notificationItems`): verifies the delivery and returns EVERY capture event in it, in
   * order (never an empty list: a verified delivery without one is `Err(event_ignored)`).
   * When present, the client's webhook handlers use it instead of `doParseWebhook`: each
   * event reaches `onEvent` and the delivery is acknowledged once. Fails closed.
   */
  doParseWebhookBatch?(
    request: WebhookRequest,
  ): Promise<Result<readonly ProviderCaptureEvent[], WebhookError>>;
  /** The exact answer the provider expects after a verified delivery. */
  webhookAck(): WebhookAck;
  /** Releases connection pools. Optional. */
  close?(): Promise<void>;
}

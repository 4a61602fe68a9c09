import type {
  AuthorizeOptions,
  Fault,
  SimulatedCapture,
  SimulatedPaymentState,
} from '../harness.js';
import { DAY_MS, type ManualClock } from '../manual-clock.js';
import { capturedTotal, captureRefusal, closesPayment } from './antom-capture-rules.js';
import type { AntomSimCapture, AntomSimContract, AntomSimPayment } from './antom-sim-records.js';
import {
  type AntomCaptureBody,
  type AntomSimResult,
  antomResult,
  antomTime,
} from './antom-wire.js';

/**
 * The Antom simulator's books: payments, capture attempts keyed by `captureRequestId`, and
 * the capture rules of the seed documents. No HTTP here; `antom.ts` serves it.
 */

/**
 * `authorize()` options: the harness's plus Antom's card facts.
 *
 * @example
 * ```ts
 * const options: AntomAuthorizeOptions = {
 *   amount: 2000n, currency: 'USD', cardBrand: 'visa', issuerCountry: 'US',
 * };
 * const payment = await sim.authorize(options); // a US card: capture it in full
 * ```
 */
export interface AntomAuthorizeOptions extends AuthorizeOptions {
  /** ISO 3166 country of the card issuer; `US` cards must be captured in full. */
  readonly issuerCountry?: string;
  /** Antom's `paymentMethodType`. Default `CARD`. */
  readonly paymentMethodType?: string;
}

/** How the HTTP layer wants a new capture committed (fault injection). */
export interface AntomCommitMode {
  /** Decline with this code instead of applying the rules (an injected F result). */
  readonly forcedCode?: string;
  /** Record the capture as PROCESSING, answering this U code meanwhile. */
  readonly processingCode?: string;
  /** Takes the webhook fault for the notifyCapture of a capture Antom accepted. */
  readonly takeWebhookFault?: () => Fault | undefined;
}

/** What the ledger decided about one capture request. */
type AntomCaptureDecision =
  | { readonly kind: 'recorded'; readonly capture: AntomSimCapture; readonly replay: boolean }
  | { readonly kind: 'refused'; readonly code: string };

/** What the ledger decided about one cancel request. */
type AntomCancelDecision =
  | { readonly kind: 'cancelled'; readonly payment: AntomSimPayment }
  | { readonly kind: 'refused'; readonly code: string };

/**
 * The simulator's state: payments, capture attempts, and the capture decision. A capture
 * that reaches its final result is handed to `onFinal` (the notifyCapture sender).
 */
export class AntomLedger {
  readonly #payments = new Map<string, AntomSimPayment>();
  readonly #byRequestId = new Map<string, string>();
  readonly #captures = new Map<string, AntomSimCapture>();
  // Indexed by payment so a request costs the same after 100,000 captures as after one.
  readonly #byPayment = new Map<string, AntomSimCapture[]>();
  readonly #clock: ManualClock;
  readonly #contract: AntomSimContract;
  readonly #onFinal: (capture: AntomSimCapture) => void;
  #sequence = 0;

  constructor(
    clock: ManualClock,
    contract: AntomSimContract,
    onFinal: (capture: AntomSimCapture) => void,
  ) {
    this.#clock = clock;
    this.#contract = contract;
    this.#onFinal = onFinal;
  }

  /** Creates an authorized payment; `AUTOMATIC` captures it in full at once. */
  authorize(options: AntomAuthorizeOptions): AntomSimPayment {
    const paymentId = this.#nextId('1940108001');
    const paymentRequestId = `PAY_REQ_${paymentId.slice(-15)}`;
    const amount = { currency: options.currency ?? 'USD', value: options.amount };
    const payment: AntomSimPayment = {
      paymentId,
      paymentRequestId,
      amount,
      captureMode: options.captureMode ?? 'MANUAL',
      authorizedAt: this.#clock.now(),
      paymentMethodType: options.paymentMethodType ?? 'CARD',
      ...(options.cardBrand ? { cardBrand: options.cardBrand } : {}),
      ...(options.issuerCountry ? { issuerCountry: options.issuerCountry } : {}),
      closed: false,
    };
    this.#payments.set(paymentId, payment);
    this.#byRequestId.set(paymentRequestId, paymentId);
    if (payment.captureMode === 'AUTOMATIC') {
      // Antom captures by itself and only notifies; the request id is ASSUMED to be the payment's.
      this.#record(
        { paymentId, captureRequestId: paymentRequestId, amount, fingerprint: `auto:${paymentId}` },
        antomResult('SUCCESS', 'S'),
        payment,
      );
    }
    return payment;
  }

  /** True when `captureRequestId` has not been seen: the request would be a new capture. */
  isNewCapture(captureRequestId: string): boolean {
    return !this.#captures.has(captureRequestId);
  }

  /** Applies idempotency, then the capture rules (or the forced code), and records the attempt. */
  capture(body: AntomCaptureBody, mode: AntomCommitMode = {}): AntomCaptureDecision {
    const existing = this.#captures.get(body.captureRequestId);
    if (existing) {
      if (existing.fingerprint !== body.fingerprint) {
        return { kind: 'refused', code: 'REPEAT_REQ_INCONSISTENT' };
      }
      // Antom's FAQ: a duplicate while the first is CAPTURE_IN_PROCESS triggers "amount exceeded".
      if (existing.processing) return { kind: 'refused', code: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT' };
      return { kind: 'recorded', capture: existing, replay: true };
    }
    const payment = this.#payments.get(body.paymentId);
    const refusal =
      mode.forcedCode ??
      captureRefusal(
        payment,
        body,
        this.#capturesOf(body.paymentId),
        this.#contract,
        this.#clock.now(),
      );
    const result: AntomSimResult = refusal ? antomResult(refusal) : antomResult('SUCCESS', 'S');
    // Only a capture Antom accepted (S, or U still in process) produces a notification.
    const webhookFault = refusal && !mode.processingCode ? undefined : mode.takeWebhookFault?.();
    const capture = this.#record(body, result, payment, mode.processingCode, webhookFault);
    return { kind: 'recorded', capture, replay: false };
  }

  /** The payment a request names by `paymentId` or `paymentRequestId`. */
  find(json: Record<string, unknown>): AntomSimPayment | undefined {
    const id =
      typeof json.paymentId === 'string'
        ? json.paymentId
        : typeof json.paymentRequestId === 'string'
          ? this.#byRequestId.get(json.paymentRequestId)
          : undefined;
    return id === undefined ? undefined : this.#payments.get(id);
  }

  /**
   * The payment's captures as `inquiryPayment` sees them: a PROCESSING capture turns final
   * at the second inquiry that sees it (or at {@link settle}).
   */
  inquire(payment: AntomSimPayment): readonly AntomSimCapture[] {
    const own = this.#capturesOf(payment.paymentId);
    for (const c of own) {
      if (!c.processing) continue;
      c.inquiries += 1;
      if (c.inquiries >= 2) this.#finalize(c);
    }
    return own;
  }

  /** The merchant's cancel: refused once a capture holds money (that is a refund). */
  cancel(json: Record<string, unknown>): AntomCancelDecision {
    const payment = this.find(json);
    if (!payment) return { kind: 'refused', code: 'ORDER_NOT_EXIST' };
    const live = this.#capturesOf(payment.paymentId).some(
      (c) => c.processing || c.result.resultStatus === 'S',
    );
    // ASSUMED: a payment with a capture cannot be cancelled (that is a refund).
    if (live && payment.cancelled === undefined) {
      return { kind: 'refused', code: 'ORDER_STATUS_INVALID' };
    }
    if (payment.cancelled === undefined) {
      payment.cancelled = 'merchant';
      payment.cancelTime = antomTime(this.#clock.now());
    }
    return { kind: 'cancelled', payment };
  }

  /** Voids an authorization upstream: captures then answer AUTH_CANCELLED. */
  cancelAuthorization(paymentId: string): void {
    this.#payment(paymentId).cancelled = 'authorization';
  }

  /** Finishes every PROCESSING capture with its final result. */
  settle(): void {
    for (const c of this.#captures.values()) this.#finalize(c);
  }

  /** The neutral view of one payment, for `sim.payment(id)`. Throws for an unknown id. */
  state(paymentId: string): SimulatedPaymentState {
    const payment = this.#payment(paymentId);
    const captures = this.#capturesOf(paymentId);
    const now = this.#clock.now();
    const total = capturedTotal(captures);
    const status = payment.cancelled
      ? 'CANCELLED'
      : total === payment.amount.value
        ? 'CAPTURED'
        : total > 0n
          ? payment.closed
            ? 'CLOSED'
            : 'PARTIALLY_CAPTURED'
          : now - payment.authorizedAt > 7 * DAY_MS
            ? 'EXPIRED'
            : 'AUTHORIZED';
    return {
      paymentId: payment.paymentId,
      authorized: payment.amount,
      capturedTotal: total,
      status,
      captures: captures.map(
        (c): SimulatedCapture => ({
          idempotencyKey: c.captureRequestId,
          captureId: c.captureId,
          amount: c.amount.value,
          status: c.processing
            ? 'processing'
            : c.result.resultStatus === 'S'
              ? 'succeeded'
              : 'failed',
          final: c.isLast,
        }),
      ),
    };
  }

  #payment(paymentId: string): AntomSimPayment {
    const payment = this.#payments.get(paymentId);
    if (!payment) throw new Error(`Antom simulator: no payment ${paymentId}`);
    return payment;
  }

  #capturesOf(paymentId: string): AntomSimCapture[] {
    return this.#byPayment.get(paymentId) ?? [];
  }

  #finalize(capture: AntomSimCapture): void {
    if (!capture.processing) return;
    capture.processing = false;
    this.#onFinal(capture);
  }

  /** Records one capture attempt; a successful one closes the payment when it is the last. */
  #record(
    body: AntomCaptureBody,
    result: AntomSimResult,
    payment: AntomSimPayment | undefined,
    processingCode?: string,
    webhookFault?: Fault,
  ): AntomSimCapture {
    const isLast = closesPayment(body, this.#contract);
    const record: AntomSimCapture = {
      captureRequestId: body.captureRequestId,
      paymentId: body.paymentId,
      fingerprint: body.fingerprint,
      captureId: this.#nextId('1940108901'),
      amount: body.amount,
      isLast,
      result,
      processing: processingCode !== undefined,
      ...(processingCode ? { processingCode } : {}),
      inquiries: 0,
      captureTime: antomTime(this.#clock.now()),
      acquirerReferenceNo: this.#nextId('190313'),
      ...(webhookFault ? { webhookFault } : {}),
    };
    this.#captures.set(body.captureRequestId, record);
    const ofPayment = this.#byPayment.get(record.paymentId);
    if (ofPayment) ofPayment.push(record);
    else this.#byPayment.set(record.paymentId, [record]);
    const succeeded = result.resultStatus === 'S';
    if (payment && succeeded && isLast) payment.closed = true;
    if (!record.processing && succeeded) this.#onFinal(record);
    return record;
  }

  /** Ids in Antom's style: the date, a kind marker, a counter. */
  #nextId(middle: string): string {
    this.#sequence += 1;
    const day = antomTime(this.#clock.now()).slice(0, 10).replaceAll('-', '');
    return `${day}${middle}${String(this.#sequence).padStart(15, '0')}`;
  }
}

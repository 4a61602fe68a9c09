import type { Money } from '../../core/money.js';
import type { AuthorizeOptions, SimulatedPaymentState } from '../harness.js';
import type { ManualClock } from '../manual-clock.js';
import type { AlipayV2SimCode } from './alipay-v2-codes.js';

/**
 * The wallet's books for the Alipay+ v2 simulator: authorizations, captures, and the rules
 * the capture API documents. Pure state on a manual clock; no HTTP here.
 */

/** A capture request after the simulator parsed the wire body. */
export interface LedgerCaptureInput {
  readonly captureRequestId: string;
  readonly paymentId: string;
  /** `undefined` = capture what remains (the seed's "full capture" default). */
  readonly amount?: Money;
  /** The seed's default is true. */
  readonly isLastCapture: boolean;
  readonly extendInfo?: string;
}

/** One capture attempt the wallet recorded (declines too, so replays answer the same). */
export interface LedgerCapture {
  readonly idempotencyKey: string;
  readonly paymentId: string;
  readonly captureId: string;
  readonly amount: bigint;
  readonly currency: string;
  status: 'succeeded' | 'processing' | 'failed';
  /** `SUCCESS` or the decline code. */
  resultCode: AlipayV2SimCode;
  readonly final: boolean;
  readonly fingerprint: string;
  readonly time: number;
  readonly extendInfo?: string;
  /** Inquiries that have seen this capture while it was processing. */
  inquiriesSeen: number;
}

/** A payment on the books. */
export interface LedgerPayment {
  readonly paymentId: string;
  readonly authorized: Money;
  readonly authorizedAt: number;
  cancelled: boolean;
  /** Set by a capture with isLastCapture true: the remainder is released. */
  closed: boolean;
  readonly captures: LedgerCapture[];
}

/** What the ledger decided about one capture request. */
export type CaptureDecision =
  | { readonly kind: 'recorded'; readonly capture: LedgerCapture; readonly replay: boolean }
  | { readonly kind: 'refused'; readonly code: AlipayV2SimCode };

/** How the HTTP layer wants a new capture committed. */
interface CommitMode {
  /** Record a capture that passes the rules as PROCESSING instead of SUCCESS. */
  readonly processing?: boolean;
  /** Decline with this code instead of applying the rules (fault injection). */
  readonly forcedCode?: AlipayV2SimCode;
}

/** Result of a cancel call. */
type CancelOutcome = 'SUCCESS' | 'ORDER_NOT_EXIST' | 'ORDER_STATUS_INVALID';

/**
 * The simulator's state. `authorizationTtlMs: null` disables expiry.
 */
export class AlipayV2Ledger {
  readonly #payments = new Map<string, LedgerPayment>();
  readonly #byKey = new Map<string, LedgerCapture>();
  readonly #clock: ManualClock;
  readonly #ttlMs: number | null;
  #counter = 0;

  constructor(clock: ManualClock, authorizationTtlMs: number | null) {
    this.#clock = clock;
    this.#ttlMs = authorizationTtlMs;
  }

  /** Creates an authorized payment; `AUTOMATIC` captures it in full at once. */
  authorize(options: AuthorizeOptions, defaultCurrency: string): LedgerPayment {
    const payment: LedgerPayment = {
      paymentId: this.#id('0800'),
      authorized: { currency: options.currency ?? defaultCurrency, value: options.amount },
      authorizedAt: this.#clock.now(),
      cancelled: false,
      closed: false,
      captures: [],
    };
    this.#payments.set(payment.paymentId, payment);
    if (options.captureMode === 'AUTOMATIC') {
      this.#record(
        payment,
        {
          captureRequestId: `auto_${payment.paymentId}`,
          paymentId: payment.paymentId,
          isLastCapture: true,
        },
        options.amount,
        'succeeded',
        'SUCCESS',
      );
    }
    return payment;
  }

  /** True when `input` would create a new capture: an unseen key on a known payment. */
  isNewCapture(input: LedgerCaptureInput): boolean {
    return !this.#byKey.has(input.captureRequestId) && this.#payments.has(input.paymentId);
  }

  /** Applies idempotency, then the documented rules, and records the attempt. */
  capture(input: LedgerCaptureInput, mode: CommitMode = {}): CaptureDecision {
    const existing = this.#byKey.get(input.captureRequestId);
    if (existing) {
      return existing.fingerprint === fingerprint(input)
        ? { kind: 'recorded', capture: existing, replay: true }
        : { kind: 'refused', code: 'REPEAT_REQ_INCONSISTENT' };
    }
    const payment = this.#payments.get(input.paymentId);
    if (!payment) return { kind: 'refused', code: 'AUTH_NOT_FOUND' };
    const remaining = payment.authorized.value - capturedTotal(payment);
    const amount = input.amount?.value ?? remaining;
    const code = mode.forcedCode ?? this.#rule(payment, input, amount, remaining);
    if (code) {
      return {
        kind: 'recorded',
        capture: this.#record(payment, input, amount, 'failed', code),
        replay: false,
      };
    }
    const status = mode.processing ? 'processing' : 'succeeded';
    const capture = this.#record(payment, input, amount, status, 'SUCCESS');
    if (input.isLastCapture) payment.closed = true;
    return { kind: 'recorded', capture, replay: false };
  }

  /**
   * The payment as `inquiryPayment` sees it. A PROCESSING capture is reported as such once
   * and turns SUCCESS at the second inquiry that sees it (or at {@link settle}).
   */
  inquire(paymentId: string): LedgerPayment | undefined {
    const payment = this.#payments.get(paymentId);
    for (const capture of payment?.captures ?? []) {
      if (capture.status !== 'processing') continue;
      if (capture.inquiriesSeen >= 1) capture.status = 'succeeded';
      else capture.inquiriesSeen += 1;
    }
    return payment;
  }

  /** Finishes every PROCESSING capture with SUCCESS. */
  settle(): void {
    for (const capture of this.#byKey.values()) {
      if (capture.status === 'processing') capture.status = 'succeeded';
    }
  }

  /** Voids what is left of an authorization; captures already made stand. */
  cancel(paymentId: string): CancelOutcome {
    const payment = this.#payments.get(paymentId);
    if (!payment) return 'ORDER_NOT_EXIST';
    if (payment.closed && !payment.cancelled) return 'ORDER_STATUS_INVALID';
    payment.cancelled = true;
    return 'SUCCESS';
  }

  /** Ground truth for tests. Declined attempts are left out: they took no money. */
  state(paymentId: string): SimulatedPaymentState | undefined {
    const payment = this.#payments.get(paymentId);
    if (!payment) return undefined;
    const live = payment.captures.filter((c) => c.status !== 'failed');
    return {
      paymentId,
      authorized: payment.authorized,
      capturedTotal: capturedTotal(payment),
      status: this.paymentStatus(payment),
      captures: live.map((c) => ({
        idempotencyKey: c.idempotencyKey,
        captureId: c.captureId,
        amount: c.amount,
        status: c.status,
        final: c.final,
      })),
    };
  }

  /** `CANCELLED`, `CLOSED` (a last capture was made), `EXPIRED`, `PARTIALLY_CAPTURED` or `AUTHORIZED`. */
  paymentStatus(payment: LedgerPayment): string {
    if (payment.cancelled) return 'CANCELLED';
    if (payment.closed) return 'CLOSED';
    if (this.#expired(payment)) return 'EXPIRED';
    return capturedTotal(payment) > 0n ? 'PARTIALLY_CAPTURED' : 'AUTHORIZED';
  }

  #expired(payment: LedgerPayment): boolean {
    return this.#ttlMs !== null && this.#clock.now() - payment.authorizedAt > this.#ttlMs;
  }

  #rule(
    payment: LedgerPayment,
    input: LedgerCaptureInput,
    amount: bigint,
    remaining: bigint,
  ): AlipayV2SimCode | undefined {
    if (payment.cancelled) return 'AUTH_CANCELLED';
    // ASSUMED (undocumented): after a last capture, nothing left → the amount rule; a
    // remainder released by isLastCapture → the authorization counts as cancelled.
    if (payment.closed)
      return remaining <= 0n ? 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT' : 'AUTH_CANCELLED';
    if (this.#expired(payment)) return 'AUTH_EXPIRED';
    if (input.amount && input.amount.currency !== payment.authorized.currency)
      return 'CURRENCY_NOT_SUPPORT';
    if (amount <= 0n || amount > remaining) return 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT';
    return undefined;
  }

  #record(
    payment: LedgerPayment,
    input: LedgerCaptureInput,
    amount: bigint,
    status: LedgerCapture['status'],
    resultCode: AlipayV2SimCode,
  ): LedgerCapture {
    const capture: LedgerCapture = {
      idempotencyKey: input.captureRequestId,
      paymentId: payment.paymentId,
      captureId: this.#id('0700'),
      amount,
      currency: input.amount?.currency ?? payment.authorized.currency,
      status,
      resultCode,
      final: input.isLastCapture,
      fingerprint: fingerprint(input),
      time: this.#clock.now(),
      ...(input.extendInfo !== undefined ? { extendInfo: input.extendInfo } : {}),
      inquiriesSeen: 0,
    };
    payment.captures.push(capture);
    this.#byKey.set(capture.idempotencyKey, capture);
    return capture;
  }

  /** Digit ids in the wallet's style: a timestamp, a kind marker, a counter. */
  #id(marker: string): string {
    this.#counter += 1;
    const stamp = new Date(this.#clock.now()).toISOString().replace(/\D/g, '').slice(0, 14);
    return `${stamp}${marker}${String(this.#counter).padStart(10, '0')}`;
  }
}

function capturedTotal(payment: LedgerPayment): bigint {
  return payment.captures.reduce((sum, c) => (c.status === 'failed' ? sum : sum + c.amount), 0n);
}

function fingerprint(input: LedgerCaptureInput): string {
  return JSON.stringify([
    input.paymentId,
    input.amount?.currency ?? null,
    input.amount?.value.toString() ?? null,
    input.isLastCapture,
    input.extendInfo ?? null,
  ]);
}

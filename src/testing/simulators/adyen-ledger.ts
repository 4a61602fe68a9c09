import { randomBytes } from 'node:crypto';
import type { Money } from '../../core/money.js';
import type { AuthorizeOptions, SimulatedPaymentState } from '../harness.js';
import type { ManualClock } from '../manual-clock.js';

/**
 * The books of the Adyen simulator: authorisations, capture requests and the rules Adyen
 * applies when it processes a capture. Pure state on a manual clock; no HTTP here.
 *
 * Adyen answers a capture request with `201 received` and decides later: the request is
 * recorded as `received`, and {@link AdyenLedger.process} books or refuses it (the result
 * goes out as a CAPTURE webhook).
 */

/** A capture request as Adyen recorded it. */
export interface AdyenLedgerCapture {
  readonly idempotencyKey: string;
  /** The capture's own pspReference (the 201's `pspReference`). */
  readonly pspReference: string;
  readonly paymentId: string;
  readonly merchantAccount: string;
  readonly amount: bigint;
  readonly currency: string;
  readonly reference: string;
  status: 'received' | 'succeeded' | 'failed';
  /** The refusal reason of a failed capture (CAPTURE success=false `reason`). */
  reason?: string;
  /** CAPTURE_FAILED after a booked capture: the scheme rejected it. */
  schemeRejected?: boolean;
  /** The exact 201 body, replayed for the same Idempotency-Key. */
  readonly response: Buffer;
}

/** An authorisation on the books. */
export interface AdyenLedgerPayment {
  readonly pspReference: string;
  readonly merchantAccount: string;
  readonly authorized: Money;
  readonly merchantReference: string;
  /** Set when Adyen cancelled what a partial capture left (one capture per payment). */
  closed: boolean;
  readonly captures: AdyenLedgerCapture[];
}

/** What processing one received capture decided. */
export interface AdyenProcessed {
  readonly capture: AdyenLedgerCapture;
  readonly payment: AdyenLedgerPayment;
}

/** A forced result for the next processed capture (`declineNextCapture`). */
export interface AdyenForcedResult {
  readonly reason: string;
  readonly eventCode: 'CAPTURE' | 'CAPTURE_FAILED';
}

/** A 16-character pspReference, upper-case letters and digits like Adyen's. */
export function adyenPspReference(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  return [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** Sum of booked and received (not yet processed) captures: what may still become money. */
function heldTotal(payment: AdyenLedgerPayment): bigint {
  return payment.captures
    .filter((capture) => capture.status !== 'failed' && !capture.schemeRejected)
    .reduce((sum, capture) => sum + capture.amount, 0n);
}

function bookedTotal(payment: AdyenLedgerPayment): bigint {
  return payment.captures
    .filter((capture) => capture.status === 'succeeded' && !capture.schemeRejected)
    .reduce((sum, capture) => sum + capture.amount, 0n);
}

/** The simulator's state. */
export class AdyenLedger {
  readonly #payments = new Map<string, AdyenLedgerPayment>();
  readonly #byKey = new Map<string, AdyenLedgerCapture>();
  readonly #queue: AdyenLedgerCapture[] = [];
  readonly #forced: AdyenForcedResult[] = [];
  readonly #clock: ManualClock;
  readonly #multiplePartialCaptures: boolean;

  constructor(clock: ManualClock, multiplePartialCaptures: boolean) {
    this.#clock = clock;
    this.#multiplePartialCaptures = multiplePartialCaptures;
  }

  /** The simulator's clock (event dates). */
  get now(): number {
    return this.#clock.now();
  }

  /** Creates an authorisation; `AUTOMATIC` books the whole amount at once. */
  authorize(options: AuthorizeOptions, merchantAccount: string): AdyenLedgerPayment {
    const payment: AdyenLedgerPayment = {
      pspReference: adyenPspReference(),
      merchantAccount,
      authorized: { currency: options.currency ?? 'EUR', value: options.amount },
      merchantReference: `order-${this.#payments.size + 1}`,
      closed: false,
      captures: [],
    };
    this.#payments.set(payment.pspReference, payment);
    if (options.captureMode === 'AUTOMATIC') {
      payment.captures.push({
        idempotencyKey: '',
        pspReference: adyenPspReference(),
        paymentId: payment.pspReference,
        merchantAccount,
        amount: options.amount,
        currency: payment.authorized.currency,
        reference: '<auto>',
        status: 'succeeded',
        response: Buffer.alloc(0),
      });
      payment.closed = true;
    }
    return payment;
  }

  payment(pspReference: string): AdyenLedgerPayment | undefined {
    return this.#payments.get(pspReference);
  }

  /** The capture recorded under an Idempotency-Key, whose 201 a repeated key gets back. */
  replay(idempotencyKey: string): AdyenLedgerCapture | undefined {
    return idempotencyKey === '' ? undefined : this.#byKey.get(idempotencyKey);
  }

  /**
   * Records a well-formed capture request as `received` and queues it for processing.
   * `respond` builds the exact 201 body from the new capture's pspReference.
   */
  receive(
    payment: AdyenLedgerPayment,
    input: {
      readonly idempotencyKey: string;
      readonly amount: Money;
      readonly reference: string;
    },
    respond: (pspReference: string) => Buffer,
  ): AdyenLedgerCapture {
    const pspReference = adyenPspReference();
    const capture: AdyenLedgerCapture = {
      idempotencyKey: input.idempotencyKey,
      pspReference,
      paymentId: payment.pspReference,
      merchantAccount: payment.merchantAccount,
      amount: input.amount.value,
      currency: input.amount.currency,
      reference: input.reference,
      status: 'received',
      response: respond(pspReference),
    };
    payment.captures.push(capture);
    if (input.idempotencyKey !== '') this.#byKey.set(input.idempotencyKey, capture);
    this.#queue.push(capture);
    return capture;
  }

  /** The next processed capture fails with this reason (or is rejected by the scheme). */
  forceNext(result: AdyenForcedResult): void {
    this.#forced.push(result);
  }

  /** True while received captures wait for processing. */
  get hasQueued(): boolean {
    return this.#queue.length > 0;
  }

  /**
   * Processes every received capture in arrival order with Adyen's rules: the currency of
   * the authorisation; at most what is left (else "Insufficient balance on payment"); a
   * payment closed by an earlier partial capture when the account does not allow multiple
   * partial captures (the remainder was cancelled).
   */
  process(): AdyenProcessed[] {
    const done: AdyenProcessed[] = [];
    for (const capture of this.#queue.splice(0)) {
      const payment = this.#payments.get(capture.paymentId);
      if (!payment) continue;
      const forced = this.#forced.shift();
      const reason = forced?.eventCode === 'CAPTURE' ? forced.reason : this.#rule(payment, capture);
      if (reason) {
        capture.status = 'failed';
        capture.reason = reason;
      } else {
        capture.status = 'succeeded';
        if (forced?.eventCode === 'CAPTURE_FAILED') {
          capture.schemeRejected = true;
          capture.reason = forced.reason;
        }
        // Without multiple partial captures Adyen cancels what a capture leaves uncaptured.
        if (!this.#multiplePartialCaptures) payment.closed = true;
      }
      done.push({ capture, payment });
    }
    return done;
  }

  #rule(payment: AdyenLedgerPayment, capture: AdyenLedgerCapture): string | undefined {
    if (capture.currency !== payment.authorized.currency) {
      return 'Modification in different currency than authorisation';
    }
    if (payment.closed) return 'Insufficient balance on payment';
    const others = bookedTotal(payment);
    if (others + capture.amount > payment.authorized.value) {
      return 'Insufficient balance on payment';
    }
    return undefined;
  }

  /** Ground truth for tests. Refused captures are left out: they took no money. */
  state(pspReference: string): SimulatedPaymentState | undefined {
    const payment = this.#payments.get(pspReference);
    if (!payment) return undefined;
    const live = payment.captures.filter((c) => c.status !== 'failed' && !c.schemeRejected);
    return {
      paymentId: pspReference,
      authorized: payment.authorized,
      capturedTotal: heldTotal(payment),
      status: this.status(payment),
      captures: live.map((c) => ({
        idempotencyKey: c.idempotencyKey,
        captureId: c.pspReference,
        amount: c.amount,
        status: c.status === 'received' ? 'processing' : 'succeeded',
        // Adyen has no final flag: a capture is final when the account allows one.
        final: !this.#multiplePartialCaptures,
      })),
    };
  }

  /** `Authorised`, `PartiallyCaptured`, `Captured` (ASSUMED labels, as the Customer Area shows). */
  status(payment: AdyenLedgerPayment): string {
    const booked = bookedTotal(payment);
    if (booked === 0n) return 'Authorised';
    return booked >= payment.authorized.value || payment.closed ? 'Captured' : 'PartiallyCaptured';
  }
}

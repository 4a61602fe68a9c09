import type { Money } from '../../core/money.js';
import type { AuthorizeOptions, SimulatedPaymentState } from '../harness.js';
import type { ManualClock } from '../manual-clock.js';

/**
 * Stripe's books for the Stripe simulator: PaymentIntents authorized for manual capture,
 * their captures, and the rules of `POST /v1/payment_intents/{id}/capture`. Pure state on a
 * manual clock; idempotency and HTTP live in stripe.ts.
 */

/** Card brands with multicapture (docs.stripe.com/payments/multicapture, read 2026-12-01). */
const MULTICAPTURE_BRANDS = new Set(['visa', 'mastercard', 'amex', 'discover']);

/** A PaymentIntent on the books. */
export interface StripeLedgerIntent {
  readonly id: string;
  readonly amount: bigint;
  /** Upper-case ISO code; the wire writes it lower-case. */
  readonly currency: string;
  amountCapturable: bigint;
  amountReceived: bigint;
  status: 'requires_capture' | 'succeeded' | 'canceled';
  readonly multicapture: boolean;
  readonly created: number;
  readonly latestCharge: string;
  readonly metadata: Record<string, string>;
  readonly captures: StripeLedgerCapture[];
}

/** One capture that moved money. */
export interface StripeLedgerCapture {
  readonly idempotencyKey: string;
  readonly amount: bigint;
  readonly final: boolean;
  readonly time: number;
}

/** A capture request after the router parsed the form. */
export interface StripeCaptureInput {
  readonly paymentId: string;
  readonly idempotencyKey: string;
  readonly amountToCapture?: bigint;
  readonly finalCapture: boolean;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A refusal in Stripe's terms. */
export interface StripeLedgerRefusal {
  readonly status: number;
  readonly type: string;
  readonly code?: string;
  readonly param?: string;
  readonly declineCode?: string;
  readonly message: string;
}

/** What a capture did: the PaymentIntent after it, or a refusal. */
export type StripeCaptureDecision =
  | { readonly kind: 'captured'; readonly intent: StripeLedgerIntent; readonly closed: boolean }
  | { readonly kind: 'refused'; readonly refusal: StripeLedgerRefusal };

/**
 * The simulator's state. `captureWindowMs` is how long an uncaptured PaymentIntent lives
 * (Stripe cancels it after 7 days by default); `maxCaptures` is Stripe's per-PaymentIntent
 * multicapture limit (50).
 */
export class StripeLedger {
  readonly #intents = new Map<string, StripeLedgerIntent>();
  readonly #clock: ManualClock;
  readonly #captureWindowMs: number;
  readonly #maxCaptures: number;
  #counter = 0;

  constructor(clock: ManualClock, captureWindowMs: number, maxCaptures: number) {
    this.#clock = clock;
    this.#captureWindowMs = captureWindowMs;
    this.#maxCaptures = maxCaptures;
  }

  /**
   * A PaymentIntent in `requires_capture`. Multicapture is available for the card brands
   * that have it unless `multicapture` says otherwise; `AUTOMATIC` captures it at once.
   */
  authorize(
    options: AuthorizeOptions & { readonly multicapture?: boolean },
    defaultCurrency: string,
  ): StripeLedgerIntent {
    const brand = (options.cardBrand ?? 'visa').toLowerCase();
    const intent: StripeLedgerIntent = {
      id: this.#id('pi'),
      amount: options.amount,
      currency: (options.currency ?? defaultCurrency).toUpperCase(),
      amountCapturable: options.amount,
      amountReceived: 0n,
      status: 'requires_capture',
      multicapture: options.multicapture ?? MULTICAPTURE_BRANDS.has(brand),
      created: this.#clock.now(),
      latestCharge: this.#id('ch'),
      metadata: {},
      captures: [],
    };
    this.#intents.set(intent.id, intent);
    if (options.captureMode === 'AUTOMATIC') {
      intent.amountReceived = intent.amount;
      intent.amountCapturable = 0n;
      intent.status = 'succeeded';
      intent.captures.push({
        idempotencyKey: `auto_${intent.id}`,
        amount: intent.amount,
        final: true,
        time: intent.created,
      });
    }
    return intent;
  }

  /** The PaymentIntent as `GET /v1/payment_intents/{id}` sees it (expiry applied). */
  read(paymentId: string): StripeLedgerIntent | undefined {
    const intent = this.#intents.get(paymentId);
    if (intent) this.#expire(intent);
    return intent;
  }

  /** Applies the documented rules; captures and writes the metadata in one step. */
  capture(input: StripeCaptureInput): StripeCaptureDecision {
    const intent = this.read(input.paymentId);
    if (!intent) {
      return refused(404, 'invalid_request_error', `No such payment_intent: '${input.paymentId}'`, {
        code: 'resource_missing',
        param: 'intent',
      });
    }
    if (intent.status !== 'requires_capture') {
      return refused(
        400,
        'invalid_request_error',
        `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        { code: 'payment_intent_unexpected_state' },
      );
    }
    if (!input.finalCapture && !intent.multicapture) {
      return refused(
        400,
        'invalid_request_error',
        'final_capture=false is only allowed on a PaymentIntent with multicapture available.',
        { code: 'payment_intent_invalid_parameter', param: 'final_capture' },
      );
    }
    // ASSUMED: the refusal for a capture past Stripe's documented limit of 50.
    if (intent.captures.length >= this.#maxCaptures) {
      return refused(
        400,
        'invalid_request_error',
        `This PaymentIntent has reached the maximum of ${this.#maxCaptures} captures.`,
        { code: 'payment_intent_unexpected_state' },
      );
    }
    const amount = input.amountToCapture ?? intent.amountCapturable;
    if (amount <= 0n) {
      return refused(400, 'invalid_request_error', 'Amount must be at least 1.', {
        code: 'amount_too_small',
        param: 'amount_to_capture',
      });
    }
    if (amount > intent.amountCapturable) {
      return refused(
        400,
        'invalid_request_error',
        `The amount to capture (${amount}) is greater than the amount capturable (${intent.amountCapturable}).`,
        { code: 'amount_too_large', param: 'amount_to_capture' },
      );
    }
    Object.assign(intent.metadata, input.metadata);
    intent.amountReceived += amount;
    intent.amountCapturable -= amount;
    intent.captures.push({
      idempotencyKey: input.idempotencyKey,
      amount,
      final: input.finalCapture,
      time: this.#clock.now(),
    });
    // A final capture releases the rest. ASSUMED: a non-final capture that takes
    // everything left also ends the PaymentIntent (nothing remains to capture).
    const closed = input.finalCapture || intent.amountCapturable === 0n;
    if (closed) {
      intent.amountCapturable = 0n;
      intent.status = 'succeeded';
    }
    return { kind: 'captured', intent, closed };
  }

  /** A 402 decline that captures nothing (fault injection). */
  decline(code: string, declineCode?: string): StripeCaptureDecision {
    return refused(402, 'card_error', 'Your card was declined.', {
      code,
      ...(declineCode ? { declineCode } : {}),
    });
  }

  /** Ground truth for tests: every capture that moved money. */
  state(paymentId: string): SimulatedPaymentState | undefined {
    const intent = this.read(paymentId);
    if (!intent) return undefined;
    return {
      paymentId,
      authorized: { currency: intent.currency, value: intent.amount } satisfies Money,
      capturedTotal: intent.amountReceived,
      status: intent.status,
      captures: intent.captures.map((capture, index) => ({
        idempotencyKey: capture.idempotencyKey,
        captureId: `${intent.latestCharge}#${index + 1}`,
        amount: capture.amount,
        status: 'succeeded' as const,
        final: capture.final,
      })),
    };
  }

  #expire(intent: StripeLedgerIntent): void {
    if (
      intent.status === 'requires_capture' &&
      this.#clock.now() - intent.created > this.#captureWindowMs
    ) {
      intent.status = 'canceled';
      intent.amountCapturable = 0n;
    }
  }

  #id(prefix: string): string {
    this.#counter += 1;
    return `${prefix}_3Sim${String(this.#counter).padStart(8, '0')}${Math.random().toString(36).slice(2, 10)}`;
  }
}

function refused(
  status: number,
  type: string,
  message: string,
  extra: { code?: string; param?: string; declineCode?: string } = {},
): StripeCaptureDecision {
  return { kind: 'refused', refusal: { status, type, message, ...extra } };
}

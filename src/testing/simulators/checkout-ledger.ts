import { randomBytes } from 'node:crypto';
import type { SimulatedPaymentState } from '../harness.js';
import { DAY_MS, type ManualClock } from '../manual-clock.js';

/**
 * The Checkout.com simulator's ledger: payments, their actions and the capture rules.
 * Pure state; the HTTP side lives in `checkout.ts`.
 */

/** One action on a simulated payment, as `GET /payments/{id}/actions` lists it. */
export interface CheckoutSimAction {
  readonly id: string;
  readonly type: 'Authorization' | 'Capture' | 'Void';
  processedOn: string;
  readonly amount: bigint;
  /** `processing` captures are not listed yet (Checkout.com lists processed actions). */
  status: 'processing' | 'succeeded' | 'failed';
  responseCode: string;
  responseSummary: string;
  readonly reference?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** `amount_allocations` of the capture request, as received. */
  readonly amountAllocations?: readonly unknown[];
  /** `Cko-Idempotency-Key` the action was created with ('' when none). */
  readonly idempotencyKey: string;
  readonly captureType?: 'Final' | 'NonFinal';
}

/** One simulated payment. */
export interface CheckoutSimPayment {
  readonly id: string;
  readonly amount: bigint;
  readonly currency: string;
  /** Normalized scheme: `visa`, `mastercard`, `amex`, `discover`, `jcb`, … */
  readonly cardBrand: string;
  readonly captureMode: 'MANUAL' | 'AUTOMATIC';
  readonly authorizedAt: number;
  voided: boolean;
  /** A `Final` capture voided whatever was left. */
  closed: boolean;
  /** Chronological. */
  readonly actions: CheckoutSimAction[];
}

/** Schemes that accept `capture_type: NonFinal` by default (`nonFinalSchemes` changes it). */
const NON_FINAL_SCHEMES: readonly string[] = ['visa', 'mastercard', 'amex', 'discover'];
/** Partial actions (captures plus refunds) one payment allows. */
const MAX_PARTIAL_ACTIONS = 150;
/** Days an authorization lives on the simulator's clock. */
const AUTHORIZATION_DAYS = 7;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A Checkout.com-style id: `prefix_` + `length` (default 26) base32 characters. */
export function checkoutId(prefix: string, length = 26): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE32[byte % 32];
  return `${prefix}_${out}`;
}

/** Captures that hold money: succeeded, or still processing. */
function liveCaptures(payment: CheckoutSimPayment): CheckoutSimAction[] {
  return payment.actions.filter((a) => a.type === 'Capture' && a.status !== 'failed');
}

/** Sum of live captures. */
export function capturedTotal(payment: CheckoutSimPayment): bigint {
  return liveCaptures(payment).reduce((sum, a) => sum + a.amount, 0n);
}

/** True once the authorization is older than 7 days on `now`. */
function isExpired(payment: CheckoutSimPayment, now: number): boolean {
  return now - payment.authorizedAt > AUTHORIZATION_DAYS * DAY_MS;
}

/** What may still be captured. */
export function availableToCapture(payment: CheckoutSimPayment, now: number): bigint {
  if (payment.voided || payment.closed || payment.captureMode === 'AUTOMATIC') return 0n;
  if (isExpired(payment, now)) return 0n;
  return payment.amount - capturedTotal(payment);
}

/** Checkout.com's payment status for the simulated state. */
export function paymentStatus(payment: CheckoutSimPayment, now: number): string {
  if (payment.voided) return 'Voided';
  const captured = capturedTotal(payment);
  if (liveCaptures(payment).some((a) => a.status === 'processing')) return 'Capture Pending';
  if (captured === payment.amount) return 'Captured';
  if (captured > 0n) return 'Partially Captured';
  if (isExpired(payment, now)) return 'Expired';
  return 'Authorized';
}

/** Why a capture is refused with 403, or `undefined` when it is allowed. */
function captureForbidden(payment: CheckoutSimPayment, now: number): string | undefined {
  if (payment.captureMode === 'AUTOMATIC') return 'auto-capture payment';
  if (payment.voided) return 'voided';
  if (isExpired(payment, now)) return 'authorization expired';
  if (payment.closed || capturedTotal(payment) >= payment.amount) return 'already fully captured';
  return undefined;
}

/** A new payment, as `sim.authorize()` asks for it (card brand already normalized). */
interface CheckoutSimAuthorization {
  readonly amount: bigint;
  readonly currency: string;
  readonly cardBrand: string;
  readonly captureMode: 'MANUAL' | 'AUTOMATIC';
}

/** What the ledger decided about one capture request. */
type CheckoutCaptureDecision =
  /** 403: the payment cannot be captured (voided, expired, fully captured, auto-capture). */
  | { readonly kind: 'forbidden' }
  /** 422 with these `error_codes`. */
  | { readonly kind: 'invalid'; readonly errorCodes: readonly string[] }
  /** 202: recorded as processing; {@link CheckoutLedger.finishCapture} decides it. */
  | { readonly kind: 'accepted'; readonly action: CheckoutSimAction };

/**
 * The simulator's state: payments and their actions, the capture decision and the declines
 * queued by `sim.declineNextCapture()`. The HTTP layer (idempotency replay, webhooks,
 * processing delay) lives in `checkout.ts`.
 */
export class CheckoutLedger {
  readonly #payments = new Map<string, CheckoutSimPayment>();
  readonly #actionsById = new Map<string, CheckoutSimAction>();
  readonly #declines: { code: string; summary: string }[] = [];
  readonly #clock: ManualClock;
  readonly #nonFinalSchemes: readonly string[];

  constructor(clock: ManualClock, nonFinalSchemes: readonly string[] = NON_FINAL_SCHEMES) {
    this.#clock = clock;
    this.#nonFinalSchemes = nonFinalSchemes;
  }

  /** Creates an authorized payment; `AUTOMATIC` captures it in full at once (returned too). */
  authorize(input: CheckoutSimAuthorization): {
    readonly payment: CheckoutSimPayment;
    readonly autoCapture?: CheckoutSimAction;
  } {
    const payment: CheckoutSimPayment = {
      id: checkoutId('pay'),
      amount: input.amount,
      currency: input.currency,
      cardBrand: input.cardBrand,
      captureMode: input.captureMode,
      authorizedAt: this.#clock.now(),
      voided: false,
      closed: false,
      actions: [this.#approvedAction('Authorization', input.amount)],
    };
    this.#payments.set(payment.id, payment);
    if (payment.captureMode !== 'AUTOMATIC') return { payment };
    const autoCapture = this.#approvedAction('Capture', input.amount, { captureType: 'Final' });
    payment.actions.push(autoCapture);
    return { payment, autoCapture };
  }

  /** The payment with this id, if any. */
  get(paymentId: string): CheckoutSimPayment | undefined {
    return this.#payments.get(paymentId);
  }

  /** Applies the capture rules to a checked request body and records an accepted capture. */
  capture(
    payment: CheckoutSimPayment,
    body: Record<string, unknown>,
    idempotencyKey: string,
  ): CheckoutCaptureDecision {
    const now = this.#clock.now();
    if (captureForbidden(payment, now)) return { kind: 'forbidden' };
    const captureType = body.capture_type === 'NonFinal' ? 'NonFinal' : 'Final';
    if (captureType === 'NonFinal' && !this.#nonFinalSchemes.includes(payment.cardBrand)) {
      return { kind: 'invalid', errorCodes: ['capture_type_not_supported'] };
    }
    if (liveCaptures(payment).length >= MAX_PARTIAL_ACTIONS) {
      return { kind: 'invalid', errorCodes: ['partial_actions_limit_exceeded'] };
    }
    const remaining = availableToCapture(payment, now);
    const amount = typeof body.amount === 'number' ? BigInt(body.amount) : remaining;
    if (amount > remaining) {
      return {
        kind: 'invalid',
        errorCodes: [
          capturedTotal(payment) > 0n
            ? 'capture_value_greater_than_remaining_authorized'
            : 'capture_value_greater_than_authorized',
        ],
      };
    }
    const reference = typeof body.reference === 'string' ? body.reference : undefined;
    const action: CheckoutSimAction = {
      id: checkoutId('act'),
      type: 'Capture',
      processedOn: this.#iso(),
      amount,
      status: 'processing',
      responseCode: '',
      responseSummary: '',
      idempotencyKey,
      captureType,
      ...(reference !== undefined ? { reference } : {}),
      ...(body.metadata !== undefined
        ? { metadata: body.metadata as Record<string, unknown> }
        : {}),
      ...(Array.isArray(body.amount_allocations)
        ? { amountAllocations: body.amount_allocations as unknown[] }
        : {}),
    };
    payment.actions.push(action);
    this.#actionsById.set(action.id, action);
    if (captureType === 'Final') payment.closed = true;
    return { kind: 'accepted', action };
  }

  /** Decides an accepted capture: approved, or the next queued decline. */
  finishCapture(payment: CheckoutSimPayment, action: CheckoutSimAction): void {
    const decline = this.#declines.shift();
    action.status = decline ? 'failed' : 'succeeded';
    action.responseCode = decline?.code ?? '10000';
    action.responseSummary = decline?.summary ?? 'Approved';
    action.processedOn = this.#iso();
    // A declined Final capture leaves the authorization open.
    if (decline && action.captureType === 'Final') payment.closed = false;
  }

  /** Makes the next capture decided be declined with this response code. */
  declineNextCapture(code: string, summary: string): void {
    this.#declines.push({ code, summary });
  }

  /** Voids what was authorized; `undefined` (403) once anything was captured or it cannot be. */
  void(
    payment: CheckoutSimPayment,
    body: Record<string, unknown>,
    idempotencyKey: string,
  ): CheckoutSimAction | undefined {
    if (captureForbidden(payment, this.#clock.now()) || capturedTotal(payment) > 0n) {
      return undefined;
    }
    const reference = typeof body.reference === 'string' ? body.reference : undefined;
    const action = this.#approvedAction('Void', payment.amount, {
      idempotencyKey,
      ...(reference !== undefined ? { reference } : {}),
    });
    payment.actions.push(action);
    payment.voided = true;
    return action;
  }

  /** `amount_allocations` a capture was sent with, by action id. */
  amountAllocations(actionId: string): readonly unknown[] | undefined {
    return this.#actionsById.get(actionId)?.amountAllocations;
  }

  /** The ground truth the conformance suite checks. Throws for an unknown id. */
  state(paymentId: string): SimulatedPaymentState {
    const payment = this.#payments.get(paymentId);
    if (!payment) throw new Error(`The Checkout.com simulator has no payment ${paymentId}.`);
    const now = this.#clock.now();
    return {
      paymentId: payment.id,
      authorized: { currency: payment.currency, value: payment.amount },
      capturedTotal: capturedTotal(payment),
      status: paymentStatus(payment, now),
      captures: payment.actions
        .filter((a) => a.type === 'Capture')
        .map((a) => ({
          idempotencyKey: a.idempotencyKey,
          captureId: a.id,
          amount: a.amount,
          status: a.status,
          final: a.captureType !== 'NonFinal',
        })),
    };
  }

  #iso(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  /** An action that succeeded when it was created (authorizations, voids, auto-captures). */
  #approvedAction(
    type: CheckoutSimAction['type'],
    amount: bigint,
    extra: Partial<Pick<CheckoutSimAction, 'idempotencyKey' | 'reference' | 'captureType'>> = {},
  ): CheckoutSimAction {
    return {
      id: checkoutId('act'),
      type,
      processedOn: this.#iso(),
      amount,
      status: 'succeeded',
      responseCode: '10000',
      responseSummary: 'Approved',
      idempotencyKey: '',
      ...extra,
    };
  }
}

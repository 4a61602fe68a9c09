import { randomBytes } from 'node:crypto';
import type { SimulatedPaymentState } from '../harness.js';
import { DAY_MS } from '../manual-clock.js';

/**
 * The Checkout.com simulator's ledger: payments, their actions and the capture rules.
 * Pure state; the HTTP side lives in `checkout.ts`.
 */

/** One action on a simulated payment, as `GET /payments/{id}/actions` lists it. */
export interface SimAction {
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
export interface SimPayment {
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
  readonly actions: SimAction[];
}

/** Schemes that accept `capture_type: NonFinal` by default (`nonFinalSchemes` changes it). */
export const NON_FINAL_SCHEMES: readonly string[] = ['visa', 'mastercard', 'amex', 'discover'];
/** Partial actions (captures plus refunds) one payment allows. */
export const MAX_PARTIAL_ACTIONS = 150;
/** Days an authorization lives on the simulator's clock. */
export const AUTHORIZATION_DAYS = 7;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A Checkout.com-style id: `prefix_` + `length` (default 26) base32 characters. */
export function checkoutId(prefix: string, length = 26): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE32[byte % 32];
  return `${prefix}_${out}`;
}

/** Captures that hold money: succeeded, or still processing. */
export function liveCaptures(payment: SimPayment): SimAction[] {
  return payment.actions.filter((a) => a.type === 'Capture' && a.status !== 'failed');
}

/** Sum of live captures. */
export function capturedTotal(payment: SimPayment): bigint {
  return liveCaptures(payment).reduce((sum, a) => sum + a.amount, 0n);
}

/** True once the authorization is older than 7 days on `now`. */
export function isExpired(payment: SimPayment, now: number): boolean {
  return now - payment.authorizedAt > AUTHORIZATION_DAYS * DAY_MS;
}

/** What may still be captured. */
export function availableToCapture(payment: SimPayment, now: number): bigint {
  if (payment.voided || payment.closed || payment.captureMode === 'AUTOMATIC') return 0n;
  if (isExpired(payment, now)) return 0n;
  return payment.amount - capturedTotal(payment);
}

/** Checkout.com's payment status for the simulated state. */
export function paymentStatus(payment: SimPayment, now: number): string {
  if (payment.voided) return 'Voided';
  const captured = capturedTotal(payment);
  if (liveCaptures(payment).some((a) => a.status === 'processing')) return 'Capture Pending';
  if (captured === payment.amount) return 'Captured';
  if (captured > 0n) return 'Partially Captured';
  if (isExpired(payment, now)) return 'Expired';
  return 'Authorized';
}

/** Why a capture is refused with 403, or `undefined` when it is allowed. */
export function captureForbidden(payment: SimPayment, now: number): string | undefined {
  if (payment.captureMode === 'AUTOMATIC') return 'auto-capture payment';
  if (payment.voided) return 'voided';
  if (isExpired(payment, now)) return 'authorization expired';
  if (payment.closed || capturedTotal(payment) >= payment.amount) return 'already fully captured';
  return undefined;
}

/** `balances` as `GET /payments/{id}` and webhooks carry them. */
export function balances(payment: SimPayment, now: number) {
  const captured = capturedTotal(payment);
  const available = availableToCapture(payment, now);
  const voided = payment.voided || payment.closed ? payment.amount - captured : 0n;
  return {
    total_authorized: Number(payment.amount),
    total_voided: Number(voided),
    available_to_void: Number(captured === 0n ? available : 0n),
    total_captured: Number(captured),
    available_to_capture: Number(available),
    total_refunded: 0,
    available_to_refund: Number(captured),
  };
}

const SCHEME_NAMES: Readonly<Record<string, string>> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'Amex',
  discover: 'Discover',
  jcb: 'JCB',
  unionpay: 'China UnionPay',
};

/** `GET /payments/{id}` body. */
export function paymentJson(payment: SimPayment, now: number, origin: string) {
  const self = `${origin}/payments/${payment.id}`;
  const available = availableToCapture(payment, now);
  return {
    id: payment.id,
    requested_on: new Date(payment.authorizedAt).toISOString(),
    source: { type: 'card', scheme: SCHEME_NAMES[payment.cardBrand] ?? payment.cardBrand },
    amount: Number(payment.amount),
    currency: payment.currency,
    payment_type: 'Regular',
    status: paymentStatus(payment, now),
    approved: true,
    balances: balances(payment, now),
    _links: {
      self: { href: self },
      actions: { href: `${self}/actions` },
      ...(available > 0n ? { capture: { href: `${self}/captures` } } : {}),
      ...(capturedTotal(payment) === 0n && available > 0n
        ? { void: { href: `${self}/voids` } }
        : {}),
    },
  };
}

/** `GET /payments/{id}/actions` body: processed actions, latest first. */
export function actionsJson(payment: SimPayment) {
  return payment.actions
    .filter((a) => a.status !== 'processing')
    .reverse()
    .map((a) => ({
      id: a.id,
      type: a.type,
      processed_on: a.processedOn,
      amount: Number(a.amount),
      approved: a.status === 'succeeded',
      response_code: a.responseCode,
      response_summary: a.responseSummary,
      ...(a.reference !== undefined ? { reference: a.reference } : {}),
      ...(a.metadata !== undefined ? { metadata: a.metadata } : {}),
    }));
}

/** The ground truth the conformance suite checks. */
export function paymentState(payment: SimPayment, now: number): SimulatedPaymentState {
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

import {
  availableToCapture,
  type CheckoutSimPayment,
  capturedTotal,
  paymentStatus,
} from './checkout-ledger.js';

/**
 * The Checkout.com simulator's read bodies: `GET /payments/{id}`, `GET /payments/{id}/actions`
 * and the `balances` webhooks carry. Pure functions of the ledger's records.
 */

/** `balances` as `GET /payments/{id}` and webhooks carry them. */
export function balances(payment: CheckoutSimPayment, now: number) {
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
export function paymentJson(payment: CheckoutSimPayment, now: number, origin: string) {
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
export function actionsJson(payment: CheckoutSimPayment) {
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

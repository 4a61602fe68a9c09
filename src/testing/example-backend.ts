import { createHmac } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import { type CaptureError, type CaptureErrorCode, captureError } from '../core/errors.js';
import type { Money } from '../core/money.js';
import type { ProviderCaptureRequest } from '../core/spec.js';
import {
  CAPTURE_WINDOW_DAYS,
  type ExampleAdapterBugs,
  type ExampleAdapterProfile,
  MAX_CAPTURES,
} from './example-adapter-profile.js';
import type { Fault, SimulatedPaymentState } from './harness.js';
import { createManualClock, DAY_MS, type ManualClock } from './manual-clock.js';
import {
  BackgroundWork,
  FaultQueue,
  postWebhook,
  sleep,
  WEBHOOK_FAULTS,
} from './simulators/sim-server.js';

/**
 * The "provider side" of the example adapter: an in-memory ledger that keeps the rules a
 * real acquirer keeps (idempotency, remaining amount, capture window, limits), plus
 * HMAC-signed webhooks that really travel over loopback. See example-adapter.ts.
 */
export const KIND = 'memory';
export const SIGNATURE_HEADER = 'x-memory-signature';

export interface LedgerCapture {
  readonly idempotencyKey: string;
  readonly captureId: string;
  readonly paymentId: string;
  readonly amount: bigint;
  /** What was asked (undefined = full remaining), to tell a replay from a conflict. */
  readonly requested: bigint | undefined;
  readonly final: boolean;
  status: 'succeeded' | 'processing';
  readonly webhookFault: Fault | undefined;
}

export interface LedgerPayment {
  readonly paymentId: string;
  readonly authorized: Money;
  readonly authorizedAt: number;
  readonly captures: LedgerCapture[];
  closed: boolean;
}

export function hmacHex(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** The in-memory ledger plus the webhook machinery; the "provider side". */
export class ExampleBackend {
  readonly clock: ManualClock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
  readonly faults = new FaultQueue();
  readonly work = new BackgroundWork();
  readonly payments = new Map<string, LedgerPayment>();
  readonly #held: (() => Promise<unknown>)[] = [];
  #sequence = 0;

  constructor(
    readonly profile: ExampleAdapterProfile,
    readonly bugs: ExampleAdapterBugs,
    readonly webhookSecret: string,
    public webhookUrl: string,
  ) {}

  nextId(prefix: string): string {
    this.#sequence += 1;
    return `${prefix}_${this.#sequence.toString().padStart(8, '0')}`;
  }

  commit(
    request: ProviderCaptureRequest,
    processing: boolean,
  ): Result<LedgerCapture, CaptureError> {
    const existing = this.#findByKey(request.idempotencyKey);
    if (existing && !this.bugs.ignoreIdempotencyKey) {
      const same =
        existing.paymentId === request.paymentId &&
        existing.requested === request.amount?.value &&
        existing.final === request.final;
      if (!same) {
        return err(
          refusal(
            'idempotency_conflict',
            'REPEAT_REQ_INCONSISTENT',
            `idempotencyKey ${request.idempotencyKey} was already used for a different capture: use a new key for a new capture.`,
          ),
        );
      }
      return ok(existing);
    }
    const payment = this.payments.get(request.paymentId);
    if (!payment) {
      return err(paymentNotFound(request.paymentId));
    }
    if (this.clock.now() - payment.authorizedAt > CAPTURE_WINDOW_DAYS * DAY_MS) {
      return err(
        refusal(
          'authorization_expired',
          'AUTH_EXPIRED',
          `The authorization of ${payment.paymentId} expired after ${CAPTURE_WINDOW_DAYS} days.`,
        ),
      );
    }
    if (payment.closed) {
      return err(
        refusal(
          'invalid_payment_state',
          'ORDER_STATUS_INVALID',
          `Payment ${payment.paymentId} is already fully captured.`,
        ),
      );
    }
    if (request.amount && request.amount.currency !== payment.authorized.currency) {
      return err(
        refusal(
          'currency_mismatch',
          'CURRENCY_MISMATCH',
          `amount.currency must be ${payment.authorized.currency}.`,
        ),
      );
    }
    const remaining = payment.authorized.value - capturedTotal(payment);
    const asked = request.amount?.value ?? remaining;
    if (asked > remaining) {
      return err(
        refusal(
          'amount_exceeds_authorized',
          'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
          `amount.value ${asked} is more than the ${remaining} left to capture: lower amount.value.`,
        ),
      );
    }
    if (payment.captures.length >= MAX_CAPTURES) {
      return err(
        refusal(
          'capture_limit_exceeded',
          'PAYMENT_COUNT_EXCEED_LIMIT',
          `At most ${MAX_CAPTURES} captures per payment.`,
        ),
      );
    }
    const capture: LedgerCapture = {
      idempotencyKey: request.idempotencyKey,
      captureId: this.nextId('cap'),
      paymentId: payment.paymentId,
      amount: this.bugs.recordsWrongAmount ? remaining : asked,
      requested: request.amount?.value,
      final: request.final,
      status: processing || this.profile === 'strict' ? 'processing' : 'succeeded',
      webhookFault: this.faults.take(WEBHOOK_FAULTS),
    };
    payment.captures.push(capture);
    if (request.final) payment.closed = true;
    if (capture.status === 'succeeded') this.emitWebhook(capture, payment.authorized.currency);
    return ok(capture);
  }

  findForInquiry(paymentId: string, key: string): LedgerCapture | undefined {
    return this.payments.get(paymentId)?.captures.find((capture) => capture.idempotencyKey === key);
  }

  async settle(): Promise<void> {
    if (!this.bugs.neverSettles) {
      for (const payment of this.payments.values()) {
        for (const capture of payment.captures) {
          if (capture.status !== 'processing') continue;
          capture.status = 'succeeded';
          this.emitWebhook(capture, payment.authorized.currency);
        }
      }
    }
    await this.work.settle();
  }

  emitWebhook(capture: LedgerCapture, currency: string): void {
    const fault = capture.webhookFault;
    if (fault?.kind === 'webhook_missing') return;
    const body = Buffer.from(
      JSON.stringify({
        id: this.nextId('evt'),
        type: 'capture.succeeded',
        paymentId: capture.paymentId,
        captureId: capture.captureId,
        idempotencyKey: capture.idempotencyKey,
        amount: { currency, value: capture.amount.toString() },
        occurredAt: new Date(this.clock.now()).toISOString(),
      }),
    );
    const secret =
      fault?.kind === 'webhook_bad_signature' ? 'not-the-webhook-secret' : this.webhookSecret;
    const deliver = () =>
      postWebhook(this.webhookUrl, { [SIGNATURE_HEADER]: hmacHex(secret, body) }, body);
    if (fault?.kind === 'webhook_out_of_order') {
      this.#held.push(deliver);
      return;
    }
    this.work.run(async () => {
      if (fault?.kind === 'webhook_delayed') await sleep(fault.ms ?? 200);
      await deliver();
      if (fault?.kind === 'webhook_duplicate') await deliver();
      // A held webhook goes out only after a later one was delivered: that is the fault.
      for (const held of this.#held.splice(0)) this.work.run(held);
    });
  }

  state(paymentId: string): SimulatedPaymentState {
    const payment = this.payments.get(paymentId);
    if (!payment) throw new Error(`memory harness: no payment ${paymentId}`);
    const total = capturedTotal(payment);
    return {
      paymentId,
      authorized: payment.authorized,
      capturedTotal: total,
      status:
        payment.closed || total === payment.authorized.value
          ? 'CAPTURED'
          : total > 0n
            ? 'PARTIALLY_CAPTURED'
            : 'AUTHORIZED',
      captures: payment.captures.map((capture) => ({
        idempotencyKey: capture.idempotencyKey,
        captureId: capture.captureId,
        amount: capture.amount,
        status: capture.status,
        final: capture.final,
      })),
    };
  }

  #findByKey(key: string): LedgerCapture | undefined {
    for (const payment of this.payments.values()) {
      const found = payment.captures.find((capture) => capture.idempotencyKey === key);
      if (found) return found;
    }
    return undefined;
  }
}

export function capturedTotal(payment: LedgerPayment): bigint {
  return payment.captures.reduce((sum, capture) => sum + capture.amount, 0n);
}

export function refusal(
  code: CaptureErrorCode,
  providerCode: string,
  message: string,
): CaptureError {
  return captureError({
    code,
    outcome: 'failed',
    kind: KIND,
    providerCode,
    providerStatus: 'F',
    message,
  });
}

export function paymentNotFound(paymentId: string): CaptureError {
  return refusal(
    'payment_not_found',
    'PAYMENT_NOT_FOUND',
    `paymentId ${paymentId} does not exist: check the id.`,
  );
}

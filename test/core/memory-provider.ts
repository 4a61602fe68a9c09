import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import type { CaptureCapabilities } from '../../src/core/capabilities.js';
import type { ProviderCapture } from '../../src/core/capture.js';
import { createCaptureClient } from '../../src/core/client.js';
import {
  type CaptureError,
  type CaptureErrorCode,
  captureError,
  UNKNOWN_OUTCOME_ADVICE,
  type WebhookError,
} from '../../src/core/errors.js';
import type { Money } from '../../src/core/money.js';
import type {
  CaptureProviderV1,
  ProviderCaptureRequest,
  ProviderResolveRequest,
} from '../../src/core/spec.js';
import {
  headerValue,
  type ProviderCaptureEvent,
  type WebhookRequest,
} from '../../src/core/webhook-types.js';
import type {
  ConformanceHarness,
  ConformanceSetupContext,
  Fault,
  FaultKind,
  SimulatedPaymentState,
} from '../../src/testing/harness.js';
import { createManualClock, DAY_MS, type ManualClock } from '../../src/testing/manual-clock.js';
import {
  BackgroundWork,
  FaultQueue,
  postWebhook,
  REQUEST_FAULTS,
  sleep,
  WEBHOOK_FAULTS,
} from '../../src/testing/simulators/sim-server.js';

/**
 * A provider that lives entirely in memory, for testing the conformance suite itself.
 * Request faults are simulated by returning exactly the CaptureError the real transport
 * would produce; webhooks really travel over loopback, HMAC-signed.
 */

const KIND = 'memory';
const SIGNATURE_HEADER = 'x-memory-signature';
const CAPTURE_WINDOW_DAYS = 7;
const MAX_CAPTURES = 10;

/** Deliberate bugs, so tests can prove the suite's checks catch them. */
export interface MemoryBugs {
  /** A repeated idempotency key records a new capture instead of replaying the first. */
  readonly ignoreIdempotencyKey?: boolean;
  /** The inquiry never finds a capture (answers capture_not_found). */
  readonly inquiryNeverFinds?: boolean;
  /** Records the full remaining amount whatever was asked, but answers with the amount asked. */
  readonly recordsWrongAmount?: boolean;
  /** Captures stay processing forever. */
  readonly neverSettles?: boolean;
}

/** `standard`: synchronous, everything allowed. `strict`: full-only, asynchronous, amount required. */
export type MemoryProfile = 'standard' | 'strict';

export interface MemoryHarnessOptions {
  readonly profile?: MemoryProfile;
  readonly bugs?: MemoryBugs;
}

interface LedgerCapture {
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

interface LedgerPayment {
  readonly paymentId: string;
  readonly authorized: Money;
  readonly authorizedAt: number;
  readonly captures: LedgerCapture[];
  closed: boolean;
}

const STRICT_REASONS = [
  'Partial capture is off in the strict memory profile: capture the full authorized amount.',
  'Multiple captures are off in the strict memory profile: one capture closes the payment.',
  'The final capture flag is off in the strict memory profile: every capture is final.',
];

function capabilitiesFor(profile: MemoryProfile): CaptureCapabilities {
  const strict = profile === 'strict';
  return {
    fullCapture: true,
    partialCapture: !strict,
    multipleCaptures: !strict,
    finalCaptureFlag: !strict,
    amountRequired: strict,
    maxCaptures: MAX_CAPTURES,
    captureWindowDays: CAPTURE_WINDOW_DAYS,
    resultDelivery: strict ? 'asynchronous' : 'synchronous',
    webhooks: true,
    reasons: strict ? STRICT_REASONS : [],
  };
}

function hmacHex(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** The in-memory ledger plus the webhook machinery; the "provider side". */
class MemoryBackend {
  readonly clock: ManualClock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
  readonly faults = new FaultQueue();
  readonly work = new BackgroundWork();
  readonly payments = new Map<string, LedgerPayment>();
  readonly #held: (() => Promise<unknown>)[] = [];
  #sequence = 0;

  constructor(
    readonly profile: MemoryProfile,
    readonly bugs: MemoryBugs,
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

function capturedTotal(payment: LedgerPayment): bigint {
  return payment.captures.reduce((sum, capture) => sum + capture.amount, 0n);
}

function refusal(code: CaptureErrorCode, providerCode: string, message: string): CaptureError {
  return captureError({
    code,
    outcome: 'failed',
    kind: KIND,
    providerCode,
    providerStatus: 'F',
    message,
  });
}

function paymentNotFound(paymentId: string): CaptureError {
  return refusal(
    'payment_not_found',
    'PAYMENT_NOT_FOUND',
    `paymentId ${paymentId} does not exist: check the id.`,
  );
}

function lost(
  code:
    | 'timeout'
    | 'network_error'
    | 'provider_error'
    | 'signature_invalid'
    | 'outcome_unknown'
    | 'capture_in_progress',
  detail: string,
  httpStatus?: number,
): CaptureError {
  return captureError({
    code,
    outcome: 'unknown',
    kind: KIND,
    message: `${detail} ${UNKNOWN_OUTCOME_ADVICE}`,
    ...(httpStatus !== undefined ? { httpStatus } : {}),
  });
}

function toProviderCapture(
  capture: LedgerCapture,
  currency: string,
  answered: bigint,
): ProviderCapture {
  return {
    kind: KIND,
    status: capture.status === 'succeeded' ? 'succeeded' : 'pending',
    paymentId: capture.paymentId,
    captureId: capture.captureId,
    idempotencyKey: capture.idempotencyKey,
    amount: { currency, value: answered },
    final: capture.final,
    providerMetadata: {},
    raw: { captureId: capture.captureId, status: capture.status },
  };
}

/** The adapter: what `createCaptureClient` sees. Never throws. */
function memoryProvider(backend: MemoryBackend): CaptureProviderV1 {
  const caps = capabilitiesFor(backend.profile);
  return {
    specificationVersion: 'v1',
    kind: KIND,
    capabilities: () => caps,

    async doCapture(request: ProviderCaptureRequest) {
      const fault = backend.faults.take(REQUEST_FAULTS);
      if (fault?.kind === 'delay') await sleep(fault.ms ?? 100);
      if (fault?.kind === 'timeout_before_commit')
        return err(lost('timeout', 'No answer within the timeout.'));
      if (fault?.kind === 'server_error') {
        const status = fault.status ?? 500;
        return err(lost('provider_error', `The memory provider answered HTTP ${status}.`, status));
      }
      if (caps.amountRequired && !request.amount) {
        return err(
          captureError({
            code: 'invalid_request',
            outcome: 'not_attempted',
            kind: KIND,
            message:
              'amount is required by the strict memory profile: pass amount with the authorized value.',
          }),
        );
      }
      const committed = backend.commit(request, fault?.kind === 'unknown_status');
      // Once the request is committed, a lost answer hides whatever the provider decided.
      switch (fault?.kind) {
        case 'timeout_after_commit':
          return err(lost('timeout', 'No answer within the timeout.'));
        case 'reset_after_commit':
          return err(lost('network_error', 'The connection was reset after the request was sent.'));
        case 'bad_signature':
          return err(lost('signature_invalid', 'The response signature does not verify.'));
        case 'unknown_status':
          return err(
            lost(
              fault.providerCode === 'UNKNOWN_EXCEPTION'
                ? 'outcome_unknown'
                : 'capture_in_progress',
              'The capture is still in process.',
            ),
          );
        default:
          break;
      }
      if (committed.isErr()) return err(committed.error);
      const payment = backend.payments.get(request.paymentId);
      const currency = payment?.authorized.currency ?? request.amount?.currency ?? 'EUR';
      return ok(
        toProviderCapture(
          committed.value,
          currency,
          request.amount?.value ?? committed.value.amount,
        ),
      );
    },

    async doResolve(request: ProviderResolveRequest) {
      const payment = backend.payments.get(request.paymentId);
      if (!payment) {
        return err(paymentNotFound(request.paymentId));
      }
      const capture = backend.bugs.inquiryNeverFinds
        ? undefined
        : backend.findForInquiry(request.paymentId, request.idempotencyKey);
      if (!capture) {
        return err(
          captureError({
            code: 'capture_not_found',
            outcome: 'failed',
            retryable: true,
            kind: KIND,
            message: `No capture with idempotencyKey ${request.idempotencyKey}: it is safe to send the capture again with the SAME key.`,
          }),
        );
      }
      return ok(toProviderCapture(capture, payment.authorized.currency, capture.amount));
    },

    async doParseWebhook(
      request: WebhookRequest,
    ): Promise<Result<ProviderCaptureEvent, WebhookError>> {
      const given = headerValue(request.headers, SIGNATURE_HEADER);
      const expected = Buffer.from(hmacHex(backend.webhookSecret, request.rawBody), 'utf8');
      const actual = Buffer.from(given ?? '', 'utf8');
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
        return err({
          code: 'signature_invalid',
          verified: false,
          message: `The ${SIGNATURE_HEADER} header is missing or does not match the body: check webhookSecret.`,
        });
      }
      try {
        const body = JSON.parse(request.rawBody.toString()) as Record<string, unknown>;
        const amount = body.amount as { currency: string; value: string };
        if (body.type !== 'capture.succeeded' && body.type !== 'capture.failed') {
          return err({
            code: 'event_ignored',
            verified: true,
            message: 'Not a capture event.',
            eventType: String(body.type),
          });
        }
        return ok({
          kind: KIND,
          id: String(body.id),
          type: body.type,
          paymentId: String(body.paymentId),
          captureId: String(body.captureId),
          idempotencyKey: String(body.idempotencyKey),
          amount: { currency: amount.currency, value: BigInt(amount.value) },
          occurredAt: String(body.occurredAt),
          raw: body,
        });
      } catch (cause) {
        return err({
          code: 'invalid_payload',
          verified: true,
          message: 'The webhook body is not a memory capture event.',
          cause,
        });
      }
    },

    webhookAck: () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true}',
    }),
  };
}

/** A memory harness, plus direct access to its backend for the suite's own tests. */
export interface MemoryHarness extends ConformanceHarness {
  /** Where the provider's webhooks go (can be changed after start). */
  setWebhookUrl(url: string): void;
}

const ALL_FAULTS: readonly FaultKind[] = [...REQUEST_FAULTS, ...WEBHOOK_FAULTS];

/**
 * Builds the memory provider, a client around it (like a real adapter), and the harness.
 */
export async function startMemoryHarness(
  ctx: ConformanceSetupContext,
  options: MemoryHarnessOptions = {},
): Promise<MemoryHarness> {
  const backend = new MemoryBackend(
    options.profile ?? 'standard',
    options.bugs ?? {},
    randomBytes(32).toString('hex'),
    ctx.webhookUrl,
  );
  const adapter = memoryProvider(backend);
  const client = createCaptureClient({ providers: { memory: adapter }, inFlightGraceMs: 0 });
  return {
    client,
    restartClient: () =>
      createCaptureClient({ providers: { memory: adapter }, inFlightGraceMs: 0 }),
    provider: 'memory',
    currency: 'EUR',
    faults: ALL_FAULTS,
    async authorize(authorize) {
      const paymentId = backend.nextId('pay');
      const currency = authorize.currency ?? 'EUR';
      backend.payments.set(paymentId, {
        paymentId,
        authorized: { currency, value: authorize.amount },
        authorizedAt: backend.clock.now(),
        captures: [],
        closed: false,
      });
      return {
        paymentId,
        amount: { currency, value: authorize.amount },
        context: authorize.cardBrand ? { cardBrand: authorize.cardBrand, currency } : { currency },
      };
    },
    injectFault: (fault) => backend.faults.push(fault),
    advanceClock: (ms) => backend.clock.advance(ms),
    payment: async (paymentId) => backend.state(paymentId),
    settle: () => backend.settle(),
    setWebhookUrl: (url) => {
      backend.webhookUrl = url;
    },
    async close() {
      backend.work.close();
      await client.close();
    },
  };
}

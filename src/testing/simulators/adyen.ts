import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type {
  AuthorizedPayment,
  AuthorizeOptions,
  Fault,
  FaultKind,
  SimulatedPaymentState,
} from '../harness.js';
import { createManualClock, type ManualClock } from '../manual-clock.js';
import { AdyenLedger, type AdyenLedgerPayment } from './adyen-ledger.js';
import {
  type AdyenNotificationFields,
  type AdyenWebhookDelivery,
  AdyenWebhookSender,
} from './adyen-webhooks.js';
import {
  BackgroundWork,
  FaultQueue,
  hang,
  parseJsonObject,
  resetConnection,
  type SimRequest,
  sendRaw,
  sleep,
  startSimServer,
  UNSIGNED_REQUEST_FAULTS,
  WEBHOOK_FAULTS,
} from './sim-server.js';

/**
 * Settings for {@link startAdyenSimulator}. Everything is optional.
 *
 * @example
 * ```ts
 * const sim = await startAdyenSimulator({ webhookUrl: 'http://127.0.0.1:8080/webhooks/adyen', processingDelayMs: 20 });
 * ```
 */
export interface AdyenSimulatorOptions {
  /** Event dates. Default: a manual clock at the current time. */
  readonly clock?: ManualClock;
  /** Where webhooks go; without one they are recorded as undelivered. */
  readonly webhookUrl?: string;
  /** The API key to accept. Default: a fresh random one. */
  readonly apiKey?: string;
  /** The merchant account payments belong to. Default `CaptureKitSim`. */
  readonly merchantAccount?: string;
  /** HMAC key (hex) the webhooks are signed with. Default: 32 random bytes. */
  readonly hmacKey?: string;
  /** Multiple partial captures enabled on the merchant account. Default false. */
  readonly multiplePartialCaptures?: boolean;
  /**
   * Real milliseconds after which received captures are processed and their webhooks sent.
   * Default: none — captures are processed by `settle()` only, so a test decides when the
   * CAPTURE webhook comes (Adyen sends it after the 201, usually within minutes).
   */
  readonly processingDelayMs?: number;
  /** Deliver the items of one processing round as ONE batch. Default false (one per delivery). */
  readonly batchWebhooks?: boolean;
  /** Delivery attempts per webhook (Adyen retries until `[accepted]`). Default 3. */
  readonly webhookAttempts?: number;
  /** Pause between webhook attempts, real ms. Default 50. */
  readonly webhookRetryDelayMs?: number;
}

/**
 * Spread into `adyen({ ...sim.credentials, baseUrl: sim.baseUrl })`.
 *
 * @example
 * ```ts
 * const { apiKey, merchantAccount, hmacKey }: AdyenSimulatorCredentials = sim.credentials;
 * ```
 */
export interface AdyenSimulatorCredentials {
  readonly apiKey: string;
  readonly merchantAccount: string;
  readonly hmacKey: string;
}

/**
 * One request the simulator received, exactly as sent (for wire tests).
 *
 * @example
 * ```ts
 * const sent: AdyenSimRequest | undefined = sim.requests.at(-1);
 * sent?.headers['idempotency-key']; // the capture's idempotencyKey
 * ```
 */
export interface AdyenSimRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * A running Adyen simulator: a real HTTP server on 127.0.0.1 speaking the Checkout API's
 * capture (`POST /v{68…72}/payments/{paymentPspReference}/captures`) with `X-API-Key`,
 * `Idempotency-Key` replay, `201 received`, asynchronous processing with Adyen's rules,
 * HMAC-signed CAPTURE / CAPTURE_FAILED webhooks (optionally batched) and fault injection.
 *
 * @example
 * ```ts
 * const sim = await startAdyenSimulator({ webhookUrl });
 * const adapter = adyen({ ...sim.credentials, baseUrl: sim.baseUrl });
 * const payment = await sim.authorize({ amount: 6540n, currency: 'EUR' });
 * sim.injectFault({ kind: 'timeout_after_commit' });
 * await sim.settle(); // processes received captures and delivers their webhooks
 * ```
 */
export interface AdyenSimulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** What to pass as `adyen({ baseUrl })` (no version: the adapter adds it). */
  readonly baseUrl: string;
  readonly credentials: AdyenSimulatorCredentials;
  /**
   * The faults this simulator implements: all but `unknown_status` and `bad_signature`,
   * which have no equivalent in Adyen's capture API (the answer is always `received`, and
   * API responses are not signed).
   */
  readonly faults: readonly FaultKind[];
  readonly clock: ManualClock;
  /** Every webhook delivery attempt, in order. */
  readonly webhookDeliveries: readonly AdyenWebhookDelivery[];
  /** The last 100 requests received, oldest first. */
  readonly requests: readonly AdyenSimRequest[];
  /** Creates an authorised card payment (manual capture unless `captureMode: 'AUTOMATIC'`). */
  authorize(options: AuthorizeOptions): Promise<AuthorizedPayment>;
  /** Queues a fault for the next capture request (or the webhook it produces). */
  injectFault(fault: Fault): void;
  /**
   * The next processed capture fails: `CAPTURE` with `success: "false"` and this reason, or
   * (`eventCode: 'CAPTURE_FAILED'`) it is booked, then rejected by the scheme.
   */
  declineNextCapture(reason?: string, eventCode?: 'CAPTURE' | 'CAPTURE_FAILED'): void;
  advanceClock(ms: number): void;
  payment(paymentId: string): Promise<SimulatedPaymentState>;
  setWebhookUrl(url: string | undefined): void;
  /** Processes every received capture, then waits for webhook deliveries (not held ones). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const IMPLEMENTED_FAULTS: readonly FaultKind[] = [...UNSIGNED_REQUEST_FAULTS, ...WEBHOOK_FAULTS];
const CAPTURES_PATH = /^\/v(6[89]|7[0-2])\/payments\/([^/]+)\/captures$/;
const MAX_KEY = 64;

interface Answer {
  readonly status: number;
  readonly bytes: Buffer;
}

function json(status: number, body: unknown): Answer {
  return { status, bytes: Buffer.from(JSON.stringify(body)) };
}

/** Adyen's error body (`ServiceError`). */
function serviceError(
  status: number,
  errorCode: string,
  message: string,
  errorType: string,
): Answer {
  return json(status, {
    status,
    errorCode,
    message,
    errorType,
    pspReference: randomBytes(8).toString('hex').toUpperCase(),
  });
}

/**
 * Starts an Adyen simulator on 127.0.0.1 (port 0).
 *
 * @example
 * ```ts
 * import { startAdyenSimulator } from 'capture-kit/testing';
 * const sim = await startAdyenSimulator();
 * const payment = await sim.authorize({ amount: 6540n, currency: 'EUR' });
 * sim.declineNextCapture('Insufficient balance on payment');
 * await sim.close();
 * ```
 */
export async function startAdyenSimulator(
  options: AdyenSimulatorOptions = {},
): Promise<AdyenSimulator> {
  const clock = options.clock ?? createManualClock();
  const apiKey = options.apiKey ?? `AQE${randomBytes(24).toString('base64url')}`;
  const merchantAccount = options.merchantAccount ?? 'CaptureKitSim';
  const hmacKey = options.hmacKey ?? randomBytes(32).toString('hex').toUpperCase();
  const ledger = new AdyenLedger(clock, options.multiplePartialCaptures ?? false);
  const faults = new FaultQueue();
  const work = new BackgroundWork();
  const requests: AdyenSimRequest[] = [];
  const webhookFaults = new Map<string, Fault>();
  const webhooks = new AdyenWebhookSender(
    {
      hmacKey,
      work,
      ...(options.webhookAttempts !== undefined ? { attempts: options.webhookAttempts } : {}),
      ...(options.webhookRetryDelayMs !== undefined
        ? { retryDelayMs: options.webhookRetryDelayMs }
        : {}),
    },
    options.webhookUrl,
  );

  /** Books or refuses every received capture and sends the CAPTURE webhooks. */
  function processReceived(): void {
    const eventDate = new Date(clock.now()).toISOString();
    const items: { fields: AdyenNotificationFields; fault?: Fault }[] = [];
    for (const { capture, payment } of ledger.process()) {
      const fault = webhookFaults.get(capture.pspReference);
      webhookFaults.delete(capture.pspReference);
      const base = {
        pspReference: capture.pspReference,
        originalReference: payment.pspReference,
        merchantAccountCode: capture.merchantAccount,
        merchantReference: capture.reference,
        amount: { value: Number(capture.amount), currency: capture.currency },
        eventDate,
      };
      const failed = capture.status === 'failed';
      items.push({
        fields: {
          ...base,
          eventCode: 'CAPTURE',
          success: failed ? 'false' : 'true',
          ...(failed && capture.reason ? { reason: capture.reason } : {}),
        },
        ...(fault ? { fault } : {}),
      });
      if (capture.schemeRejected) {
        items.push({
          fields: {
            ...base,
            eventCode: 'CAPTURE_FAILED',
            success: 'true',
            ...(capture.reason ? { reason: capture.reason } : {}),
          },
        });
      }
    }
    if (items.length > 0) webhooks.send(items, options.batchWebhooks ?? false);
  }

  function scheduleProcessing(): void {
    const delay = options.processingDelayMs;
    if (delay === undefined) return;
    work.run(async () => {
      await sleep(delay);
      processReceived();
    });
  }

  /** Auth, idempotency replay, body checks and the payment lookup of one capture request. */
  function capture(request: SimRequest, paymentId: string): Answer {
    if (request.headers['x-api-key'] !== apiKey) {
      return serviceError(401, '000', 'HTTP Status Response - Unauthorized', 'security');
    }
    const rawKey = request.headers['idempotency-key'];
    const key = typeof rawKey === 'string' ? rawKey : '';
    if (key.length > MAX_KEY) {
      // ASSUMED answer: Adyen documents the 64-character limit, not the refusal.
      return serviceError(
        422,
        '702',
        `Idempotency-Key longer than ${MAX_KEY} characters`,
        'validation',
      );
    }
    // A key Adyen has seen gets the first attempt's response back, without processing.
    const seen = ledger.replay(key);
    if (seen) return { status: 201, bytes: seen.response };
    const body = parseJsonObject(request.rawBody);
    if (!body) return serviceError(400, '702', 'Unable to parse the request body', 'validation');
    if (body.merchantAccount !== merchantAccount) {
      return serviceError(403, '901', 'Invalid Merchant Account', 'security');
    }
    const amount = body.amount as { value?: unknown; currency?: unknown } | undefined;
    if (!amount || typeof amount !== 'object') {
      return serviceError(422, '100', 'No amount specified', 'validation');
    }
    if (
      typeof amount.value !== 'number' ||
      !Number.isSafeInteger(amount.value) ||
      amount.value <= 0 ||
      typeof amount.currency !== 'string' ||
      !/^[A-Z]{3}$/.test(amount.currency)
    ) {
      return serviceError(422, '137', 'Invalid amount specified', 'validation');
    }
    if (
      body.reference !== undefined &&
      (typeof body.reference !== 'string' || body.reference.length > 80)
    ) {
      return serviceError(422, '702', 'Invalid reference', 'validation');
    }
    const payment = ledger.payment(paymentId);
    if (!payment || payment.merchantAccount !== merchantAccount) {
      // ASSUMED: an unknown paymentPspReference is refused at once (see the README).
      return serviceError(
        422,
        '167',
        'Original pspReference required for this operation',
        'validation',
      );
    }
    const reference = typeof body.reference === 'string' ? body.reference : '';
    const received = ledger.receive(
      payment,
      {
        idempotencyKey: key,
        amount: { value: BigInt(amount.value), currency: amount.currency },
        reference,
      },
      (pspReference) =>
        Buffer.from(
          JSON.stringify({
            merchantAccount,
            paymentPspReference: payment.pspReference,
            pspReference,
            reference,
            status: 'received',
            amount: { value: amount.value, currency: amount.currency },
          }),
        ),
    );
    const webhookFault = faults.take(WEBHOOK_FAULTS);
    if (webhookFault) webhookFaults.set(received.pspReference, webhookFault);
    scheduleProcessing();
    return { status: 201, bytes: received.response };
  }

  function reply(request: SimRequest, answer: Answer): void {
    sendRaw(request.res, answer.status, answer.bytes, {
      'content-type': 'application/json;charset=UTF-8',
      pspreference: randomBytes(8).toString('hex').toUpperCase(),
      ...(typeof request.headers['idempotency-key'] === 'string'
        ? { 'idempotency-key': request.headers['idempotency-key'] }
        : {}),
    });
  }

  async function handleCapture(request: SimRequest, paymentId: string): Promise<void> {
    const fault = faults.take(UNSIGNED_REQUEST_FAULTS);
    if (fault?.kind === 'delay') await sleep(fault.ms ?? 100);
    if (fault?.kind === 'timeout_before_commit') return hang(request, fault.ms);
    if (fault?.kind === 'server_error') {
      const status = fault.status ?? 500;
      return reply(
        request,
        status === 502
          ? { status, bytes: Buffer.from('<html><body>502 Bad Gateway</body></html>') }
          : serviceError(status, '000', 'Internal error', 'internal'),
      );
    }
    const answer = capture(request, paymentId);
    if (fault?.kind === 'timeout_after_commit') return hang(request, fault.ms);
    if (fault?.kind === 'reset_after_commit') return resetConnection(request);
    reply(request, answer);
  }

  const server = await startSimServer(async (request) => {
    requests.push({
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.rawBody,
    });
    if (requests.length > 100) requests.shift();
    const pathname = new URL(request.path, 'http://simulator').pathname;
    const matched = CAPTURES_PATH.exec(pathname);
    if (!matched) {
      return reply(request, serviceError(404, '000', 'Not Found', 'validation'));
    }
    if (request.method !== 'POST') {
      return reply(request, serviceError(405, '000', 'Method Not Allowed', 'validation'));
    }
    return handleCapture(request, decodeURIComponent(matched[2] ?? ''));
  });

  return {
    url: server.url,
    baseUrl: server.url,
    credentials: { apiKey, merchantAccount, hmacKey },
    faults: IMPLEMENTED_FAULTS,
    clock,
    webhookDeliveries: webhooks.deliveries,
    requests,
    async authorize(authorizeOptions) {
      if (
        authorizeOptions.amount <= 0n ||
        authorizeOptions.amount > BigInt(Number.MAX_SAFE_INTEGER)
      ) {
        throw new RangeError(
          'authorize({ amount }) must be a positive safe number of minor units.',
        );
      }
      const payment: AdyenLedgerPayment = ledger.authorize(authorizeOptions, merchantAccount);
      return {
        paymentId: payment.pspReference,
        amount: payment.authorized,
        context: {
          paymentMethod: 'card',
          ...(authorizeOptions.cardBrand ? { cardBrand: authorizeOptions.cardBrand } : {}),
        },
      };
    },
    injectFault(fault) {
      if (!IMPLEMENTED_FAULTS.includes(fault.kind)) {
        throw new Error(
          `The Adyen simulator cannot inject '${fault.kind}': the capture API has no such behaviour (see sim.faults).`,
        );
      }
      faults.push(fault);
    },
    declineNextCapture(reason = 'Insufficient balance on payment', eventCode = 'CAPTURE') {
      ledger.forceNext({ reason, eventCode });
    },
    advanceClock(ms) {
      clock.advance(ms);
    },
    async payment(paymentId) {
      const state = ledger.state(paymentId);
      if (!state) throw new Error(`The Adyen simulator has no payment ${paymentId}.`);
      return state;
    },
    setWebhookUrl(url) {
      webhooks.url = url;
    },
    async settle() {
      processReceived();
      await work.settle();
    },
    async close() {
      work.close();
      faults.clear();
      await server.close();
    },
  };
}

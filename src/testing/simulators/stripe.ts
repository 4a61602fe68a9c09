import { randomBytes } from 'node:crypto';
import type {
  AuthorizedPayment,
  AuthorizeOptions,
  Fault,
  FaultKind,
  SimulatedPaymentState,
} from '../harness.js';
import { createManualClock, DAY_MS, type ManualClock } from '../manual-clock.js';
import {
  BackgroundWork,
  FaultQueue,
  hang,
  REQUEST_FAULTS,
  resetConnection,
  type SimRequest,
  sendJson,
  sleep,
  startSimServer,
  UNSIGNED_REQUEST_FAULTS,
  WEBHOOK_FAULTS,
} from './sim-server.js';
import { canonical, captureInput, parseForm } from './stripe-form.js';
import {
  StripeLedger,
  type StripeLedgerIntent,
  type StripeLedgerRefusal,
} from './stripe-ledger.js';
import { type StripeWebhookDelivery, StripeWebhookSender } from './stripe-webhooks.js';

/**
 * Options for {@link startStripeSimulator}.
 *
 * @example
 * ```ts
 * const sim = await startStripeSimulator({ webhookUrl: 'http://127.0.0.1:8080/webhooks/stripe' });
 * ```
 */
export interface StripeSimulatorOptions {
  /** Where events go; without one they are recorded as undelivered. */
  readonly webhookUrl?: string;
  /** The clock PaymentIntents age on (7-day capture window). Default: a manual clock started now. */
  readonly clock?: ManualClock;
  /** Currency of `authorize()` when none is given. Default `EUR`. */
  readonly currency?: string;
  /** The secret key the simulator accepts. Default: a fresh `sk_test_…`. */
  readonly secretKey?: string;
  /** Signing secrets; several sign each event with one `v1` each (a rotation). Default: a fresh `whsec_…`. */
  readonly webhookSecrets?: readonly string[];
  /** Captures per PaymentIntent. Default 50 (Stripe's documented limit). */
  readonly maxCaptures?: number;
}

/**
 * One request the simulator received (for wire tests).
 *
 * @example
 * ```ts
 * const last: StripeSimRequest | undefined = sim.requests.at(-1);
 * ```
 */
export interface StripeSimRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * A running Stripe API on 127.0.0.1: `POST /v1/payment_intents/{id}/capture` and
 * `GET /v1/payment_intents/{id}`, Bearer (or Basic) secret-key auth, form bodies, the
 * capture rules (amount_too_large, payment_intent_unexpected_state after a final capture
 * or the 7-day window, final_capture=false without multicapture, the 50-capture limit),
 * `Idempotency-Key` replay of the first answer with `Idempotent-Replayed: true`
 * (`idempotency_error` for other parameters, `idempotency_key_in_use` while the first is
 * running), and signed events (`payment_intent.succeeded` when a PaymentIntent is captured
 * in full or finally, `payment_intent.amount_capturable_updated` after a non-final capture).
 *
 * Faults: `server_error` answers 500 in front of the API (nothing runs, nothing is saved:
 * ASSUMED, an edge failure), the timeouts, the reset and every webhook fault.
 * {@link StripeSimulator.failNextCapture} makes the endpoint itself fail: `api_error` is a
 * 500 Stripe saves and replays for the key, `card_declined`… are 402 declines, `rate_limit`
 * and `lock_timeout` are 429s that save nothing.
 *
 * @example
 * ```ts
 * const sim = await startStripeSimulator({ webhookUrl });
 * const adapter = stripe({ ...sim.credentials, baseUrl: sim.baseUrl });
 * const payment = await sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'visa' });
 * ```
 */
export interface StripeSimulator {
  /** `http://127.0.0.1:<port>`; the adapter adds `/v1`. */
  readonly url: string;
  /** Same as `url`: give this to `stripe({ baseUrl })`. */
  readonly baseUrl: string;
  /** Spread into `stripe({ ...sim.credentials, baseUrl: sim.baseUrl })`. */
  readonly credentials: { readonly secretKey: string; readonly webhookSecret: string };
  readonly currency: string;
  readonly faults: readonly FaultKind[];
  /** Every request received, oldest first (the last 1000). */
  readonly requests: readonly StripeSimRequest[];
  /** Every webhook delivery, in order. */
  readonly webhookDeliveries: readonly StripeWebhookDelivery[];
  authorize(
    options: AuthorizeOptions & { readonly multicapture?: boolean },
  ): Promise<AuthorizedPayment>;
  /** Applies to the next capture request (or the webhooks it produces). */
  injectFault(fault: Fault): void;
  /** Applies to the next `GET /v1/payment_intents/{id}`. */
  injectInquiryFault(fault: Fault): void;
  /**
   * The next `times` new captures fail inside the endpoint with this Stripe code:
   * `api_error` (500, saved), `rate_limit` / `lock_timeout` (429, not saved), or a card
   * decline code (`card_declined`, `insufficient_funds`, `expired_card`, `processing_error`).
   */
  failNextCapture(code: string, times?: number): void;
  advanceClock(ms: number): void;
  payment(paymentId: string): Promise<SimulatedPaymentState>;
  setWebhookUrl(url: string | undefined): void;
  /** Waits for webhook deliveries (not for held out-of-order ones). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const CAPTURE = /^\/v1\/payment_intents\/([^/]+)\/capture$/;
const INTENT = /^\/v1\/payment_intents\/([^/]+)$/;
const DECLINES: Record<string, [string, string?]> = {
  card_declined: ['card_declined', 'generic_decline'],
  insufficient_funds: ['card_declined', 'insufficient_funds'],
  fraudulent: ['card_declined', 'fraudulent'],
  expired_card: ['expired_card'],
  processing_error: ['processing_error'],
};
const IMPLEMENTED_FAULTS: readonly FaultKind[] = [...UNSIGNED_REQUEST_FAULTS, ...WEBHOOK_FAULTS];
const MAX_RECORDED = 1000;

interface Saved {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: string;
}

/**
 * Starts a Stripe simulator. Keys and signing secrets are generated here.
 *
 * @example
 * ```ts
 * const sim = await startStripeSimulator();
 * sim.failNextCapture('api_error'); // a saved 500: the same key gets it again
 * ```
 */
export async function startStripeSimulator(
  options: StripeSimulatorOptions = {},
): Promise<StripeSimulator> {
  const clock = options.clock ?? createManualClock();
  const currency = options.currency ?? 'EUR';
  const secretKey = options.secretKey ?? `sk_test_${randomBytes(18).toString('hex')}`;
  const secrets = options.webhookSecrets ?? [`whsec_${randomBytes(24).toString('base64url')}`];
  const firstSecret = secrets[0];
  if (firstSecret === undefined) {
    throw new TypeError('startStripeSimulator({ webhookSecrets }) needs at least one secret.');
  }
  const ledger = new StripeLedger(clock, 7 * DAY_MS, options.maxCaptures ?? 50);
  const work = new BackgroundWork();
  const webhooks = new StripeWebhookSender(
    () => secrets,
    () => Math.floor(Date.now() / 1000),
    work,
    options.webhookUrl,
  );
  const captureFaults = new FaultQueue();
  const inquiryFaults = new FaultQueue();
  const forced: string[] = [];
  const saved = new Map<string, Saved>();
  const inFlight = new Set<string>();
  const requests: StripeSimRequest[] = [];
  let eventCounter = 0;

  const server = await startSimServer(async (request) => {
    requests.push({
      method: request.method,
      path: request.path,
      headers: { ...request.headers },
      body: request.rawBody.toString('utf8'),
    });
    if (requests.length > MAX_RECORDED) requests.shift();
    await handle(request);
  });

  async function handle(request: SimRequest): Promise<void> {
    const path = request.path.split('?')[0] ?? '';
    if (!authenticated(request)) {
      return fail(request, {
        status: 401,
        type: 'invalid_request_error',
        message: 'Invalid API Key provided.',
      });
    }
    const capture = CAPTURE.exec(path);
    if (capture && request.method === 'POST')
      return captureRoute(request, decodeURIComponent(capture[1] ?? ''));
    const intent = INTENT.exec(path);
    if (intent && request.method === 'GET')
      return readRoute(request, decodeURIComponent(intent[1] ?? ''));
    return fail(request, {
      status: 404,
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${request.method}: ${path}).`,
    });
  }

  function authenticated(request: SimRequest): boolean {
    const header = String(request.headers.authorization ?? '');
    if (header === `Bearer ${secretKey}`) return true;
    if (header.startsWith('Basic ')) {
      const user = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0];
      return user === secretKey;
    }
    return false;
  }

  async function readRoute(request: SimRequest, paymentId: string): Promise<void> {
    const fault = inquiryFaults.take(REQUEST_FAULTS);
    if (fault?.kind === 'delay') await sleep(fault.ms ?? 100);
    if (fault?.kind === 'timeout_before_commit' || fault?.kind === 'timeout_after_commit')
      return hang(request, fault.ms);
    if (fault?.kind === 'reset_after_commit') return resetConnection(request);
    if (fault?.kind === 'server_error') return fail(request, serverError(fault.status));
    const intent = ledger.read(paymentId);
    if (!intent) return fail(request, missing(paymentId));
    sendJson(request.res, 200, wireIntent(intent), responseHeaders());
  }

  async function captureRoute(request: SimRequest, paymentId: string): Promise<void> {
    if (
      !/^application\/x-www-form-urlencoded\b/i.test(String(request.headers['content-type'] ?? ''))
    ) {
      return fail(request, {
        status: 400,
        type: 'invalid_request_error',
        message: 'Invalid request: the body must be application/x-www-form-urlencoded.',
      });
    }
    const params = parseForm(request.rawBody.toString('utf8'));
    const parsed = captureInput(paymentId, params, headerText(request.headers['idempotency-key']));
    // Validation failures run no endpoint, so nothing is saved for the key.
    if ('status' in parsed) return fail(request, parsed);
    const key = parsed.idempotencyKey;
    const fingerprint = JSON.stringify([request.method, paymentId, canonical(params)]);
    const fault = captureFaults.take(REQUEST_FAULTS);
    if (fault?.kind === 'timeout_before_commit') return hang(request, fault.ms);
    // ASSUMED: a 5xx from in front of the API (edge, load balancer): nothing ran, nothing saved.
    if (fault?.kind === 'server_error') return fail(request, serverError(fault.status));
    const previous = saved.get(key);
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        return fail(request, {
          status: 400,
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      return replay(request, previous, fault);
    }
    if (inFlight.has(key)) {
      return fail(request, {
        status: 409,
        type: 'invalid_request_error',
        code: 'idempotency_key_in_use',
        message:
          'There is currently another in-progress request using this Idempotent Key. Please try again later.',
      });
    }
    inFlight.add(key);
    try {
      if (fault?.kind === 'delay') await sleep(fault.ms ?? 100);
    } finally {
      inFlight.delete(key);
    }
    const forcedCode = forced.shift();
    if (forcedCode === 'rate_limit' || forcedCode === 'lock_timeout') {
      return fail(request, {
        status: 429,
        type: forcedCode === 'rate_limit' ? 'rate_limit_error' : 'invalid_request_error',
        code: forcedCode,
        message: 'Too many requests hit the API too quickly.',
      });
    }
    const decision =
      forcedCode === 'api_error'
        ? ({ kind: 'refused', refusal: serverError(500) } as const)
        : forcedCode !== undefined
          ? ledger.decline(...(DECLINES[forcedCode] ?? ['card_declined']))
          : ledger.capture({ ...parsed, idempotencyKey: key });
    const answer =
      decision.kind === 'captured'
        ? { status: 200, body: JSON.stringify(wireIntent(decision.intent)) }
        : { status: decision.refusal.status, body: JSON.stringify(errorBody(decision.refusal)) };
    saved.set(key, { fingerprint, ...answer });
    if (decision.kind === 'captured') {
      const webhookFault = captureFaults.take(WEBHOOK_FAULTS);
      webhooks.send(
        [
          event(
            decision.closed
              ? 'payment_intent.succeeded'
              : 'payment_intent.amount_capturable_updated',
            decision.intent,
          ),
        ],
        webhookFault,
      );
    }
    return answerOrMisbehave(request, answer.status, answer.body, fault, false);
  }

  async function replay(
    request: SimRequest,
    previous: Saved,
    fault: Fault | undefined,
  ): Promise<void> {
    if (fault?.kind === 'delay') await sleep(fault.ms ?? 100);
    answerOrMisbehave(request, previous.status, previous.body, fault, true);
  }

  function answerOrMisbehave(
    request: SimRequest,
    status: number,
    body: string,
    fault: Fault | undefined,
    replayed: boolean,
  ): void {
    if (fault?.kind === 'timeout_after_commit') hang(request, fault.ms);
    else if (fault?.kind === 'reset_after_commit') resetConnection(request);
    else sendJson(request.res, status, body, responseHeaders(replayed));
  }

  function event(type: string, intent: StripeLedgerIntent) {
    eventCounter += 1;
    const id = `evt_3Sim${String(eventCounter).padStart(10, '0')}`;
    const body = Buffer.from(
      JSON.stringify({
        id,
        object: 'event',
        api_version: '2026-10-28.endive',
        created: Math.floor(Date.now() / 1000),
        data: { object: wireIntent(intent) },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
      }),
      'utf8',
    );
    return { id, type, paymentId: intent.id, body };
  }

  function fail(request: SimRequest, refusal: StripeLedgerRefusal): void {
    sendJson(request.res, refusal.status, errorBody(refusal), responseHeaders());
  }

  function wireIntent(intent: StripeLedgerIntent): Record<string, unknown> {
    return {
      id: intent.id,
      object: 'payment_intent',
      amount: Number(intent.amount),
      amount_capturable: Number(intent.amountCapturable),
      amount_received: Number(intent.amountReceived),
      capture_method: 'manual',
      client_secret: `${intent.id}_secret_${intent.latestCharge.slice(-8)}`,
      created: Math.floor(intent.created / 1000),
      currency: intent.currency.toLowerCase(),
      latest_charge: intent.latestCharge,
      livemode: false,
      metadata: { ...intent.metadata },
      payment_method_options: {
        card: { request_multicapture: intent.multicapture ? 'if_available' : 'never' },
      },
      status: intent.status,
    };
  }

  return {
    url: server.url,
    baseUrl: server.url,
    credentials: { secretKey, webhookSecret: firstSecret },
    currency,
    faults: IMPLEMENTED_FAULTS,
    get requests() {
      return [...requests];
    },
    webhookDeliveries: webhooks.deliveries,
    async authorize(authorizeOptions) {
      const intent = ledger.authorize(authorizeOptions, currency);
      return {
        paymentId: intent.id,
        amount: { currency: intent.currency, value: intent.amount },
        context: {
          currency: intent.currency,
          paymentMethod: 'card',
          cardBrand: authorizeOptions.cardBrand ?? 'visa',
        },
      };
    },
    injectFault: (fault) => captureFaults.push(fault),
    injectInquiryFault: (fault) => inquiryFaults.push(fault),
    failNextCapture(code, times = 1) {
      const known = ['api_error', 'rate_limit', 'lock_timeout', ...Object.keys(DECLINES)];
      if (!known.includes(code)) {
        throw new TypeError(
          `failNextCapture: ${JSON.stringify(code)} is not one of ${known.join(', ')}.`,
        );
      }
      for (let i = 0; i < times; i += 1) forced.push(code);
    },
    advanceClock: (ms) => clock.advance(ms),
    async payment(paymentId) {
      const state = ledger.state(paymentId);
      if (!state) throw new Error(`The Stripe simulator has no PaymentIntent ${paymentId}.`);
      return state;
    },
    setWebhookUrl(url) {
      webhooks.url = url;
    },
    settle: () => work.settle(),
    async close() {
      work.close();
      await server.close();
    },
  };
}

function responseHeaders(replayed = false): Record<string, string> {
  return {
    'request-id': `req_${randomBytes(7).toString('hex')}`,
    'stripe-version': '2026-10-28.endive',
    ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
  };
}

function serverError(status = 500): StripeLedgerRefusal {
  return { status, type: 'api_error', message: 'An unknown error occurred.' };
}

function missing(paymentId: string): StripeLedgerRefusal {
  return {
    status: 404,
    type: 'invalid_request_error',
    code: 'resource_missing',
    param: 'intent',
    message: `No such payment_intent: '${paymentId}'`,
  };
}

function errorBody(refusal: StripeLedgerRefusal): Record<string, unknown> {
  return {
    error: {
      type: refusal.type,
      ...(refusal.code
        ? {
            code: refusal.code,
            doc_url: `https://docs.stripe.com/error-codes/${refusal.code.replace(/_/g, '-')}`,
          }
        : {}),
      ...(refusal.declineCode ? { decline_code: refusal.declineCode } : {}),
      ...(refusal.param ? { param: refusal.param } : {}),
      message: refusal.message,
    },
  };
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { normalizeCardBrand } from '../../core/capabilities.js';
import type {
  AuthorizedPayment,
  AuthorizeOptions,
  Fault,
  FaultKind,
  SimulatedPaymentState,
} from '../harness.js';
import { createManualClock, DAY_MS, type ManualClock } from '../manual-clock.js';
import {
  CheckoutLedger,
  type CheckoutSimAction,
  type CheckoutSimPayment,
  checkoutId,
} from './checkout-ledger.js';
import {
  type CheckoutSimTokenRequest,
  CheckoutSimTokens,
  type CheckoutSimulatorOAuthOptions,
} from './checkout-oauth.js';
import { type CheckoutWebhookDelivery, CheckoutWebhookSender } from './checkout-webhooks.js';
import { actionsJson, balances, paymentJson } from './checkout-wire.js';
import {
  BackgroundWork,
  FaultQueue,
  hang,
  parseJsonObject,
  resetConnection,
  type SimRequest,
  sendJson,
  sendRaw,
  sleep,
  startSimServer,
  UNSIGNED_REQUEST_FAULTS,
  WEBHOOK_FAULTS,
} from './sim-server.js';

/**
 * Settings for {@link startCheckoutSimulator}. Everything is optional.
 *
 * @example
 * ```ts
 * const sim = await startCheckoutSimulator({ webhookUrl: 'http://127.0.0.1:8080/webhooks/cko', processingDelayMs: 50 });
 * ```
 */
export interface CheckoutSimulatorOptions {
  /** The clock for the 7-day authorization window and the 24 h idempotency window. */
  readonly clock?: ManualClock;
  /** Where webhooks go; without one they are recorded as undelivered. */
  readonly webhookUrl?: string;
  /** Secret key to accept. Default: a fresh `sk_sbox_…`. A UUID-style key is expected bare. */
  readonly secretKey?: string;
  /** Webhook signature key. Default: 32 random bytes, hex. */
  readonly webhookSecret?: string;
  /** Sent as the webhooks' `Authorization` header when set (and put in `credentials`). */
  readonly webhookAuthorization?: string;
  /**
   * Real milliseconds between the 202 and the capture's result. Default 0: the result is
   * recorded right after the answer is built. While processing, the payment is `Capture
   * Pending` and the capture is not in the actions list.
   */
  readonly processingDelayMs?: number;
  /** Delivery attempts per webhook (retries on non-2xx). Default 1. */
  readonly webhookAttempts?: number;
  /** Pause between webhook attempts, real ms. Default 50. */
  readonly webhookRetryDelayMs?: number;
  /**
   * The access key `POST /connect/token` accepts (OAuth client credentials) and the life of
   * its tokens. The endpoint is always served; see `sim.oauthCredentials`.
   */
  readonly oauth?: CheckoutSimulatorOAuthOptions;
  /**
   * Card schemes that accept `capture_type: NonFinal`. Default Visa, Mastercard, Amex and
   * Discover (the adapter's default `multiCaptureBrands`).
   */
  readonly nonFinalSchemes?: readonly string[];
}

/**
 * Spread into `checkout({ oauth: sim.oauthCredentials, baseUrl: sim.baseUrl })`.
 *
 * @example
 * ```ts
 * const { clientId, clientSecret, tokenUrl }: CheckoutSimulatorOAuthCredentials = sim.oauthCredentials;
 * ```
 */
export interface CheckoutSimulatorOAuthCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** `http://127.0.0.1:<port>/connect/token` */
  readonly tokenUrl: string;
}

/**
 * Spread into `checkout({ ...sim.credentials, baseUrl: sim.baseUrl })`.
 *
 * @example
 * ```ts
 * const credentials: CheckoutSimulatorCredentials = sim.credentials;
 * const cko = checkout({ ...credentials, baseUrl: sim.baseUrl });
 * ```
 */
export interface CheckoutSimulatorCredentials {
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly webhookAuthorization?: string;
}

/**
 * One request the simulator received, exactly as sent (for wire tests).
 *
 * @example
 * ```ts
 * const sent: CheckoutSimRequest | undefined = sim.requests.find((r) =>
 *   r.path.endsWith('/captures'),
 * );
 * sent?.headers['cko-idempotency-key']; // the capture's idempotencyKey
 * ```
 */
export interface CheckoutSimRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * A running Checkout.com simulator: a real HTTP server on 127.0.0.1 speaking the capture API
 * (`POST /payments/{id}/captures`, `/voids`, `GET /payments/{id}`, `GET /payments/{id}/actions`)
 * with `Cko-Idempotency-Key` replay, the 7-day window, NonFinal schemes, the 150 partial
 * action limit, signed `payment_captured` / `payment_capture_declined` webhooks and fault
 * injection.
 *
 * @example
 * ```ts
 * const sim = await startCheckoutSimulator({ webhookUrl });
 * const cko = checkout({ ...sim.credentials, baseUrl: sim.baseUrl });
 * const payment = await sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'visa' });
 * sim.injectFault({ kind: 'timeout_after_commit' });
 * ```
 */
export interface CheckoutSimulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** What to pass as `checkout({ baseUrl })`. */
  readonly baseUrl: string;
  readonly credentials: CheckoutSimulatorCredentials;
  /** The access key for `checkout({ oauth })`, with the simulator's token URL. */
  readonly oauthCredentials: CheckoutSimulatorOAuthCredentials;
  /** Every `POST /connect/token` answered, oldest first. */
  readonly tokenRequests: readonly CheckoutSimTokenRequest[];
  /**
   * The faults this simulator implements: all but `unknown_status` and `bad_signature`,
   * which have no equivalent in Checkout.com's capture API (no "unknown" result status,
   * unsigned responses).
   */
  readonly faults: readonly FaultKind[];
  readonly clock: ManualClock;
  /** Every webhook delivery attempt, in order. */
  readonly webhookDeliveries: readonly CheckoutWebhookDelivery[];
  /** The last 100 requests received, oldest first. */
  readonly requests: readonly CheckoutSimRequest[];
  /** Creates an authorized card payment (manual capture unless `captureMode: 'AUTOMATIC'`). */
  authorize(options: AuthorizeOptions): Promise<AuthorizedPayment>;
  /** Queues a fault for the next capture request (or the webhook it produces). */
  injectFault(fault: Fault): void;
  /** Queues a fault for the next token request: `delay`, `timeout_before_commit` or `server_error`. */
  injectTokenFault(fault: Fault): void;
  /** Every access token issued so far stops working: the API answers 401 to it. */
  revokeTokens(): void;
  /** The `amount_allocations` a capture action was requested with, as received. */
  amountAllocations(actionId: string): readonly unknown[] | undefined;
  /** The next capture is accepted (202) but then declined with this response code. */
  declineNextCapture(responseCode?: string, responseSummary?: string): void;
  advanceClock(ms: number): void;
  payment(paymentId: string): Promise<SimulatedPaymentState>;
  setWebhookUrl(url: string | undefined): void;
  /** Waits for background processing and webhook deliveries (not for held out-of-order ones). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const IMPLEMENTED_FAULTS: readonly FaultKind[] = [...UNSIGNED_REQUEST_FAULTS, ...WEBHOOK_FAULTS];

const UUID_KEY = /^(sk_(test_)?)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_AMOUNT = 999_999_999;
/** What one handler decided to answer: exact bytes, so idempotent replays are identical. */
interface Answer {
  readonly status: number;
  readonly bytes: Buffer;
}

interface CachedAnswer extends Answer {
  readonly fingerprint: string;
  readonly at: number;
}

function json(status: number, body?: unknown): Answer {
  return {
    status,
    bytes: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)),
  };
}

function invalid(errorCodes: readonly string[], status = 422): Answer {
  return json(status, {
    request_id: randomBytes(6).toString('hex').toUpperCase(),
    error_type: 'request_invalid',
    error_codes: errorCodes,
  });
}

function isFlat(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
}

/** Checks a capture or void body; returns Checkout.com-style error codes. */
function bodyErrors(body: Record<string, unknown>, kind: 'capture' | 'void'): string[] {
  const codes: string[] = [];
  if (kind === 'capture' && body.amount !== undefined) {
    const amount = body.amount;
    if (
      typeof amount !== 'number' ||
      !Number.isInteger(amount) ||
      amount <= 0 ||
      amount > MAX_AMOUNT
    ) {
      codes.push('amount_invalid');
    }
  }
  if (kind === 'capture' && body.capture_type !== undefined) {
    if (body.capture_type !== 'Final' && body.capture_type !== 'NonFinal')
      codes.push('capture_type_invalid');
  }
  if (body.reference !== undefined && typeof body.reference !== 'string')
    codes.push('reference_invalid');
  if (kind === 'capture' && body.amount_allocations !== undefined) {
    if (!allocationsValid(body.amount_allocations)) codes.push('amount_allocations_invalid');
  }
  if (body.metadata !== undefined && !isFlat(body.metadata)) codes.push('metadata_invalid');
  return codes;
}

const isMinorUnits = (value: unknown): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_AMOUNT;

/** `amount_allocations`: `[{ id, amount, reference?, commission?: { amount?, percentage? } }]`. */
function allocationsValid(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  return value.every((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return false;
    const { id, amount, reference, commission, ...rest } = entry as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return false;
    if (typeof id !== 'string' || !id.startsWith('ent_') || !isMinorUnits(amount)) return false;
    if (reference !== undefined && typeof reference !== 'string') return false;
    if (commission === undefined) return true;
    if (typeof commission !== 'object' || commission === null) return false;
    const { amount: fixed, percentage, ...other } = commission as Record<string, unknown>;
    if (Object.keys(other).length > 0) return false;
    if (fixed === undefined && percentage === undefined) return false;
    if (fixed !== undefined && !isMinorUnits(fixed)) return false;
    return (
      percentage === undefined ||
      (typeof percentage === 'number' && percentage >= 0 && percentage <= 100)
    );
  });
}

/**
 * Starts a Checkout.com simulator on 127.0.0.1 (port 0).
 *
 * @example
 * ```ts
 * import { startCheckoutSimulator } from 'capture-kit/testing';
 * const sim = await startCheckoutSimulator();
 * const payment = await sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'visa' });
 * sim.declineNextCapture('20051', 'Insufficient Funds');
 * await sim.close();
 * ```
 */
export async function startCheckoutSimulator(
  options: CheckoutSimulatorOptions = {},
): Promise<CheckoutSimulator> {
  const clock = options.clock ?? createManualClock();
  const secretKey = options.secretKey ?? checkoutId('sk_sbox', 27);
  const webhookSecret = options.webhookSecret ?? randomBytes(32).toString('hex');
  const expectedAuthorization = UUID_KEY.test(secretKey) ? secretKey : `Bearer ${secretKey}`;
  const ledger = new CheckoutLedger(clock, options.nonFinalSchemes);
  const idempotency = new Map<string, CachedAnswer>();
  const faults = new FaultQueue();
  const work = new BackgroundWork();
  const requests: CheckoutSimRequest[] = [];
  const processingDelayMs = options.processingDelayMs ?? 0;
  const tokens = new CheckoutSimTokens(clock, options.oauth ?? {});
  const tokenFaults = new FaultQueue();
  const webhooks = new CheckoutWebhookSender(
    {
      secret: webhookSecret,
      work,
      ...(options.webhookAuthorization ? { authorization: options.webhookAuthorization } : {}),
      ...(options.webhookAttempts !== undefined ? { attempts: options.webhookAttempts } : {}),
      ...(options.webhookRetryDelayMs !== undefined
        ? { retryDelayMs: options.webhookRetryDelayMs }
        : {}),
    },
    options.webhookUrl,
  );
  let origin = '';
  const iso = () => new Date(clock.now()).toISOString();
  const paymentHref = (payment: CheckoutSimPayment) => `${origin}/payments/${payment.id}`;

  function emit(
    payment: CheckoutSimPayment,
    type: string,
    action: CheckoutSimAction,
    fault?: Fault,
  ): void {
    const id = checkoutId('evt');
    const body = Buffer.from(
      JSON.stringify({
        id,
        type,
        version: '1.0.0',
        created_on: iso(),
        data: {
          id: payment.id,
          action_id: action.id,
          ...(action.reference !== undefined ? { reference: action.reference } : {}),
          amount: Number(action.amount),
          currency: payment.currency,
          processed_on: action.processedOn,
          response_code: action.responseCode,
          response_summary: action.responseSummary,
          balances: balances(payment, clock.now()),
          ...(action.metadata !== undefined ? { metadata: action.metadata } : {}),
        },
        _links: {
          self: { href: `${origin}/workflows/events/${id}` },
          payment: { href: paymentHref(payment) },
        },
      }),
    );
    webhooks.send({ id, type, paymentId: payment.id }, body, fault);
  }

  /** Decides a capture (approved, or a queued decline) and announces it. */
  function finishCapture(payment: CheckoutSimPayment, action: CheckoutSimAction, fault?: Fault) {
    ledger.finishCapture(payment, action);
    const declined = action.status === 'failed';
    emit(payment, declined ? 'payment_capture_declined' : 'payment_captured', action, fault);
  }

  function capture(
    payment: CheckoutSimPayment,
    body: Record<string, unknown>,
    key: string,
  ): Answer {
    const decision = ledger.capture(payment, body, key);
    if (decision.kind === 'forbidden') return json(403);
    if (decision.kind === 'invalid') return invalid(decision.errorCodes);
    const { action } = decision;
    const webhookFault = faults.take(WEBHOOK_FAULTS);
    if (processingDelayMs > 0) {
      work.run(async () => {
        await sleep(processingDelayMs);
        finishCapture(payment, action, webhookFault);
      });
    } else {
      finishCapture(payment, action, webhookFault);
    }
    return json(202, {
      action_id: action.id,
      ...(action.reference !== undefined ? { reference: action.reference } : {}),
      _links: { payment: { href: paymentHref(payment) } },
    });
  }

  function voidPayment(
    payment: CheckoutSimPayment,
    body: Record<string, unknown>,
    key: string,
  ): Answer {
    const action = ledger.void(payment, body, key);
    if (!action) return json(403);
    emit(payment, 'payment_voided', action);
    return json(202, {
      action_id: action.id,
      ...(action.reference !== undefined ? { reference: action.reference } : {}),
      _links: { payment: { href: paymentHref(payment) } },
    });
  }

  /** Auth, idempotency replay, body checks and the payment lookup shared by POSTs. */
  function post(
    request: SimRequest,
    pathname: string,
    paymentId: string,
    kind: 'capture' | 'void',
  ): Answer {
    if (!authenticated(request)) return json(401);
    const key = request.headers['cko-idempotency-key'];
    const idempotencyKey = typeof key === 'string' ? key : '';
    const fingerprint = `${request.method} ${pathname}\n${createHash('sha256').update(request.rawBody).digest('hex')}`;
    const cached = idempotencyKey ? idempotency.get(idempotencyKey) : undefined;
    if (cached && clock.now() - cached.at < DAY_MS) {
      // ASSUMED status and code: Checkout.com documents the replay, not the conflict answer.
      return cached.fingerprint === fingerprint ? cached : invalid(['idempotency_key_reused'], 409);
    }
    // An empty body is a valid capture request (full amount, no reference).
    const body = request.rawBody.length === 0 ? {} : parseJsonObject(request.rawBody);
    if (!body) return invalid(['request_body_malformed']);
    const errors = bodyErrors(body, kind);
    if (errors.length > 0) return invalid(errors);
    const payment = ledger.get(paymentId);
    if (!payment) return json(404);
    const answer =
      kind === 'capture'
        ? capture(payment, body, idempotencyKey)
        : voidPayment(payment, body, idempotencyKey);
    // Only 2xx answers are kept: after a 4xx/5xx the same key is processed afresh.
    if (idempotencyKey && answer.status >= 200 && answer.status < 300) {
      idempotency.set(idempotencyKey, { ...answer, fingerprint, at: clock.now() });
    }
    return answer;
  }

  /** The secret key, or a bearer token from `/connect/token` that is still valid. */
  function authenticated(request: SimRequest): boolean {
    const header = request.headers.authorization;
    return header === expectedAuthorization || tokens.accepts(header);
  }

  async function handleToken(request: SimRequest): Promise<void> {
    const fault = tokenFaults.take(['delay', 'timeout_before_commit', 'server_error']);
    if (fault?.kind === 'delay') await sleep(fault.ms ?? 100);
    if (fault?.kind === 'timeout_before_commit') return hang(request, fault.ms);
    if (fault?.kind === 'server_error') {
      return sendRaw(request.res, fault.status ?? 503, Buffer.alloc(0), {});
    }
    const answer = tokens.issue(request);
    sendJson(request.res, answer.status, answer.body, {
      'cache-control': 'no-store',
      pragma: 'no-cache',
    });
  }

  function reply(request: SimRequest, answer: Answer): void {
    const headers: Record<string, string> = { 'cko-request-id': randomBytes(8).toString('hex') };
    if (answer.bytes.length > 0) headers['content-type'] = 'application/json; charset=utf-8';
    sendRaw(request.res, answer.status, answer.bytes, headers);
  }

  async function handleCapture(
    request: SimRequest,
    pathname: string,
    paymentId: string,
  ): Promise<void> {
    const fault = faults.take(UNSIGNED_REQUEST_FAULTS);
    if (fault?.kind === 'delay') await sleep(fault.ms ?? 100);
    if (fault?.kind === 'timeout_before_commit') return hang(request, fault.ms);
    if (fault?.kind === 'server_error') {
      const status = fault.status ?? 500;
      const bytes = Buffer.from(status === 502 ? '<html><body>502 Bad Gateway</body></html>' : '');
      return sendRaw(
        request.res,
        status,
        bytes,
        bytes.length > 0 ? { 'content-type': 'text/html' } : {},
      );
    }
    const answer = post(request, pathname, paymentId, 'capture');
    if (fault?.kind === 'timeout_after_commit') return hang(request, fault.ms);
    if (fault?.kind === 'reset_after_commit') return resetConnection(request);
    reply(request, answer);
  }

  function get(request: SimRequest, paymentId: string, sub: string | undefined): Answer {
    if (!authenticated(request)) return json(401);
    const payment = ledger.get(paymentId);
    if (!payment) return json(404);
    return json(
      200,
      sub === 'actions' ? actionsJson(payment) : paymentJson(payment, clock.now(), origin),
    );
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
    if (pathname === '/connect/token') {
      if (request.method === 'POST') return handleToken(request);
      sendJson(request.res, 405, { error: 'invalid_request' });
      return;
    }
    const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [root, paymentId, sub, extra] = segments;
    if (root !== 'payments' || paymentId === undefined || extra !== undefined) {
      return reply(request, json(404));
    }
    if (request.method === 'POST' && sub === 'captures') {
      return handleCapture(request, pathname, paymentId);
    }
    if (request.method === 'POST' && sub === 'voids') {
      return reply(request, post(request, pathname, paymentId, 'void'));
    }
    if (request.method === 'GET' && (sub === undefined || sub === 'actions')) {
      return reply(request, get(request, paymentId, sub));
    }
    reply(
      request,
      json(sub === undefined || ['captures', 'voids', 'actions'].includes(sub) ? 405 : 404),
    );
  });
  origin = server.url;

  return {
    url: server.url,
    baseUrl: server.url,
    credentials: {
      secretKey,
      webhookSecret,
      ...(options.webhookAuthorization
        ? { webhookAuthorization: options.webhookAuthorization }
        : {}),
    },
    oauthCredentials: {
      clientId: tokens.clientId,
      clientSecret: tokens.clientSecret,
      tokenUrl: `${server.url}/connect/token`,
    },
    tokenRequests: tokens.log,
    faults: IMPLEMENTED_FAULTS,
    clock,
    webhookDeliveries: webhooks.deliveries,
    requests,
    async authorize(authorizeOptions) {
      const amount = authorizeOptions.amount;
      if (amount <= 0n || amount > BigInt(MAX_AMOUNT)) {
        throw new RangeError('authorize({ amount }) must be 1 to 999999999 minor units.');
      }
      const cardBrand = normalizeCardBrand(authorizeOptions.cardBrand ?? 'visa') ?? 'visa';
      const { payment, autoCapture } = ledger.authorize({
        amount,
        currency: authorizeOptions.currency ?? 'EUR',
        cardBrand,
        captureMode: authorizeOptions.captureMode ?? 'MANUAL',
      });
      if (autoCapture) emit(payment, 'payment_captured', autoCapture);
      return {
        paymentId: payment.id,
        amount: { currency: payment.currency, value: amount },
        context: { paymentMethod: 'card', cardBrand },
      };
    },
    injectFault(fault) {
      if (!IMPLEMENTED_FAULTS.includes(fault.kind)) {
        throw new Error(
          `The Checkout.com simulator cannot inject '${fault.kind}': the capture API has no such behaviour (see sim.faults).`,
        );
      }
      faults.push(fault);
    },
    injectTokenFault(fault) {
      if (!['delay', 'timeout_before_commit', 'server_error'].includes(fault.kind)) {
        throw new Error(
          `The Checkout.com simulator's token endpoint cannot inject '${fault.kind}': use delay, timeout_before_commit or server_error.`,
        );
      }
      tokenFaults.push(fault);
    },
    revokeTokens() {
      tokens.revokeAll();
    },
    amountAllocations(actionId) {
      return ledger.amountAllocations(actionId);
    },
    declineNextCapture(responseCode = '20051', responseSummary = 'Insufficient Funds') {
      ledger.declineNextCapture(responseCode, responseSummary);
    },
    advanceClock(ms) {
      clock.advance(ms);
    },
    async payment(paymentId) {
      return ledger.state(paymentId);
    },
    setWebhookUrl(url) {
      webhooks.url = url;
    },
    settle: () => work.settle(),
    async close() {
      work.close();
      faults.clear();
      tokenFaults.clear();
      await server.close();
    },
  };
}

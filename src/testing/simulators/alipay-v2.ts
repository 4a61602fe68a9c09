import type { Money } from '../../core/money.js';
import {
  parseSignatureHeader,
  signedContent,
  signRsa256,
  verifyRsa256,
} from '../../provider-kit/rsa-signature.js';
import type {
  AuthorizedPayment,
  AuthorizeOptions,
  Fault,
  FaultKind,
  SimulatedPaymentState,
} from '../harness.js';
import { createManualClock, DAY_MS, type ManualClock } from '../manual-clock.js';
import {
  ALIPAY_V2_SIM_CODES,
  type AlipayV2SimCode,
  isAlipayV2SimCode,
  simResult,
} from './alipay-v2-codes.js';
import {
  AlipayV2Ledger,
  type CaptureDecision,
  type LedgerCapture,
  type LedgerCaptureInput,
  type LedgerPayment,
} from './alipay-v2-ledger.js';
import {
  FaultQueue,
  generateSimKeyPair,
  hang,
  parseJsonObject,
  REQUEST_FAULTS,
  resetConnection,
  type SimRequest,
  sendJson,
  sleep,
  startSimServer,
} from './sim-server.js';

/**
 * Options for {@link startAlipayV2Simulator}.
 *
 * @example
 * ```ts
 * const sim = await startAlipayV2Simulator({ prefix: '/acl/api', clock: createManualClock() });
 * ```
 */
export interface AlipayV2SimulatorOptions {
  /** The clock the authorization window runs on. Default: a manual clock started now. */
  readonly clock?: ManualClock;
  /** Accepted for the shared simulator shape; Alipay+ v2 documents no capture webhook. */
  readonly webhookUrl?: string;
  /** The wallet's path prefix: `/api` (default), `/acl/api` (TNGD), `/api/open` (Alipay Connect, Rebell). */
  readonly prefix?: string;
  /** The merchant's Client-Id the wallet knows. */
  readonly clientId?: string;
  /** The keyVersion the merchant key is registered under. Default 1. */
  readonly keyVersion?: number | string;
  /**
   * How long an authorization can be captured, in ms; `null` = forever. Default 7 days.
   * The real window is wallet-specific and undocumented (ASSUMED).
   */
  readonly authorizationTtlMs?: number | null;
  /** Currency of `authorize()` when none is given. Default `USD` (the seed's samples). */
  readonly currency?: string;
}

/**
 * One request the simulator received, as bytes and headers (for wire tests).
 *
 * @example
 * ```ts
 * const last: AlipayV2RecordedRequest | undefined = sim.requests.at(-1);
 * ```
 */
export interface AlipayV2RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * A running Alipay+ v2 wallet on 127.0.0.1: `POST {prefix}/v2/payments/capture`,
 * `…/inquiryPayment` and `…/cancel`, signed both ways with RSA256.
 *
 * Every seed result code is reachable. By state: AUTH_NOT_FOUND (unknown paymentId),
 * AUTH_CANCELLED (`cancelPayment()`, or a capture after a last capture that released a
 * remainder), AUTH_EXPIRED (`advanceClock()` past `authorizationTtlMs`),
 * CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT (over-capture, or a capture after the last one when
 * nothing is left), CURRENCY_NOT_SUPPORT (currency differs from the authorization),
 * REPEAT_REQ_INCONSISTENT (same captureRequestId, different fields), CLIENT_INVALID,
 * KEY_NOT_FOUND (unknown keyVersion), SIGNATURE_INVALID, METHOD_NOT_SUPPORTED (not POST),
 * MEDIA_TYPE_NOT_ACCEPTABLE (not JSON), PARAM_ILLEGAL (a malformed field), INVALID_API
 * (an unknown path). Every other code: {@link AlipayV2Simulator.failNextCapture}.
 *
 * @example
 * ```ts
 * const sim: AlipayV2Simulator = await startAlipayV2Simulator();
 * sim.failNextCapture('RISK_REJECT');
 * sim.injectFault({ kind: 'unknown_status', providerCode: 'CAPTURE_IN_PROCESS' });
 * ```
 */
export interface AlipayV2Simulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Origin plus prefix: give this to `alipayV2({ baseUrl })`. */
  readonly baseUrl: string;
  readonly prefix: string;
  /** Spread into `alipayV2({ ...sim.credentials, baseUrl: sim.baseUrl })`. */
  readonly credentials: {
    readonly clientId: string;
    /** The merchant's private key (PEM), generated at start-up. */
    readonly privateKey: string;
    /** The wallet's public key (PEM), generated at start-up. */
    readonly walletPublicKey: string;
  };
  readonly keyVersion: string;
  readonly currency: string;
  /** The request faults this simulator implements (webhook faults do not apply to v2). */
  readonly faults: readonly FaultKind[];
  /** Every request received, oldest first (the last 1000). */
  readonly requests: readonly AlipayV2RecordedRequest[];
  authorize(options: AuthorizeOptions): Promise<AuthorizedPayment>;
  /** Applies to the next capture request(s) that pass authentication and parsing. */
  injectFault(fault: Fault): void;
  /** Like {@link injectFault}, for `inquiryPayment` (commit faults act like their timeout/reset). */
  injectInquiryFault(fault: Fault): void;
  /**
   * The next `times` new captures (not replays) on an existing payment answer `resultCode`
   * with its documented status. A U code records the capture as PROCESSING, like
   * `unknown_status`; an F code records a declined attempt that replays and shows as FAIL.
   */
  failNextCapture(resultCode: string, times?: number): void;
  /** Voids what is left of the authorization (as `POST …/cancel`). */
  cancelPayment(paymentId: string): 'SUCCESS' | 'ORDER_NOT_EXIST' | 'ORDER_STATUS_INVALID';
  advanceClock(ms: number): void;
  payment(paymentId: string): Promise<SimulatedPaymentState>;
  /** No-op: Alipay+ v2 has no webhooks. */
  setWebhookUrl(url: string): void;
  /** Finishes every PROCESSING capture with SUCCESS. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

type Route = 'capture' | 'inquiry' | 'cancel';
const ROUTES: Record<string, Route> = {
  '/v2/payments/capture': 'capture',
  '/v2/payments/inquiryPayment': 'inquiry',
  '/v2/payments/cancel': 'cancel',
};
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** Epoch milliseconds, as `System.currentTimeMillis()` writes them (13 digits until 2286). */
const EPOCH_MS = /^[1-9]\d{12}$/;
const MAX_RECORDED = 1000;

/** A declined request, with the code to answer. */
class Refusal {
  constructor(
    readonly code: AlipayV2SimCode,
    readonly message?: string,
  ) {}
}

/**
 * Starts an Alipay+ v2 wallet simulator. Keys (merchant and wallet) are generated here.
 *
 * A capture answered `U` (the `unknown_status` fault or `failNextCapture('CAPTURE_IN_PROCESS')`)
 * is recorded PROCESSING; the first inquiry reports it PROCESSING, the second SUCCESS, and
 * `settle()` finishes it at once. A replay of its captureRequestId meanwhile answers
 * CAPTURE_IN_PROCESS.
 *
 * @example
 * ```ts
 * const sim = await startAlipayV2Simulator({ prefix: '/api/open' });
 * const wallet = alipayV2({ ...sim.credentials, baseUrl: sim.baseUrl });
 * const payment = await sim.authorize({ amount: 9000n, currency: 'USD' });
 * ```
 */
export async function startAlipayV2Simulator(
  options: AlipayV2SimulatorOptions = {},
): Promise<AlipayV2Simulator> {
  const prefix = normalizePrefix(options.prefix ?? '/api');
  const clientId = options.clientId ?? 'ALIPAYPLUS_V2_SIM_CLIENT';
  const keyVersion = String(options.keyVersion ?? 1);
  const currency = options.currency ?? 'USD';
  const clock = options.clock ?? createManualClock();
  const ledger = new AlipayV2Ledger(
    clock,
    options.authorizationTtlMs === undefined ? 7 * DAY_MS : options.authorizationTtlMs,
  );
  const [merchant, wallet] = await Promise.all([generateSimKeyPair(), generateSimKeyPair()]);
  const captureFaults = new FaultQueue();
  const inquiryFaults = new FaultQueue();
  const forcedCodes: AlipayV2SimCode[] = [];
  const requests: AlipayV2RecordedRequest[] = [];

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
    const route = path.startsWith(`${prefix}/`) ? ROUTES[path.slice(prefix.length)] : undefined;
    if (!route) return answer(request, { result: simResult('INVALID_API') });
    if (request.method !== 'POST')
      return answer(request, { result: simResult('METHOD_NOT_SUPPORTED') });
    if (!/^application\/json\b/i.test(String(request.headers['content-type'] ?? ''))) {
      return answer(request, { result: simResult('MEDIA_TYPE_NOT_ACCEPTABLE') });
    }
    const refusal = authenticate(request, path);
    if (refusal) {
      // The wallet does not sign for a caller it could not authenticate.
      return answer(request, { result: simResult(refusal.code, refusal.message) }, 'unsigned');
    }
    const requestTime = String(request.headers['request-time'] ?? '');
    // The v2 pages show ISO-8601 with an offset; the official Java and Go SDKs send epoch ms.
    if (!ISO_WITH_OFFSET.test(requestTime) && !EPOCH_MS.test(requestTime)) {
      return answer(request, {
        result: simResult(
          'PARAM_ILLEGAL',
          'Illegal parameters: Request-Time must be ISO-8601 with an offset or epoch milliseconds.',
        ),
      });
    }
    const body = parseJsonObject(request.rawBody);
    if (!body)
      return answer(request, {
        result: simResult('PARAM_ILLEGAL', 'Illegal parameters: body is not a JSON object.'),
      });
    if (route === 'capture') return captureRoute(request, body);
    if (route === 'inquiry') return inquiryRoute(request, body);
    return cancelRoute(request, body);
  }

  function authenticate(request: SimRequest, path: string): Refusal | undefined {
    if (request.headers['client-id'] !== clientId) return new Refusal('CLIENT_INVALID');
    const signature = parseSignatureHeader(headerString(request.headers.signature));
    if (!signature)
      return new Refusal('SIGNATURE_INVALID', 'The signature header is missing or malformed.');
    if (signature.keyVersion !== undefined && signature.keyVersion !== keyVersion) {
      return new Refusal('KEY_NOT_FOUND');
    }
    const time = headerString(request.headers['request-time']);
    if (!time) return new Refusal('SIGNATURE_INVALID', 'The Request-Time header is missing.');
    const content = signedContent(request.method, path, clientId, time, request.rawBody);
    return verifyRsa256(content, signature.signature, merchant.publicKey)
      ? undefined
      : new Refusal('SIGNATURE_INVALID');
  }

  async function captureRoute(request: SimRequest, body: Record<string, unknown>): Promise<void> {
    const input = parseCaptureInput(body);
    if (input instanceof Refusal)
      return answer(request, { result: simResult(input.code, input.message) });
    const fault = captureFaults.take(REQUEST_FAULTS);
    if (fault?.kind === 'delay') await sleep(fault.ms ?? 100);
    if (fault?.kind === 'timeout_before_commit') return hang(request, fault.ms);
    if (fault?.kind === 'server_error') {
      sendJson(request.res, fault.status ?? 500, { error: 'internal_error' });
      return;
    }
    const forced = ledger.isNewCapture(input) ? forcedCodes.shift() : undefined;
    const forcedUnknown = forced && ALIPAY_V2_SIM_CODES[forced][0] === 'U' ? forced : undefined;
    const unknownCode =
      forcedUnknown ?? (fault?.kind === 'unknown_status' ? unknownStatusCode(fault) : undefined);
    const decision = ledger.capture(input, {
      processing: unknownCode !== undefined,
      ...(forced && !forcedUnknown ? { forcedCode: forced } : {}),
    });
    const reply = unknownCode
      ? {
          result: simResult(unknownCode),
          captureRequestId: input.captureRequestId,
          paymentId: input.paymentId,
        }
      : captureReply(input, decision);
    return misbehaveOrAnswer(request, reply, fault);
  }

  function captureReply(
    input: LedgerCaptureInput,
    decision: CaptureDecision,
  ): Record<string, unknown> {
    const echo = { captureRequestId: input.captureRequestId, paymentId: input.paymentId };
    if (decision.kind === 'refused') return { result: simResult(decision.code), ...echo };
    const capture = decision.capture;
    if (capture.status === 'failed') return { result: simResult(capture.resultCode), ...echo };
    if (capture.status === 'processing')
      return { result: simResult('CAPTURE_IN_PROCESS'), ...echo };
    return {
      result: simResult('SUCCESS'),
      captureRequestId: capture.idempotencyKey,
      captureId: capture.captureId,
      paymentId: capture.paymentId,
      captureAmount: wireAmount(capture.amount, capture.currency),
      captureTime: wireTime(capture.time),
      ...(capture.extendInfo !== undefined ? { extendInfo: capture.extendInfo } : {}),
    };
  }

  async function inquiryRoute(request: SimRequest, body: Record<string, unknown>): Promise<void> {
    const paymentId = body.paymentId;
    if (!isId(paymentId)) {
      return answer(request, {
        result: simResult('PARAM_ILLEGAL', 'Illegal parameters: paymentId.'),
      });
    }
    const fault = inquiryFaults.take(REQUEST_FAULTS);
    if (fault?.kind === 'delay') await sleep(fault.ms ?? 100);
    if (fault?.kind === 'timeout_before_commit' || fault?.kind === 'timeout_after_commit') {
      return hang(request, fault.ms);
    }
    if (fault?.kind === 'server_error') {
      sendJson(request.res, fault.status ?? 500, { error: 'internal_error' });
      return;
    }
    if (fault?.kind === 'unknown_status') {
      return answer(request, { result: simResult(unknownStatusCode(fault)) });
    }
    const payment = ledger.inquire(paymentId);
    const reply = payment ? inquiryReply(payment) : { result: simResult('ORDER_NOT_EXIST') };
    return misbehaveOrAnswer(request, reply, fault);
  }

  function inquiryReply(payment: LedgerPayment): Record<string, unknown> {
    const status = ledger.paymentStatus(payment);
    return {
      result: simResult('SUCCESS'),
      paymentId: payment.paymentId,
      paymentStatus: status === 'CANCELLED' ? 'CANCELLED' : 'SUCCESS',
      paymentAmount: wireAmount(payment.authorized.value, payment.authorized.currency),
      paymentTime: wireTime(payment.authorizedAt),
      transactions: payment.captures.map((capture) => transaction(capture)),
    };
  }

  function cancelRoute(request: SimRequest, body: Record<string, unknown>): void {
    const paymentId = body.paymentId;
    if (!isId(paymentId)) {
      answer(request, { result: simResult('PARAM_ILLEGAL', 'Illegal parameters: paymentId.') });
      return;
    }
    const outcome = ledger.cancel(paymentId);
    answer(request, {
      result: simResult(outcome),
      paymentId,
      ...(outcome === 'SUCCESS' ? { cancelTime: wireTime(clock.now()) } : {}),
    });
  }

  function misbehaveOrAnswer(
    request: SimRequest,
    reply: Record<string, unknown>,
    fault: Fault | undefined,
  ): void {
    if (fault?.kind === 'timeout_after_commit') hang(request, fault.ms);
    else if (fault?.kind === 'reset_after_commit') resetConnection(request);
    else answer(request, reply, fault?.kind === 'bad_signature' ? 'corrupt' : 'signed');
  }

  function answer(
    request: SimRequest,
    reply: Record<string, unknown>,
    signing: 'signed' | 'unsigned' | 'corrupt' = 'signed',
  ): void {
    const bytes = Buffer.from(JSON.stringify(reply), 'utf8');
    const time = wireTime(clock.now(), true);
    const headers: Record<string, string> = { 'client-id': clientId, 'response-time': time };
    if (signing !== 'unsigned') {
      const path = request.path.split('?')[0] ?? '';
      const signed = signedContent(request.method, path, clientId, time, bytes);
      // A corrupt signature is a real signature over different bytes: well-formed, wrong.
      const content = signing === 'corrupt' ? Buffer.concat([signed, Buffer.from(' ')]) : signed;
      headers.signature = `algorithm=RSA256, keyVersion=${keyVersion}, signature=${encodeURIComponent(signRsa256(content, wallet.privateKey))}`;
    }
    sendJson(request.res, 200, bytes.toString('utf8'), headers);
  }

  return {
    url: server.url,
    baseUrl: `${server.url}${prefix}`,
    prefix,
    credentials: {
      clientId,
      privateKey: merchant.privatePem,
      walletPublicKey: wallet.publicPem,
    },
    keyVersion,
    currency,
    faults: REQUEST_FAULTS,
    get requests() {
      return [...requests];
    },
    async authorize(authorizeOptions) {
      const payment = ledger.authorize(authorizeOptions, currency);
      return {
        paymentId: payment.paymentId,
        amount: payment.authorized,
        context: { currency: payment.authorized.currency },
      };
    },
    injectFault: (fault) => captureFaults.push(fault),
    injectInquiryFault: (fault) => inquiryFaults.push(fault),
    failNextCapture(resultCode, times = 1) {
      if (!isAlipayV2SimCode(resultCode) || ALIPAY_V2_SIM_CODES[resultCode][0] === 'S') {
        throw new TypeError(
          `failNextCapture: ${JSON.stringify(resultCode)} is not an F or U result code of the simulator.`,
        );
      }
      for (let i = 0; i < times; i++) forcedCodes.push(resultCode);
    },
    cancelPayment: (paymentId) => ledger.cancel(paymentId),
    advanceClock: (ms) => clock.advance(ms),
    async payment(paymentId) {
      const state = ledger.state(paymentId);
      if (!state) throw new Error(`The Alipay+ v2 simulator has no payment ${paymentId}.`);
      return state;
    },
    setWebhookUrl: () => {},
    async settle() {
      ledger.settle();
    },
    close: () => server.close(),
  };
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed !== '' && !/^(\/[A-Za-z0-9._-]+)+$/.test(trimmed)) {
    throw new TypeError(
      `startAlipayV2Simulator({ prefix }) must look like /api, /acl/api or /api/open (got ${JSON.stringify(prefix)}).`,
    );
  }
  return trimmed;
}

function unknownStatusCode(fault: Fault): AlipayV2SimCode {
  const code = fault.providerCode;
  return code && isAlipayV2SimCode(code) && ALIPAY_V2_SIM_CODES[code][0] === 'U'
    ? code
    : 'UNKNOWN_EXCEPTION';
}

function parseCaptureInput(body: Record<string, unknown>): LedgerCaptureInput | Refusal {
  const illegal = (field: string) => new Refusal('PARAM_ILLEGAL', `Illegal parameters: ${field}.`);
  const { captureRequestId, paymentId, captureAmount, isLastCapture, extendInfo } = body;
  if (!isId(captureRequestId)) return illegal('captureRequestId');
  if (!isId(paymentId)) return illegal('paymentId');
  let amount: Money | undefined;
  if (captureAmount !== undefined) {
    const wire = captureAmount as { currency?: unknown; value?: unknown } | null;
    if (typeof wire !== 'object' || wire === null) return illegal('captureAmount');
    if (typeof wire.currency !== 'string' || !/^[A-Z]{3}$/.test(wire.currency))
      return illegal('captureAmount.currency');
    // The seed: value is a String of minor units; a JSON number is refused.
    if (typeof wire.value !== 'string' || !/^[1-9][0-9]{0,17}$/.test(wire.value))
      return illegal('captureAmount.value');
    amount = { currency: wire.currency, value: BigInt(wire.value) };
  }
  // The seed types isLastCapture as boolean; the SDKs of the Alipay family also write the
  // strings "true" / "false" (the AMS convention), which mean the same.
  const isLast =
    isLastCapture === 'true' ? true : isLastCapture === 'false' ? false : isLastCapture;
  if (isLast !== undefined && typeof isLast !== 'boolean') return illegal('isLastCapture');
  if (extendInfo !== undefined && (typeof extendInfo !== 'string' || extendInfo.length > 4096)) {
    return illegal('extendInfo');
  }
  return {
    captureRequestId,
    paymentId,
    ...(amount ? { amount } : {}),
    isLastCapture: isLast ?? true,
    ...(extendInfo !== undefined ? { extendInfo } : {}),
  };
}

function transaction(capture: LedgerCapture): Record<string, unknown> {
  const status = { succeeded: 'SUCCESS', processing: 'PROCESSING', failed: 'FAIL' }[capture.status];
  return {
    transactionType: 'CAPTURE',
    transactionRequestId: capture.idempotencyKey,
    transactionId: capture.captureId,
    transactionStatus: status,
    transactionAmount: wireAmount(capture.amount, capture.currency),
    transactionTime: wireTime(capture.time),
    transactionResult: simResult(
      capture.status === 'processing' ? 'CAPTURE_IN_PROCESS' : capture.resultCode,
    ),
    isLastCapture: capture.final,
  };
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function wireAmount(value: bigint, currency: string): { value: string; currency: string } {
  return { value: value.toString(10), currency };
}

/** ISO-8601 with a numeric offset, as the wallet writes times (`2021-06-08T12:12:12+00:00`). */
function wireTime(epochMs: number, millis = false): string {
  const iso = new Date(epochMs).toISOString();
  return millis ? iso.replace(/Z$/, '+00:00') : iso.replace(/\.\d{3}Z$/, '+00:00');
}

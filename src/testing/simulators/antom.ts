import { parseSignatureHeader } from '../../provider-kit/rsa-signature.js';
import { ANTOM_RESULT_CODES } from '../../providers/antom/result-codes.js';
import {
  antomApiPath,
  isSandboxClientId,
  signAntomMessage,
  verifyAntomMessage,
} from '../../providers/antom/signing.js';
import type { AuthorizedPayment, Fault, FaultKind, SimulatedPaymentState } from '../harness.js';
import { createManualClock, type ManualClock } from '../manual-clock.js';
import { type AntomAuthorizeOptions, type AntomCommitMode, AntomLedger } from './antom-ledger.js';
import {
  type AntomNotification,
  AntomNotifier,
  DEFAULT_NOTIFY_RETRY_SCHEDULE_MS,
} from './antom-notifier.js';
import type { AntomSimContract } from './antom-sim-records.js';
import {
  type AntomCaptureBody,
  antomResult,
  antomTime,
  captureResponseBody,
  captureTransaction,
  checkCaptureBody,
  notifyCaptureBody,
} from './antom-wire.js';
import {
  BackgroundWork,
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
  WEBHOOK_FAULTS,
} from './sim-server.js';

export type { AntomAuthorizeOptions } from './antom-ledger.js';
export type { AntomNotification } from './antom-notifier.js';
export type { AntomSimContract } from './antom-sim-records.js';

/**
 * Options for {@link startAntomSimulator}.
 *
 * @example
 * ```ts
 * const sim = await startAntomSimulator({ contract: { partialCapture: true, multipleCaptures: true } });
 * ```
 */
export interface AntomSimulatorOptions {
  /** The simulator's clock (authorization age, captureTime, request-time). Default: a manual clock at the real time. */
  readonly clock?: ManualClock;
  /** Where notifyCapture is POSTed. Can be set later with `setWebhookUrl`. */
  readonly webhookUrl?: string;
  /** The merchant's client id. A `SANDBOX_` id is served under `/ams/sandbox/api/`. Default `SANDBOX_5YBZ0G2ZC0LE01234`. */
  readonly clientId?: string;
  /** What the merchant's contract allows. Default: full capture only, one capture. */
  readonly contract?: AntomSimContract;
  /** The merchant key version Antom knows; another one is KEY_NOT_FOUND. Default `'1'`. */
  readonly keyVersion?: string;
  /** Waits in ms before each notifyCapture attempt (its length is the number of attempts). Default 8 attempts, a few ms apart. */
  readonly notifyRetrySchedule?: readonly number[];
}

/**
 * One request the simulator received, for wire tests.
 *
 * @example
 * ```ts
 * const sent: AntomReceivedRequest | undefined = sim.requests.find((r) =>
 *   r.path.endsWith('/v1/payments/capture'),
 * );
 * JSON.parse(sent?.body ?? '{}').captureRequestId; // the capture's idempotencyKey
 * ```
 */
export interface AntomReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * An injected capture result (business-rule fault).
 *
 * @example
 * ```ts
 * sim.injectResult({ resultCode: 'RISK_REJECT' }); // next capture: Err risk_rejected, failed
 * sim.injectResult({ resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U', times: 2 });
 * ```
 */
export interface AntomResultInjection {
  readonly resultCode: string;
  /** Default: the status Antom documents for the code (F when unknown). */
  readonly resultStatus?: 'F' | 'U';
  /** How many captures it applies to. Default 1. */
  readonly times?: number;
}

/**
 * A running Antom simulator: a real HTTP server on 127.0.0.1 serving `capture`,
 * `inquiryPayment` and `cancel` under `/ams/api/v1/payments/` (or `/ams/sandbox/api/...`
 * for `SANDBOX_` client ids), verifying request signatures and signing its answers.
 *
 * Processing rules: a capture injected with `unknown_status` (or a U result) is stored as
 * PROCESSING and becomes final at the next `settle()` or at the payment's 2nd inquiry,
 * whichever comes first. A retry with the same `captureRequestId` while PROCESSING answers
 * CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT, as Antom's guide warns.
 *
 * @example
 * ```ts
 * const sim: AntomSimulator = await startAntomSimulator();
 * const client = createCaptureClient({
 *   providers: { antom: antom({ ...sim.credentials, baseUrl: sim.baseUrl }) },
 * });
 * const payment = await sim.authorize({ amount: 2000n, currency: 'USD' });
 * await client.capture({ provider: 'antom', paymentId: payment.paymentId });
 * (await sim.payment(payment.paymentId)).capturedTotal; // 2000n
 * ```
 */
export interface AntomSimulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** What to give `antom({ baseUrl })`. */
  readonly baseUrl: string;
  /** Spread into `antom({ ...credentials, baseUrl })`: keys generated at start-up (PEM). */
  readonly credentials: {
    readonly clientId: string;
    readonly privateKey: string;
    readonly antomPublicKey: string;
  };
  readonly clock: ManualClock;
  readonly faults: readonly FaultKind[];
  /** Every notifyCapture, in creation order, with each attempt's answer. */
  readonly notifications: readonly AntomNotification[];
  /** The last 200 requests received, oldest first. */
  readonly requests: readonly AntomReceivedRequest[];
  authorize(options: AntomAuthorizeOptions): Promise<AuthorizedPayment>;
  /** Queues a transport/webhook fault for the next capture (or its notifyCapture). */
  injectFault(fault: Fault): void;
  /** Makes the next capture(s) answer `resultCode` (RISK_REJECT, PROCESS_FAIL, …). */
  injectResult(injection: AntomResultInjection): void;
  advanceClock(ms: number): void;
  payment(paymentId: string): Promise<SimulatedPaymentState>;
  /** Voids an authorization upstream: captures then answer AUTH_CANCELLED. */
  cancelAuthorization(paymentId: string): void;
  setWebhookUrl(url: string | undefined): void;
  /** Finalizes PROCESSING captures and waits for every notifyCapture in flight. */
  settle(): Promise<void>;
  /** Releases notifications held by `webhook_out_of_order` without waiting for a later one. */
  flushHeldNotifications(): void;
  close(): Promise<void>;
}

const API = /^\/ams\/(sandbox\/)?api\/(v1\/payments\/(?:capture|inquiryPayment|cancel))$/;
const UNSIGNED_CODES = new Set(['SIGNATURE_INVALID', 'KEY_NOT_FOUND', 'CLIENT_INVALID']);
/** Injected codes Antom returns before it records anything (no idempotent replay). */
const NOT_RECORDED = new Set([...UNSIGNED_CODES, 'REQUEST_TRAFFIC_EXCEED_LIMIT', 'PARAM_ILLEGAL']);

/**
 * Starts an Antom simulator on 127.0.0.1 (port 0). Generates the merchant and Antom RSA key
 * pairs at start-up.
 *
 * @example
 * ```ts
 * const sim = await startAntomSimulator({ webhookUrl: 'http://127.0.0.1:8080/notify/antom' });
 * const adapter = antom({ ...sim.credentials, baseUrl: sim.baseUrl });
 * const payment = await sim.authorize({ amount: 2000n, currency: 'USD' });
 * ```
 */
export async function startAntomSimulator(
  options: AntomSimulatorOptions = {},
): Promise<AntomSimulator> {
  const clock = options.clock ?? createManualClock();
  const clientId = options.clientId ?? 'SANDBOX_5YBZ0G2ZC0LE01234';
  const keyVersion = options.keyVersion ?? '1';
  const contract: AntomSimContract = { ...options.contract };
  const [merchant, antomKeys] = await Promise.all([generateSimKeyPair(), generateSimKeyPair()]);
  const work = new BackgroundWork();
  const faults = new FaultQueue();
  const injections: { injection: AntomResultInjection; left: number }[] = [];
  const requests: AntomReceivedRequest[] = [];
  const notifier = new AntomNotifier(
    {
      clientId,
      antomPrivateKey: antomKeys.privateKey,
      now: () => clock.now(),
      schedule: options.notifyRetrySchedule ?? DEFAULT_NOTIFY_RETRY_SCHEDULE_MS,
      work,
    },
    options.webhookUrl,
  );
  const ledger = new AntomLedger(clock, contract, (capture) =>
    notifier.send(notifyCaptureBody(capture), capture.webhookFault),
  );

  function answer(
    request: SimRequest,
    status: number,
    body: unknown,
    signed: boolean,
    badSignature = false,
  ) {
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = {};
    if (signed) {
      const time = antomTime(clock.now());
      const path = request.path.split('?')[0] ?? request.path;
      headers['client-id'] = clientId;
      headers['response-time'] = time;
      headers.signature = signAntomMessage(antomKeys.privateKey, {
        method: request.method,
        path,
        clientId,
        time,
        body: badSignature ? Buffer.concat([bytes, Buffer.from(' ')]) : bytes,
      });
    }
    sendJson(request.res, status, bytes.toString('utf8'), headers);
  }

  function takeInjection(): AntomResultInjection | undefined {
    const entry = injections[0];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) injections.shift();
    return entry.injection;
  }

  /** Applies one capture; returns the body to answer and whether it may be signed. */
  function capture(
    body: AntomCaptureBody,
    forcedUnknown: string | undefined,
  ): { body: unknown; signed: boolean } {
    let mode: AntomCommitMode = {};
    // Injections apply to new captures only: a replay answers what the first attempt got.
    if (ledger.isNewCapture(body.captureRequestId)) {
      const injected = takeInjection();
      const injectedStatus =
        injected?.resultStatus ??
        (injected && Object.hasOwn(ANTOM_RESULT_CODES, injected.resultCode)
          ? ANTOM_RESULT_CODES[injected.resultCode as keyof typeof ANTOM_RESULT_CODES].status
          : 'F');
      if (injected && injectedStatus === 'F' && NOT_RECORDED.has(injected.resultCode)) {
        return {
          body: { result: antomResult(injected.resultCode) },
          signed: !UNSIGNED_CODES.has(injected.resultCode),
        };
      }
      const processingCode =
        forcedUnknown ?? (injected && injectedStatus === 'U' ? injected.resultCode : undefined);
      mode = {
        ...(injected && injectedStatus === 'F' ? { forcedCode: injected.resultCode } : {}),
        ...(processingCode !== undefined ? { processingCode } : {}),
        takeWebhookFault: () => faults.take(WEBHOOK_FAULTS),
      };
    }
    const decision = ledger.capture(body, mode);
    return decision.kind === 'refused'
      ? { body: { result: antomResult(decision.code) }, signed: true }
      : { body: captureResponseBody(decision.capture), signed: true };
  }

  function inquiry(json: Record<string, unknown>): unknown {
    const payment = ledger.find(json);
    if (!payment) return { result: antomResult('ORDER_NOT_EXIST') };
    const own = ledger.inquire(payment);
    return {
      result: antomResult('SUCCESS', 'S'),
      paymentId: payment.paymentId,
      paymentRequestId: payment.paymentRequestId,
      paymentStatus: payment.cancelled ? 'CANCELLED' : 'SUCCESS',
      paymentResultCode: 'SUCCESS',
      paymentResultMessage: 'success',
      paymentAmount: { currency: payment.amount.currency, value: payment.amount.value.toString() },
      paymentTime: antomTime(payment.authorizedAt),
      transactions: own.map(captureTransaction),
    };
  }

  function cancel(json: Record<string, unknown>): unknown {
    const decision = ledger.cancel(json);
    if (decision.kind === 'refused') return { result: antomResult(decision.code) };
    const { payment } = decision;
    return {
      result: antomResult('SUCCESS', 'S'),
      paymentId: payment.paymentId,
      paymentRequestId: payment.paymentRequestId,
      cancelTime: payment.cancelTime,
    };
  }

  /** Checks client, environment, method, media type and signature; an error answer or the parsed body. */
  function admit(
    request: SimRequest,
    api: string,
    sandbox: boolean,
  ): { reject: string; signed: boolean } | undefined {
    const headerClient = request.headers['client-id'];
    // ASSUMED: a sandbox id on the production path (or the reverse) is unknown there.
    if (
      headerClient !== clientId ||
      sandbox !== isSandboxClientId(clientId) ||
      antomApiPath(clientId, api) !== request.path
    ) {
      return { reject: 'CLIENT_INVALID', signed: false };
    }
    if (request.method !== 'POST') return { reject: 'METHOD_NOT_SUPPORTED', signed: true };
    if (!/application\/json/i.test(String(request.headers['content-type'] ?? ''))) {
      return { reject: 'MEDIA_TYPE_NOT_ACCEPTABLE', signed: true };
    }
    const signature =
      typeof request.headers.signature === 'string' ? request.headers.signature : undefined;
    const parsed = parseSignatureHeader(signature);
    if (parsed && (parsed.keyVersion ?? '1') !== keyVersion)
      return { reject: 'KEY_NOT_FOUND', signed: false };
    const time = request.headers['request-time'];
    const check = verifyAntomMessage(merchant.publicKey, signature, {
      method: request.method,
      path: request.path,
      clientId,
      time: typeof time === 'string' ? time : undefined,
      body: request.rawBody,
    });
    return check === 'valid' ? undefined : { reject: 'SIGNATURE_INVALID', signed: false };
  }

  async function handle(request: SimRequest): Promise<void> {
    requests.push({
      method: request.method,
      path: request.path,
      headers: { ...request.headers },
      body: request.rawBody.toString('utf8'),
    });
    if (requests.length > 200) requests.shift();
    const route = API.exec(request.path);
    if (!route?.[2]) {
      answer(request, 404, { result: antomResult('INVALID_API') }, false);
      return;
    }
    const api = route[2];
    const refused = admit(request, api, route[1] !== undefined);
    if (refused) {
      answer(request, 200, { result: antomResult(refused.reject) }, refused.signed);
      return;
    }
    const json = parseJsonObject(request.rawBody);
    if (!json) {
      answer(request, 200, { result: antomResult('PARAM_ILLEGAL') }, true);
      return;
    }
    if (api.endsWith('inquiryPayment')) {
      answer(request, 200, inquiry(json), true);
      return;
    }
    if (api.endsWith('cancel')) {
      answer(request, 200, cancel(json), true);
      return;
    }
    const fault = faults.take(REQUEST_FAULTS);
    if (fault?.kind === 'delay') await sleep(fault.ms ?? 100);
    if (fault?.kind === 'timeout_before_commit') {
      hang(request, fault.ms);
      return;
    }
    if (fault?.kind === 'server_error') {
      const status = fault.status ?? 500;
      answer(request, status, { result: antomResult('SYSTEM_ERROR', 'U') }, false);
      return;
    }
    const body = checkCaptureBody(json);
    if (typeof body === 'string') {
      answer(
        request,
        200,
        { result: { ...antomResult('PARAM_ILLEGAL'), resultMessage: body } },
        true,
      );
      return;
    }
    const forcedUnknown =
      fault?.kind === 'unknown_status' ? (fault.providerCode ?? 'UNKNOWN_EXCEPTION') : undefined;
    const outcome = capture(body, forcedUnknown);
    if (fault?.kind === 'timeout_after_commit') {
      hang(request, fault.ms);
      return;
    }
    if (fault?.kind === 'reset_after_commit') {
      resetConnection(request);
      return;
    }
    answer(request, 200, outcome.body, outcome.signed, fault?.kind === 'bad_signature');
  }

  const server = await startSimServer(handle);

  const sim: AntomSimulator = {
    url: server.url,
    baseUrl: server.url,
    credentials: {
      clientId,
      privateKey: merchant.privatePem,
      antomPublicKey: antomKeys.publicPem,
    },
    clock,
    faults: [...REQUEST_FAULTS, ...WEBHOOK_FAULTS],
    notifications: notifier.log,
    requests,
    async authorize(authorizeOptions) {
      const payment = ledger.authorize(authorizeOptions);
      return {
        paymentId: payment.paymentId,
        amount: payment.amount,
        context: {
          paymentMethod: payment.paymentMethodType,
          currency: payment.amount.currency,
          ...(payment.cardBrand ? { cardBrand: payment.cardBrand } : {}),
          ...(payment.issuerCountry ? { issuerCountry: payment.issuerCountry } : {}),
        },
      };
    },
    injectFault(fault) {
      faults.push(fault);
    },
    injectResult(injection) {
      injections.push({ injection, left: injection.times ?? 1 });
    },
    advanceClock(ms) {
      clock.advance(ms);
    },
    async payment(paymentId) {
      return ledger.state(paymentId);
    },
    cancelAuthorization(paymentId) {
      ledger.cancelAuthorization(paymentId);
    },
    setWebhookUrl(url) {
      notifier.url = url;
    },
    async settle() {
      ledger.settle();
      await work.settle();
    },
    flushHeldNotifications() {
      notifier.flushHeld();
    },
    async close() {
      work.close();
      faults.clear();
      await server.close();
    },
  };
  return sim;
}

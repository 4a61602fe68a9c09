import type { CaptureClient } from '../../src/core/client.js';
import { type CaptureClientOptions, createCaptureClient } from '../../src/core/client.js';
import type { CaptureEvent } from '../../src/core/webhook-types.js';
import { adyen } from '../../src/providers/adyen/index.js';
import { alipayV2 } from '../../src/providers/alipay-v2/index.js';
import { antom } from '../../src/providers/antom/index.js';
import { checkout } from '../../src/providers/checkout/index.js';
import type { FaultProxyClassifier } from '../../src/testing/classify-provider-request.js';
import {
  startWebhookRecorder,
  type WebhookRecorder,
} from '../../src/testing/conformance-webhook-recorder.js';
import { type FaultProxy, startFaultProxy } from '../../src/testing/fault-proxy.js';
import type { FaultProxyForward } from '../../src/testing/fault-proxy-options.js';
import type { AuthorizedPayment, SimulatedPaymentState } from '../../src/testing/harness.js';
import { type AdyenSimulator, startAdyenSimulator } from '../../src/testing/simulators/adyen.js';
import {
  type AlipayV2Simulator,
  startAlipayV2Simulator,
} from '../../src/testing/simulators/alipay-v2.js';
import { type AntomSimulator, startAntomSimulator } from '../../src/testing/simulators/antom.js';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';
import {
  AUTHORIZED,
  type CommandSpace,
  type ProfileName,
  type SimFault,
} from './explorer-commands.js';
import {
  type CrashableJournal,
  crashableJournal,
  type ExplorerDatabase,
  MEMORY_DATABASE,
} from './explorer-journal.js';
import { stripeExplorerAdapter } from './explorer-stripe.js';

/**
 * One simulator behind a fault proxy, a webhook receiver, and a factory of clients pointed
 * at the proxy. Shared by the runs of one profile (each run authorizes its own payment and
 * gets its own client); simulator faults are armed here and applied by the proxy just
 * before the request they are meant for reaches the simulator, so none leaks into a later run.
 */
export interface ExplorerEnv {
  readonly profile: ProfileName;
  /** The client's name for the provider. */
  readonly provider: string;
  readonly currency: string;
  readonly space: CommandSpace;
  readonly proxy: FaultProxy;
  /** Narrows inquiry faults to the request that carries the answer (Checkout.com: `/actions`). */
  readonly inquiryPath?: RegExp;
  /** Distinct per run of this environment, for idempotency keys. */
  nextRunId(): number;
  /** The journal the clients write to (`memory`: each client its own). */
  readonly journal: ExplorerDatabase['name'];
  /**
   * The client's name for the provider in run `runId`: with a durable journal one name per
   * run, so runs sharing the database never see (or reconcile) each other's intents.
   */
  providerName(runId: number): string;
  /** A client (over a NEW journal instance on the shared database, when durable). */
  newClient(provider?: string): ExplorerClient;
  /**
   * A restart takes time: the dead process's last request (a timeout answer does not mean
   * it stopped travelling) reaches the provider, then the clients' clock moves past every
   * in-flight window of the dead process.
   */
  passRestartTime(): Promise<void>;
  authorize(): Promise<AuthorizedPayment>;
  payment(paymentId: string): Promise<SimulatedPaymentState>;
  settle(): Promise<void>;
  /** Every verified webhook event received so far, oldest first. */
  events(): readonly CaptureEvent[];
  /** Arms a simulator fault for the next request of that class. */
  armSim(on: 'capture' | 'inquiry', fault: SimFault): void;
  /** Drops armed simulator faults and queued proxy faults. */
  clearFaults(): void;
  close(): Promise<void>;
}

/** A client and, with a durable journal, the journal it writes to (which can "die"). */
export interface ExplorerClient {
  readonly client: CaptureClient;
  readonly journal?: CrashableJournal;
}

export interface ExplorerEnvOptions {
  /** The adapters' `timeoutMs`: what every timeout fault costs in real time. */
  readonly timeoutMs: number;
  /**
   * `checkout-async`: real ms between the 202 and the capture's result. Long enough for an
   * inquiry right after a lost answer to meet `Capture Pending`, short enough that
   * `settle()` costs little.
   */
  readonly checkoutProcessingMs: number;
  /** The shared database of a durable journal; memory when absent. */
  readonly database?: ExplorerDatabase;
}

export const DEFAULT_ENV_OPTIONS: ExplorerEnvOptions = { timeoutMs: 200, checkoutProcessingMs: 30 };

const ALIPAY_FAMILY_CAPTURE_FAULTS = (uCodes: readonly string[], declines: readonly string[]) => [
  ...uCodes.map((code): SimFault => ({ sim: 'unknown_status', code })),
  { sim: 'bad_signature' } as const,
  ...[...uCodes, ...declines].map((code): SimFault => ({ sim: 'result', code })),
];

const WEBHOOK_FAULTS: readonly SimFault[] = [
  { sim: 'webhook', kind: 'webhook_duplicate' },
  { sim: 'webhook', kind: 'webhook_missing' },
  { sim: 'webhook', kind: 'webhook_bad_signature' },
];

/** What every client gets besides its adapter: the journal and the clock. */
export type ClientExtra = Pick<CaptureClientOptions, 'journal' | 'now'>;

export interface SimAdapter {
  readonly space: CommandSpace;
  readonly provider: string;
  readonly currency: string;
  readonly inquiryPath?: RegExp;
  readonly baseUrl: string;
  readonly webhookPath?: string;
  /** Request classes for the proxy when the built-in classifier does not know the paths. */
  readonly classify?: FaultProxyClassifier;
  makeClient(baseUrl: string, name: string, extra: ClientExtra): CaptureClient;
  authorize(): Promise<AuthorizedPayment>;
  payment(paymentId: string): Promise<SimulatedPaymentState>;
  settle(): Promise<void>;
  setWebhookUrl(url: string): void;
  /** Applies an armed fault to the request about to be forwarded; false when it cannot apply to it. */
  apply(
    fault: SimFault,
    on: 'capture' | 'inquiry',
    request: FaultProxyForward,
    newKey: boolean,
  ): Promise<boolean>;
  close(): Promise<void>;
}

async function antomAdapter(multi: boolean, options: ExplorerEnvOptions): Promise<SimAdapter> {
  const contract = multi ? { partialCapture: true, multipleCaptures: true } : undefined;
  const sim: AntomSimulator = await startAntomSimulator(contract ? { contract } : {});
  return {
    space: {
      multi,
      simCaptureFaults: [
        ...ALIPAY_FAMILY_CAPTURE_FAULTS(
          ['UNKNOWN_EXCEPTION', 'CAPTURE_IN_PROCESS'],
          ['RISK_REJECT', 'PROCESS_FAIL', 'REQUEST_TRAFFIC_EXCEED_LIMIT'],
        ),
        ...WEBHOOK_FAULTS,
      ],
      simInquiryFaults: [],
    },
    provider: 'antom',
    currency: 'USD',
    baseUrl: sim.baseUrl,
    webhookPath: '/webhooks/antom',
    makeClient: (baseUrl, name, extra) =>
      // The production default grace (5 s): under load a simulator may answer after the
      // client gave up, exactly as a real provider may (10,000-run finding).
      createCaptureClient({
        ...extra,
        providers: {
          [name]: antom({
            ...sim.credentials,
            baseUrl,
            timeoutMs: options.timeoutMs,
            ...(contract ? { contract } : {}),
          }),
        },
      }),
    authorize: () => sim.authorize({ amount: AUTHORIZED, currency: 'USD', cardBrand: 'visa' }),
    payment: (id) => sim.payment(id),
    settle: () => sim.settle(),
    setWebhookUrl: (url) => sim.setWebhookUrl(url),
    async apply(fault, on, _request, newKey) {
      if (on !== 'capture') return false;
      switch (fault.sim) {
        case 'unknown_status':
          sim.injectFault({ kind: 'unknown_status', providerCode: fault.code });
          return true;
        case 'bad_signature':
          sim.injectFault({ kind: 'bad_signature' });
          return true;
        case 'result':
          // Only a capture Antom has not seen takes an injected result; a replay would leave it queued.
          if (!newKey) return false;
          sim.injectResult({ resultCode: fault.code });
          return true;
        case 'webhook':
          if (!newKey) return false;
          sim.injectFault({ kind: fault.kind });
          return true;
      }
    },
    close: () => sim.close(),
  };
}

async function alipayV2Adapter(options: ExplorerEnvOptions): Promise<SimAdapter> {
  const sim: AlipayV2Simulator = await startAlipayV2Simulator();
  return {
    space: {
      multi: true,
      simCaptureFaults: ALIPAY_FAMILY_CAPTURE_FAULTS(
        ['UNKNOWN_EXCEPTION', 'CAPTURE_IN_PROCESS'],
        ['RISK_REJECT', 'USER_BALANCE_NOT_ENOUGH', 'REQUEST_TRAFFIC_EXCEED_LIMIT'],
      ),
      simInquiryFaults: [
        { sim: 'unknown_status', code: 'UNKNOWN_EXCEPTION' },
        { sim: 'bad_signature' },
      ],
    },
    provider: 'wallet',
    currency: 'USD',
    baseUrl: sim.baseUrl,
    makeClient: (baseUrl, name, extra) =>
      createCaptureClient({
        ...extra,
        providers: {
          [name]: alipayV2({ ...sim.credentials, baseUrl, timeoutMs: options.timeoutMs }),
        },
      }),
    authorize: () => sim.authorize({ amount: AUTHORIZED, currency: 'USD' }),
    payment: (id) => sim.payment(id),
    settle: () => sim.settle(),
    setWebhookUrl: () => {},
    async apply(fault, on, _request, newKey) {
      if (on === 'inquiry') {
        if (fault.sim === 'unknown_status') {
          sim.injectInquiryFault({ kind: 'unknown_status', providerCode: fault.code });
          return true;
        }
        if (fault.sim === 'bad_signature') {
          sim.injectInquiryFault({ kind: 'bad_signature' });
          return true;
        }
        return false;
      }
      switch (fault.sim) {
        case 'unknown_status':
          sim.injectFault({ kind: 'unknown_status', providerCode: fault.code });
          return true;
        case 'bad_signature':
          sim.injectFault({ kind: 'bad_signature' });
          return true;
        case 'result':
          if (!newKey) return false;
          sim.failNextCapture(fault.code);
          return true;
        case 'webhook':
          return false;
      }
    },
    close: () => sim.close(),
  };
}

async function checkoutAdapter(
  options: ExplorerEnvOptions,
  processingDelayMs: number,
): Promise<SimAdapter> {
  const sim: CheckoutSimulator = await startCheckoutSimulator({ processingDelayMs });
  /** Whether the simulator will accept this capture (so it consumes a decline or webhook fault). */
  async function willAccept(request: FaultProxyForward): Promise<boolean> {
    const paymentId = /\/payments\/([^/]+)\/captures/.exec(request.path)?.[1];
    if (!paymentId) return false;
    const state = await sim.payment(decodeURIComponent(paymentId));
    const live = state.captures.filter((c) => c.status !== 'failed');
    if (live.some((c) => c.final) || state.status === 'Voided') return false;
    const remaining = state.authorized.value - state.capturedTotal;
    const body =
      request.body.length > 0
        ? (JSON.parse(request.body.toString('utf8')) as { amount?: number })
        : {};
    const amount = body.amount === undefined ? remaining : BigInt(body.amount);
    return remaining > 0n && amount <= remaining;
  }
  return {
    space: {
      multi: true,
      simCaptureFaults: [
        ...['20051', '20005', '30004'].map((code): SimFault => ({ sim: 'result', code })),
        ...WEBHOOK_FAULTS,
      ],
      simInquiryFaults: [],
    },
    provider: 'cko',
    currency: 'EUR',
    // Checkout.com's resolve reads /actions and, alongside, the payment: faults go to /actions.
    inquiryPath: /\/actions(\?|$)/,
    baseUrl: sim.baseUrl,
    webhookPath: '/webhooks/cko',
    makeClient: (baseUrl, name, extra) =>
      createCaptureClient({
        ...extra,
        providers: {
          [name]: checkout({ ...sim.credentials, baseUrl, timeoutMs: options.timeoutMs }),
        },
      }),
    authorize: () => sim.authorize({ amount: AUTHORIZED, currency: 'EUR', cardBrand: 'visa' }),
    payment: (id) => sim.payment(id),
    settle: () => sim.settle(),
    setWebhookUrl: (url) => sim.setWebhookUrl(url),
    async apply(fault, on, request, newKey) {
      if (on !== 'capture' || !newKey || !(await willAccept(request))) return false;
      if (fault.sim === 'result') {
        sim.declineNextCapture(fault.code);
        return true;
      }
      if (fault.sim === 'webhook') {
        sim.injectFault({ kind: fault.kind });
        return true;
      }
      return false;
    },
    close: () => sim.close(),
  };
}

/**
 * Adyen with multiple partial captures enabled: 201 received, results only in CAPTURE
 * webhooks (processed at `settle()`), and a resolve() that re-sends the same request with the
 * same key (a capture-class request: there is no inquiry to fault).
 */
async function adyenAdapter(options: ExplorerEnvOptions): Promise<SimAdapter> {
  const sim: AdyenSimulator = await startAdyenSimulator({ multiplePartialCaptures: true });
  return {
    space: {
      multi: true,
      simCaptureFaults: [
        ...['Insufficient balance on payment', 'Authorisation expired'].map(
          (code): SimFault => ({ sim: 'result', code }),
        ),
        ...WEBHOOK_FAULTS,
      ],
      simInquiryFaults: [],
    },
    provider: 'adyen',
    currency: 'EUR',
    baseUrl: sim.baseUrl,
    webhookPath: '/webhooks/adyen',
    makeClient: (baseUrl, name, extra) =>
      createCaptureClient({
        ...extra,
        providers: {
          [name]: adyen({
            ...sim.credentials,
            baseUrl,
            multiplePartialCaptures: true,
            timeoutMs: options.timeoutMs,
          }),
        },
      }),
    authorize: () => sim.authorize({ amount: AUTHORIZED, currency: 'EUR' }),
    payment: (id) => sim.payment(id),
    settle: () => sim.settle(),
    setWebhookUrl: (url) => sim.setWebhookUrl(url),
    async apply(fault, on, _request, newKey) {
      // A decline or webhook fault applies to the capture a new key produces.
      if (on !== 'capture' || !newKey) return false;
      if (fault.sim === 'result') {
        sim.declineNextCapture(fault.code);
        return true;
      }
      if (fault.sim === 'webhook') {
        sim.injectFault({ kind: fault.kind });
        return true;
      }
      return false;
    },
    close: () => sim.close(),
  };
}

function startAdapter(profile: ProfileName, options: ExplorerEnvOptions): Promise<SimAdapter> {
  switch (profile) {
    case 'antom-multi':
      return antomAdapter(true, options);
    case 'antom-full':
      return antomAdapter(false, options);
    case 'alipay-v2':
      return alipayV2Adapter(options);
    case 'checkout':
      return checkoutAdapter(options, 0);
    case 'checkout-async':
      return checkoutAdapter(options, options.checkoutProcessingMs);
    case 'stripe':
      return stripeExplorerAdapter(options);
    case 'adyen':
      return adyenAdapter(options);
  }
}

/** The idempotency key a capture request carries, read from the wire. */
function wireKey(request: FaultProxyForward): string | undefined {
  const header = request.headers['cko-idempotency-key'] ?? request.headers['idempotency-key'];
  if (typeof header === 'string') return header;
  try {
    const body = JSON.parse(request.body.toString('utf8')) as { captureRequestId?: unknown };
    return typeof body.captureRequestId === 'string' ? body.captureRequestId : undefined;
  } catch {
    return undefined;
  }
}

/** Numbers the environments of this process (provider names unique in a shared database). */
let envSerial = 0;

/** Starts a profile's simulator, proxy and webhook receiver. */
export async function startExplorerEnv(
  profile: ProfileName,
  options: ExplorerEnvOptions = DEFAULT_ENV_OPTIONS,
): Promise<ExplorerEnv> {
  const adapter = await startAdapter(profile, options);
  const armed: Record<'capture' | 'inquiry', SimFault[]> = { capture: [], inquiry: [] };
  // Keys the simulator has seen: an injected result only applies to a capture it has not.
  const seenKeys = new Set<string>();

  async function beforeForward(request: FaultProxyForward): Promise<void> {
    if (request.requestClass !== 'capture' && request.requestClass !== 'inquiry') return;
    const on = request.requestClass;
    const key = on === 'capture' ? wireKey(request) : undefined;
    const newKey = key !== undefined && !seenKeys.has(key);
    if (key !== undefined) seenKeys.add(key);
    const queue = armed[on];
    // The first armed fault that can apply to this request is used; the others wait.
    for (let i = 0; i < queue.length; i++) {
      const fault = queue[i] as SimFault;
      if (await adapter.apply(fault, on, request, newKey)) {
        queue.splice(i, 1);
        return;
      }
    }
  }

  const proxy = await startFaultProxy({
    target: adapter.baseUrl,
    beforeForward,
    ...(adapter.classify ? { classify: adapter.classify } : {}),
  });
  let recorder: WebhookRecorder | undefined;
  if (adapter.webhookPath) {
    recorder = await startWebhookRecorder(adapter.webhookPath);
    adapter.setWebhookUrl(recorder.url);
  }
  let runs = 0;
  const events: CaptureEvent[] = [];
  const database = options.database ?? MEMORY_DATABASE;
  const durable = database.name !== 'memory';
  envSerial += 1;
  const serial = envSerial;
  let clockOffsetMs = 0;
  const now = () => Date.now() + clockOffsetMs;
  return {
    profile,
    provider: adapter.provider,
    currency: adapter.currency,
    space: { ...adapter.space, crashRestart: durable },
    journal: database.name,
    proxy,
    ...(adapter.inquiryPath ? { inquiryPath: adapter.inquiryPath } : {}),
    nextRunId: () => {
      runs += 1;
      return runs;
    },
    providerName: (runId) =>
      durable ? `${adapter.provider}-e${serial}r${runId}` : adapter.provider,
    newClient(provider = adapter.provider) {
      const inner = database.newJournal();
      const journal = inner ? crashableJournal(inner) : undefined;
      const client = adapter.makeClient(proxy.baseUrl, provider, {
        ...(journal ? { journal } : {}),
        ...(durable ? { now } : {}),
      });
      recorder?.attach((onEvent, handlerOptions) =>
        client.webhookHandler(provider, onEvent, handlerOptions),
      );
      return journal ? { client, journal } : { client };
    },
    async passRestartTime() {
      // A restart takes seconds: by then the dead process's last request, if it left, has
      // reached the provider. Let it (it may still sit in a socket on a busy machine)
      // before the clock moves past the adapter's timeout + slack + in-flight grace (5 s),
      // or a resolve() would be told "not found" about a request still on its way — a
      // world no real restart sees (a 150-run exploration hit it once on checkout-async).
      await new Promise((wake) => setTimeout(wake, 25));
      await proxy.whenIdle();
      clockOffsetMs += options.timeoutMs + 60_000;
    },
    authorize: () => adapter.authorize(),
    payment: (id) => adapter.payment(id),
    settle: () => adapter.settle(),
    events() {
      // Grows a mirror instead of copying the recorder's list: runs read it often.
      const recorded = recorder?.events ?? [];
      for (let i = events.length; i < recorded.length; i++) {
        events.push((recorded[i] as (typeof recorded)[number]).value);
      }
      return events;
    },
    armSim(on, fault) {
      armed[on].push(fault);
    },
    clearFaults() {
      armed.capture.length = 0;
      armed.inquiry.length = 0;
      proxy.clearFaults();
    },
    async close() {
      await proxy.close();
      await adapter.close();
      await recorder?.close();
    },
  };
}

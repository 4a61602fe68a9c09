import type { CapabilityContext } from '../core/capabilities.js';
import type { CaptureClient } from '../core/client.js';
import type { Money } from '../core/money.js';

/**
 * Faults a simulator can inject into the next capture request (or webhook delivery).
 *
 * - `delay`: answer normally after `ms`.
 * - `timeout_before_commit`: hang past the client's timeout; the capture is NOT recorded.
 * - `timeout_after_commit`: record the capture, then hang past the client's timeout.
 * - `reset_after_commit`: record the capture, then destroy the socket without answering.
 * - `server_error`: answer `status` (500 by default, or 502) without recording anything.
 * - `unknown_status`: record the capture as processing and answer the provider's
 *   "result unknown" (Antom `U` / `UNKNOWN_EXCEPTION`, `CAPTURE_IN_PROCESS` with
 *   `providerCode`); an inquiry then reports the final result.
 * - `bad_signature`: record the capture, answer with a response signature that does not verify.
 * - `webhook_duplicate` / `webhook_delayed` (`ms`) / `webhook_missing` /
 *   `webhook_out_of_order` / `webhook_bad_signature`: applied to the webhook(s) the next
 *   capture produces.
 *
 * @example
 * ```ts
 * const kinds: readonly FaultKind[] = sim.faults;
 * if (kinds.includes('unknown_status')) sim.injectFault({ kind: 'unknown_status' });
 * ```
 */
export type FaultKind =
  | 'delay'
  | 'timeout_before_commit'
  | 'timeout_after_commit'
  | 'reset_after_commit'
  | 'server_error'
  | 'unknown_status'
  | 'bad_signature'
  | 'webhook_duplicate'
  | 'webhook_delayed'
  | 'webhook_missing'
  | 'webhook_out_of_order'
  | 'webhook_bad_signature';

/**
 * One injected fault.
 *
 * @example
 * ```ts
 * sim.injectFault({ kind: 'timeout_after_commit' });
 * sim.injectFault({ kind: 'server_error', status: 502 });
 * sim.injectFault({ kind: 'unknown_status', providerCode: 'CAPTURE_IN_PROCESS' });
 * ```
 */
export interface Fault {
  readonly kind: FaultKind;
  /** For `delay` and `webhook_delayed`; for the timeouts, how long to hang (default: until the socket closes). */
  readonly ms?: number;
  /** For `server_error`: 500 (default), 502, 503, 504. */
  readonly status?: number;
  /** For `unknown_status`: which provider code to answer with. */
  readonly providerCode?: string;
  /** For business-rule faults some simulators add (e.g. `RISK_REJECT`): the code to force. */
  readonly resultCode?: string;
  /** How many requests the fault applies to. Default 1. */
  readonly times?: number;
}

/**
 * A payment authorized on a simulator, ready to be captured.
 *
 * @example
 * ```ts
 * const payment: AuthorizedPayment = await sim.authorize({ amount: 6540n, currency: 'EUR' });
 * const caps = client.capabilities('cko', payment.context);
 * await client.capture({ provider: 'cko', paymentId: payment.paymentId, amount: payment.amount });
 * ```
 */
export interface AuthorizedPayment {
  readonly paymentId: string;
  readonly amount: Money;
  /** What to pass as `context` to `capabilities()` / `capture()` for this payment. */
  readonly context: CapabilityContext;
}

/**
 * One capture as the simulator recorded it.
 *
 * @example
 * ```ts
 * const { captures } = await sim.payment(payment.paymentId);
 * const capture: SimulatedCapture | undefined = captures.find((c) => c.idempotencyKey === key);
 * expect(capture?.status).toBe('succeeded');
 * ```
 */
export interface SimulatedCapture {
  readonly idempotencyKey: string;
  readonly captureId: string;
  readonly amount: bigint;
  readonly status: 'succeeded' | 'processing' | 'failed';
  readonly final: boolean;
}

/**
 * The simulator's view of a payment: the ground truth the conformance suite checks.
 *
 * @example
 * ```ts
 * const state: SimulatedPaymentState = await sim.payment(payment.paymentId);
 * expect(state.capturedTotal).toBe(payment.amount.value);
 * expect(state.captures).toHaveLength(1);
 * ```
 */
export interface SimulatedPaymentState {
  readonly paymentId: string;
  readonly authorized: Money;
  /** Sum of succeeded and processing captures. */
  readonly capturedTotal: bigint;
  /** Provider-flavoured status, e.g. `'Authorized'`, `'Partially Captured'`, `'CLOSED'`. */
  readonly status: string;
  readonly captures: readonly SimulatedCapture[];
}

/**
 * Options for {@link ConformanceHarness.authorize}.
 *
 * @example
 * ```ts
 * const options: AuthorizeOptions = { amount: 6540n, currency: 'EUR', cardBrand: 'mastercard' };
 * const payment = await harness.authorize(options);
 * ```
 */
export interface AuthorizeOptions {
  /** Minor units. */
  readonly amount: bigint;
  readonly currency?: string;
  /** `AUTOMATIC` captures by itself and only notifies (where the provider has that mode). */
  readonly captureMode?: 'MANUAL' | 'AUTOMATIC';
  /** Card scheme, for providers whose rules depend on it. */
  readonly cardBrand?: string;
}

/**
 * What `testProvider()` needs from an adapter + its simulator. Each provider's test file
 * builds one from its simulator; see `src/testing/conformance.ts`.
 *
 * @example
 * ```ts
 * const sim = await startAntomSimulator({ webhookUrl });
 * const client = createCaptureClient({
 *   providers: { antom: antom({ ...sim.credentials, baseUrl: sim.baseUrl }) },
 * });
 * const harness: ConformanceHarness = {
 *   client, provider: 'antom', currency: 'USD', faults: sim.faults,
 *   authorize: (options) => sim.authorize(options),
 *   injectFault: (fault) => sim.injectFault(fault),
 *   advanceClock: (ms) => sim.advanceClock(ms),
 *   payment: (paymentId) => sim.payment(paymentId),
 *   settle: () => sim.settle(),
 *   close: async () => { await client.close(); await sim.close(); },
 * };
 * ```
 */
export interface ConformanceHarness {
  /** A client whose `provider` entry is the adapter under test, pointed at the simulator. */
  readonly client: CaptureClient;
  /** The adapter's name inside `client`. */
  readonly provider: string;
  /** The currency payments are authorized in by default. */
  readonly currency: string;
  /** The faults this simulator can inject; the fault matrix runs exactly these. */
  readonly faults: readonly FaultKind[];
  authorize(options: AuthorizeOptions): Promise<AuthorizedPayment>;
  /** Applies to the next capture request (or its webhook). */
  injectFault(fault: Fault): void;
  /** Moves the simulator's clock forward. */
  advanceClock(ms: number): void;
  payment(paymentId: string): Promise<SimulatedPaymentState>;
  /** Lets queued work (processing captures, webhooks) finish. Optional. */
  settle?(): Promise<void>;
  /**
   * A new client over the same adapter with a fresh journal — what a restarted process
   * without a durable journal has. With it, the suite also checks the provider's own
   * idempotency (the journal answers replays in-process). Optional.
   */
  restartClient?(): CaptureClient;
  /**
   * `'webhook'` when the provider has no capture-status inquiry, so only a verified webhook
   * proves a capture's result (Adyen: `resolve()` re-sends under the same key and can prove
   * a capture was *received*, never that it succeeded). The fault rows then check that
   * honest answer instead of the inquiry's: `resolve()` stays `Ok(pending)` when no verified
   * webhook arrived, and answers `Ok(pending)` (the re-send is the capture) where an
   * inquiring provider answers `capture_not_found`. Default `'inquiry'`.
   */
  readonly resultsProvenBy?: 'inquiry' | 'webhook';
  close(): Promise<void>;
}

/**
 * What the conformance suite gives `setup()`: where the library's webhook handler listens.
 *
 * @example
 * ```ts
 * testProvider({
 *   name: 'antom',
 *   // ctx.webhookUrl: 'http://127.0.0.1:<port>/webhooks/antom'; ctx.webhookPath: '/webhooks/antom'
 *   setup: (ctx: ConformanceSetupContext) => buildAntomHarness(ctx.webhookUrl),
 * });
 * ```
 */
export interface ConformanceSetupContext {
  /** Full URL of a node:http server running `client.webhookHandler(provider, …)`. */
  readonly webhookUrl: string;
  /** Its path part (`/webhooks/<name>`), which Antom signs. */
  readonly webhookPath: string;
}

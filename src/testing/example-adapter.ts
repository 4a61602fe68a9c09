import { randomBytes, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../core/capture.js';
import { createCaptureClient } from '../core/client.js';
import {
  type CaptureError,
  captureError,
  UNKNOWN_OUTCOME_ADVICE,
  type WebhookError,
} from '../core/errors.js';
import type {
  CaptureProviderV1,
  ProviderCaptureRequest,
  ProviderResolveRequest,
} from '../core/spec.js';
import {
  headerValue,
  type ProviderCaptureEvent,
  type WebhookRequest,
} from '../core/webhook-types.js';
import { capabilitiesFor, type ExampleHarnessOptions } from './example-adapter-profile.js';
import {
  ExampleBackend,
  hmacHex,
  KIND,
  type LedgerCapture,
  paymentNotFound,
  SIGNATURE_HEADER,
} from './example-backend.js';
import type { ConformanceHarness, ConformanceSetupContext, FaultKind } from './harness.js';
import { REQUEST_FAULTS, sleep, WEBHOOK_FAULTS } from './simulators/sim-server.js';

export type {
  ExampleAdapterBugs,
  ExampleAdapterProfile,
  ExampleHarnessOptions,
} from './example-adapter-profile.js';

/**
 * The example adapter of docs/adding-a-provider.md: a complete `CaptureProviderV1` over an
 * in-memory provider (example-backend.ts), small enough to read in one sitting. Request
 * faults return exactly the `CaptureError` the real transport would produce; webhooks
 * really travel over loopback, HMAC-signed. The conformance suite runs against it
 * (test/core/conformance-memory.test.ts), including with deliberate bugs.
 */
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
function exampleAdapter(backend: ExampleBackend): CaptureProviderV1 {
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

/**
 * The example adapter's conformance harness: a client around the adapter, plus the
 * backend's controls.
 *
 * @example
 * ```ts
 * const harness: ExampleHarness = await startExampleHarness(ctx);
 * harness.setWebhookUrl('http://127.0.0.1:8080/webhooks/memory');
 * ```
 */
export interface ExampleHarness extends ConformanceHarness {
  /** Where the provider's webhooks go (can be changed after start). */
  setWebhookUrl(url: string): void;
}

const ALL_FAULTS: readonly FaultKind[] = [...REQUEST_FAULTS, ...WEBHOOK_FAULTS];

/**
 * Starts the example adapter (kind `'memory'`) over a fresh in-memory provider, with a
 * client around it, as a conformance harness: the template for a new provider's
 * `testProvider()` call (docs/adding-a-provider.md).
 *
 * @example
 * ```ts
 * import { startExampleHarness } from 'capture-kit/testing';
 * import { testProvider } from 'capture-kit/testing/conformance';
 *
 * testProvider({ name: 'memory', setup: (ctx) => startExampleHarness(ctx) });
 * ```
 */
export async function startExampleHarness(
  ctx: ConformanceSetupContext,
  options: ExampleHarnessOptions = {},
): Promise<ExampleHarness> {
  const backend = new ExampleBackend(
    options.profile ?? 'standard',
    options.bugs ?? {},
    randomBytes(32).toString('hex'),
    ctx.webhookUrl,
  );
  const adapter = exampleAdapter(backend);
  // The example backend commits at once: "not found" needs no grace period to be trusted.
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

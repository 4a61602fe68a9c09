import fc from 'fast-check';
import { ok } from 'neverthrow';
import type { CaptureCapabilities } from '../../src/core/capabilities.js';
import type { ProviderCapture } from '../../src/core/capture.js';
import type { IntentEvent } from '../../src/core/intents.js';
import type { CaptureJournal } from '../../src/core/journal.js';
import type { CaptureProviderV1 } from '../../src/core/spec.js';
import type {
  CaptureEvent,
  ProviderCaptureEvent,
  WebhookRequest,
} from '../../src/core/webhook-types.js';

/** Capabilities with every flag on; tests switch off what they need. */
export const ALL_CAPABILITIES: CaptureCapabilities = {
  fullCapture: true,
  partialCapture: true,
  multipleCaptures: true,
  finalCaptureFlag: true,
  amountRequired: false,
  resultDelivery: 'synchronous',
  webhooks: true,
  reasons: [],
};

/** A verified capture event, as an adapter of kind `test` would parse it. */
export const SAMPLE_EVENT: CaptureEvent = {
  provider: 'test',
  kind: 'test',
  id: 'evt_1',
  type: 'capture.succeeded',
  paymentId: 'pay_1',
  occurredAt: '2024-01-01T00:00:00Z',
  raw: {},
};

/**
 * An adapter of kind `one` with one event per delivery (no `doParseWebhookBatch`): every
 * capture is accepted as `pending` (with `captureId` when given), webhooks are parsed by
 * `parse`, and `resolve()` is not expected.
 */
export function oneEventAdapter(
  parse: CaptureProviderV1['doParseWebhook'],
  captureId?: string,
): CaptureProviderV1 {
  return {
    specificationVersion: 'v1',
    kind: 'one',
    capabilities: () => ALL_CAPABILITIES,
    async doCapture(request) {
      const capture: ProviderCapture = {
        kind: 'one',
        status: 'pending',
        paymentId: request.paymentId,
        ...(captureId !== undefined ? { captureId } : {}),
        idempotencyKey: request.idempotencyKey,
        final: request.final,
        providerMetadata: {},
        raw: {},
      };
      return ok(capture);
    },
    async doResolve() {
      throw new Error('resolve() is not used in this test');
    },
    doParseWebhook: parse,
    webhookAck: () => ({ status: 200, headers: {}, body: '' }),
  };
}

/** A webhook delivery whose bytes do not matter: the adapter under test decides the event. */
export const ANY_DELIVERY: WebhookRequest = {
  method: 'POST',
  path: '/h',
  headers: {},
  rawBody: '{}',
};

/** The `capture.succeeded` event of {@link oneEventAdapter}'s captures (`captureId` cap_1). */
export const ONE_EVENT: ProviderCaptureEvent = {
  kind: 'one',
  id: 'evt_1',
  type: 'capture.succeeded',
  paymentId: 'pay_1',
  captureId: 'cap_1',
  occurredAt: '2026-12-01T20:00:00.000Z',
  raw: {},
};

/**
 * The journal with every method forwarded: to the client a journal with no same-turn face
 * (src/core/journal-now.ts), so it is awaited like any custom journal.
 */
export function awaitedOnly(journal: CaptureJournal): CaptureJournal {
  return {
    name: journal.name,
    begin: (draft, options) => journal.begin(draft, options),
    apply: (provider, key, event) => journal.apply(provider, key, event),
    get: (provider, key) => journal.get(provider, key),
    list: (query) => journal.list(query),
    claim: (query) => journal.claim(query),
    release: (provider, key, owner) => journal.release(provider, key, owner),
    hasEvent: (provider, id) => journal.hasEvent(provider, id),
    rememberEvent: (provider, id, at) => journal.rememberEvent(provider, id, at),
    close: () => journal.close(),
  };
}

/** Who an intent event comes from, for property tests of the intent rules. */
export const eventSourceArb = fc.constantFrom('capture', 'inquiry', 'webhook') as fc.Arbitrary<
  IntentEvent['source']
>;

/** Every verdict an intent event can carry, for property tests of the intent rules. */
export const verdictArb = fc.constantFrom(
  'succeeded',
  'pending',
  'failed',
  'absent',
  'unknown',
  'not_sent',
) as fc.Arbitrary<IntentEvent['verdict']>;

import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { err } from 'neverthrow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CaptureClient, createCaptureClient } from '../../src/core/client.js';
import { TRACING_CHANNELS } from '../../src/core/diagnostics.js';
import { captureError } from '../../src/core/errors.js';
import type { CaptureProviderV1 } from '../../src/core/spec.js';
import {
  CAPTURE_KIT_ATTRIBUTES,
  type CaptureKitInstrumentation,
  instrumentCaptureKit,
} from '../../src/otel/index.js';
import { loadOpenTelemetryApi } from '../../src/otel/load-api.js';
import { antom } from '../../src/providers/antom/index.js';
import { checkout } from '../../src/providers/checkout/index.js';
import { type AntomSimulator, startAntomSimulator } from '../../src/testing/simulators/antom.js';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';
import { ALL_CAPABILITIES } from '../core/core-fixtures.js';

const A = CAPTURE_KIT_ATTRIBUTES;
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('test');
const contextManager = new AsyncLocalStorageContextManager();
/** Every span any test finished, for the no-secrets check at the end. */
const allSpans: ReadableSpan[] = [];

const SECRET_REFERENCE = 'ORD-REF-must-not-leak';
const SECRET_COUPON = 'coupon-must-not-leak';

let cko: CheckoutSimulator;
let antomSim: AntomSimulator;
let client: CaptureClient;
let instrumentation: CaptureKitInstrumentation | undefined;
const servers: Server[] = [];

beforeAll(async () => {
  context.setGlobalContextManager(contextManager.enable());
  [cko, antomSim] = await Promise.all([
    startCheckoutSimulator(),
    startAntomSimulator({ contract: { partialCapture: true, multipleCaptures: true } }),
  ]);
  client = createCaptureClient({
    providers: {
      cko: checkout({ ...cko.credentials, baseUrl: cko.baseUrl }),
      antom: antom({ ...antomSim.credentials, baseUrl: antomSim.baseUrl }),
    },
  });
});

beforeEach(() => {
  exporter.reset();
  instrumentation = instrumentCaptureKit({ tracerProvider: provider });
});

afterEach(async () => {
  instrumentation?.disable();
  allSpans.push(...exporter.getFinishedSpans());
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

afterAll(async () => {
  await client.close();
  await Promise.all([cko.close(), antomSim.close()]);
  context.disable();
});

const spansNamed = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
const idOf = (span: ReadableSpan | Span) => span.spanContext().spanId;
const nanos = ([seconds, ns]: readonly [number, number]) =>
  BigInt(seconds) * 1_000_000_000n + BigInt(ns);

/**
 * Does what `@opentelemetry/instrumentation-undici` does: on `undici:request:create` it
 * starts a client span whose parent is the ACTIVE context at that moment, and ends it when
 * the response headers arrive.
 */
function traceUndiciRequests(): { spans: () => ReadableSpan[]; stop: () => void } {
  const open = new Map<object, Span>();
  const onCreate = (message: unknown) => {
    const { request } = message as { request: { method: string; path: string } };
    open.set(
      request,
      tracer.startSpan(`HTTP ${request.method} ${request.path}`, { kind: SpanKind.CLIENT }),
    );
  };
  const onHeaders = (message: unknown) => {
    const { request } = message as { request: object };
    open.get(request)?.end();
    open.delete(request);
  };
  subscribe('undici:request:create', onCreate);
  subscribe('undici:request:headers', onHeaders);
  return {
    spans: () => exporter.getFinishedSpans().filter((s) => s.name.startsWith('HTTP ')),
    stop: () => {
      unsubscribe('undici:request:create', onCreate);
      unsubscribe('undici:request:headers', onHeaders);
    },
  };
}

describe('instrumentCaptureKit', () => {
  it('makes one capture span, child of the caller, parent of the capture HTTP request', async () => {
    const { paymentId } = await cko.authorize({
      amount: 6540n,
      currency: 'EUR',
      cardBrand: 'visa',
    });
    const http = traceUndiciRequests();
    const before = process.hrtime.bigint();
    let rootId = '';
    const result = await tracer.startActiveSpan('checkout order', async (root) => {
      rootId = idOf(root);
      const answer = await client.capture({
        provider: 'cko',
        paymentId,
        amount: { currency: 'EUR', value: 3500n },
        final: false,
        idempotencyKey: 'order-5023-capture-1',
        reference: SECRET_REFERENCE,
        metadata: { coupon: SECRET_COUPON },
        context: { cardBrand: 'visa' },
      });
      root.end();
      return answer;
    });
    http.stop();
    expect(result.isOk()).toBe(true);

    const [span, ...others] = spansNamed('capture-kit.capture');
    expect(others).toEqual([]);
    if (!span) throw new Error('no capture span');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.parentSpanContext?.spanId).toBe(rootId);
    expect(span.attributes).toEqual({
      [A.operation]: 'capture',
      [A.provider]: 'cko',
      [A.kind]: 'checkout',
      [A.paymentId]: paymentId,
      [A.idempotencyKey]: 'order-5023-capture-1',
      [A.outcome]: 'pending',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);

    // The HTTP request of the capture is a child of the capture span, inside its time.
    const requests = http.spans();
    expect(requests.map((r) => r.name)).toEqual([`HTTP POST /payments/${paymentId}/captures`]);
    for (const request of requests) {
      expect(request.parentSpanContext?.spanId).toBe(idOf(span));
      expect(request.spanContext().traceId).toBe(span.spanContext().traceId);
    }
    // The span covers the call: it starts after the call began and ends before it returned.
    const after = process.hrtime.bigint();
    const elapsed = after - before;
    expect(nanos(span.duration)).toBeLessThanOrEqual(elapsed);
    expect(nanos(span.duration)).toBeGreaterThan(0n);
  });

  it('records a declined capture: outcome, code, provider code, ERROR status', async () => {
    const { paymentId } = await antomSim.authorize({ amount: 2000n, currency: 'USD' });
    antomSim.injectResult({ resultCode: 'RISK_REJECT' });
    const result = await client.capture({ provider: 'antom', paymentId });
    expect(result.isErr() && result.error.code).toBe('risk_rejected');
    const [span] = spansNamed('capture-kit.capture');
    expect(span?.attributes).toMatchObject({
      [A.provider]: 'antom',
      [A.kind]: 'antom',
      [A.outcome]: 'failed',
      [A.code]: 'risk_rejected',
      [A.providerCode]: 'RISK_REJECT',
    });
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'risk_rejected' });
  });

  it('records an invalid request (no provider call) as not_attempted', async () => {
    const result = await client.capture({ provider: 'nope', paymentId: 'pay_1' });
    expect(result.isErr()).toBe(true);
    const [span] = spansNamed('capture-kit.capture');
    expect(span?.attributes).toMatchObject({
      [A.provider]: 'nope',
      [A.outcome]: 'not_attempted',
      [A.code]: 'unknown_provider',
    });
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('makes one resolve span, parent of the inquiry request', async () => {
    const { paymentId } = await antomSim.authorize({ amount: 2000n, currency: 'USD' });
    const captured = await client.capture({
      provider: 'antom',
      paymentId,
      idempotencyKey: 'antom-key-1',
    });
    expect(captured.isOk()).toBe(true);
    exporter.reset();
    const http = traceUndiciRequests();
    // A second client (a fresh journal) has to ask Antom; the first answers from its journal.
    const asker = createCaptureClient({
      providers: { antom: antom({ ...antomSim.credentials, baseUrl: antomSim.baseUrl }) },
    });
    const resolved = await asker.resolve({
      provider: 'antom',
      paymentId,
      idempotencyKey: 'antom-key-1',
    });
    http.stop();
    await asker.close();
    expect(resolved.isOk()).toBe(true);
    const [span, ...others] = spansNamed('capture-kit.resolve');
    expect(others).toEqual([]);
    expect(span?.attributes).toMatchObject({
      [A.operation]: 'resolve',
      [A.provider]: 'antom',
      [A.kind]: 'antom',
      [A.paymentId]: paymentId,
      [A.idempotencyKey]: 'antom-key-1',
      [A.outcome]: 'succeeded',
    });
    const requests = http.spans();
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests)
      expect(request.parentSpanContext?.spanId).toBe(span && idOf(span));
  });

  it('is the active span across the adapter call: its own spans nest, awaits included', async () => {
    const adapter: CaptureProviderV1 = {
      specificationVersion: 'v1',
      kind: 'traced',
      capabilities: () => ALL_CAPABILITIES,
      async doCapture(request) {
        await new Promise((resolve) => setImmediate(resolve));
        const child = tracer.startSpan('adapter: sign and send');
        await new Promise((resolve) => setTimeout(resolve, 1));
        child.end();
        return err(
          captureError({
            code: 'rate_limited',
            outcome: 'not_attempted',
            idempotencyKey: request.idempotencyKey,
            retryAfterMs: 2000,
            message: 'Too many requests; retry after 2 s.',
          }),
        );
      },
      doResolve: async () =>
        err(captureError({ code: 'timeout', outcome: 'unknown', message: 'x' })),
      doParseWebhook: async () => err({ code: 'unsupported', verified: false, message: 'x' }),
      webhookAck: () => ({ status: 200, headers: {}, body: '' }),
    };
    const own = createCaptureClient({ providers: { mine: adapter } });
    await own.capture({ provider: 'mine', paymentId: 'pay_1', idempotencyKey: 'k-1' });
    const [span] = spansNamed('capture-kit.capture');
    const [child] = spansNamed('adapter: sign and send');
    if (!span || !child) throw new Error('spans missing');
    expect(child.parentSpanContext?.spanId).toBe(idOf(span));
    // Nesting is proven by the parent id; span timestamps are not compared: OpenTelemetry
    // anchors each span's clock separately, so they can drift by microseconds under load.
    expect(span.attributes).toMatchObject({
      [A.kind]: 'traced',
      [A.outcome]: 'not_attempted',
      [A.code]: 'rate_limited',
      [A.retryAfterMs]: 2000,
    });
  });

  it('keeps concurrent captures apart: each HTTP request under its own capture', async () => {
    const payments = await Promise.all(
      [1, 2, 3].map(() => cko.authorize({ amount: 1000n, currency: 'EUR', cardBrand: 'visa' })),
    );
    const http = traceUndiciRequests();
    await Promise.all(
      payments.map(({ paymentId }) => client.capture({ provider: 'cko', paymentId })),
    );
    http.stop();
    const captures = spansNamed('capture-kit.capture');
    expect(captures).toHaveLength(3);
    for (const request of http.spans()) {
      const parent = captures.find((c) => idOf(c) === request.parentSpanContext?.spanId);
      expect(request.name).toContain(String(parent?.attributes[A.paymentId]));
    }
    expect(http.spans()).toHaveLength(3);
  });

  it('makes a webhook span per delivery: event facts, ack status, onEvent nested in it', async () => {
    const { paymentId } = await cko.authorize({
      amount: 6540n,
      currency: 'EUR',
      cardBrand: 'visa',
    });
    const handled: string[] = [];
    const server = createServer(
      client.webhookHandler('cko', async (event) => {
        await tracer.startActiveSpan('onEvent: mark order captured', async (span) => {
          handled.push(event.id);
          span.end();
        });
      }),
    );
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cko.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/cko`);
    let key = '';
    try {
      key = (await client.capture({ provider: 'cko', paymentId }))._unsafeUnwrap().idempotencyKey;
      await cko.settle();
    } finally {
      cko.setWebhookUrl(undefined);
    }
    expect(handled).toHaveLength(1);
    const [span, ...others] = spansNamed('capture-kit.webhook');
    expect(others).toEqual([]);
    if (!span) throw new Error('no webhook span');
    expect(span.attributes).toEqual({
      [A.operation]: 'webhook',
      [A.provider]: 'cko',
      [A.kind]: 'checkout',
      [A.paymentId]: paymentId,
      // Checkout.com echoes the key in the capture's metadata (capture_kit_idempotency_key).
      [A.idempotencyKey]: key,
      [A.eventType]: 'capture.succeeded',
      [A.eventId]: handled[0],
      [A.outcome]: 'succeeded',
      [A.status]: 200,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    const [onEvent] = spansNamed('onEvent: mark order captured');
    expect(onEvent?.parentSpanContext?.spanId).toBe(idOf(span));
  });

  it('marks a refused webhook (bad signature) as ERROR with its code and 401', async () => {
    const handler = client.fetchWebhookHandler('cko', () => {
      throw new Error('must not be called');
    });
    const response = await handler(
      new Request('https://shop.example/webhooks/cko', {
        method: 'POST',
        headers: { 'cko-signature': 'f'.repeat(64), 'content-type': 'application/json' },
        body: '{"type":"payment_captured","data":{"id":"pay_x"}}',
      }),
    );
    expect(response.status).toBe(401);
    const [span] = spansNamed('capture-kit.webhook');
    expect(span?.attributes).toMatchObject({
      [A.provider]: 'cko',
      [A.kind]: 'checkout',
      [A.code]: 'signature_invalid',
      [A.status]: 401,
    });
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'signature_invalid' });
  });

  it('traces only the operations asked for', async () => {
    instrumentation?.disable();
    instrumentation = instrumentCaptureKit({ tracerProvider: provider, operations: ['resolve'] });
    await client.capture({ provider: 'nope', paymentId: 'pay_1' });
    await client.resolve({ provider: 'nope', paymentId: 'pay_1', idempotencyKey: 'k' });
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['capture-kit.resolve']);
    expect(() => instrumentCaptureKit({ operations: ['refund' as never] })).toThrow(
      /operations contains "refund"; use capture, resolve, reconcile, webhook/,
    );
  });

  it('stops, and leaves the channels without subscribers, once disabled', async () => {
    instrumentation?.disable();
    instrumentation?.disable(); // twice is harmless
    for (const name of Object.values(TRACING_CHANNELS)) {
      const channel = tracingChannel(name);
      expect(channel.start.hasSubscribers || channel.asyncEnd.hasSubscribers).toBe(false);
    }
    await client.capture({ provider: 'nope', paymentId: 'pay_1' });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('uses the global tracer provider when none is given', async () => {
    instrumentation?.disable();
    trace.setGlobalTracerProvider(provider);
    try {
      instrumentation = instrumentCaptureKit();
      await client.capture({ provider: 'nope', paymentId: 'pay_1' });
      expect(spansNamed('capture-kit.capture')).toHaveLength(1);
    } finally {
      trace.disable();
    }
  });

  it('never puts a secret, a body, the reference or metadata on a span', () => {
    expect(allSpans.length).toBeGreaterThan(10);
    const secrets = [
      cko.credentials.secretKey,
      cko.credentials.webhookSecret,
      antomSim.credentials.privateKey.split('\n')[1] ?? 'no-key-line',
      SECRET_REFERENCE,
      SECRET_COUPON,
      'payment_captured', // the webhook body's own event type: bodies are never copied
      '"amount"',
    ];
    const allowed = new Set<string>(Object.values(A));
    for (const span of allSpans.filter((s) => s.name.startsWith('capture-kit.'))) {
      for (const key of Object.keys(span.attributes)) expect(allowed.has(key), key).toBe(true);
      expect(span.events).toEqual([]);
      const text = JSON.stringify({
        name: span.name,
        attributes: span.attributes,
        status: span.status,
      });
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});

describe('loading @opentelemetry/api', () => {
  it('names the package to install when it is missing', () => {
    const missing = (id: string) => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadOpenTelemetryApi(missing)).toThrow(
      /capture-kit\/otel needs the optional peer dependency @opentelemetry\/api.*npm install @opentelemetry\/api/,
    );
  });

  it('passes any other loading error through', () => {
    const broken = () => {
      throw new SyntaxError('Unexpected token');
    };
    expect(() => loadOpenTelemetryApi(broken)).toThrow(SyntaxError);
  });

  it('loads the installed API', () => {
    expect(typeof loadOpenTelemetryApi().trace.getTracer).toBe('function');
  });
});

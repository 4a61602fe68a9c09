import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { context, SpanKind } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo/run-demo.js';
import { CAPTURE_CHANNEL, type CaptureDiagnostic } from '../../src/core/client.js';
import { CAPTURE_KIT_ATTRIBUTES as A, instrumentCaptureKit } from '../../src/otel/index.js';
import { PROVIDERS } from '../../src/providers/registry.js';

/** What a span must say about one call, built from the diagnostics message of the same call. */
function expectedAttributes(message: CaptureDiagnostic): Record<string, unknown> {
  return {
    [A.operation]: message.operation,
    [A.provider]: message.provider,
    ...(message.kind ? { [A.kind]: message.kind } : {}),
    ...(message.paymentId ? { [A.paymentId]: message.paymentId } : {}),
    ...(message.idempotencyKey ? { [A.idempotencyKey]: message.idempotencyKey } : {}),
    [A.outcome]: message.result,
    ...(message.code ? { [A.code]: message.code } : {}),
    ...(message.providerCode ? { [A.providerCode]: message.providerCode } : {}),
  };
}

describe('an OpenTelemetry trace of the demo', () => {
  it('has one span per capture, with the attributes of that capture', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const messages: CaptureDiagnostic[] = [];
    const listener = (message: unknown) => messages.push(message as CaptureDiagnostic);
    subscribe(CAPTURE_CHANNEL, listener);
    // What @opentelemetry/instrumentation-undici does: a client span per undici request,
    // parented by the context active when the request is created.
    const tracer = provider.getTracer('undici-like');
    const onRequest = (message: unknown) => {
      const { request } = message as { request: { method: string; path: string } };
      tracer.startSpan(`HTTP ${request.method}`, { kind: SpanKind.CLIENT }).end();
    };
    subscribe('undici:request:create', onRequest);
    const instrumentation = instrumentCaptureKit({ tracerProvider: provider });
    let report: Awaited<ReturnType<typeof runDemo>>;
    try {
      report = await runDemo();
    } finally {
      instrumentation.disable();
      unsubscribe(CAPTURE_CHANNEL, listener);
      unsubscribe('undici:request:create', onRequest);
      context.disable();
    }
    expect(report.passed).toBe(true);

    const captureMessages = messages.filter((m) => m.operation === 'capture');
    const captureSpans = exporter
      .getFinishedSpans()
      .filter((s) => s.name === 'capture-kit.capture');
    // Every scenario that captures shows up, and nothing else does.
    expect(captureMessages.length).toBeGreaterThanOrEqual(10);
    expect(captureSpans).toHaveLength(captureMessages.length);
    // Span i and message i describe the same call: the message is published as the call
    // ends and the span ends right after it; the exporter keeps spans in the order they
    // ended. Matching by key instead would hide a duplicate span.
    captureSpans.forEach((span, i) => {
      const message = captureMessages[i] as CaptureDiagnostic;
      expect(span.attributes).toEqual(expectedAttributes(message));
    });
    // Every registry provider (each has a demo scenario) and both success and failure
    // outcomes are covered.
    expect(new Set(captureSpans.map((s) => s.attributes[A.kind]))).toEqual(
      new Set(PROVIDERS.map((entry) => entry.kind)),
    );
    const outcomes = new Set(captureSpans.map((s) => s.attributes[A.outcome]));
    expect(outcomes).toContain('succeeded');
    expect(outcomes).toContain('failed');

    // Every capture that reached a provider has its HTTP request(s) as children.
    const http = exporter.getFinishedSpans().filter((s) => s.name.startsWith('HTTP '));
    const sent = captureSpans.filter((s) => s.attributes[A.outcome] !== 'not_attempted');
    expect(sent.length).toBeGreaterThan(0);
    for (const span of sent) {
      const children = http.filter(
        (r) => r.parentSpanContext?.spanId === span.spanContext().spanId,
      );
      expect(children.length, JSON.stringify(span.attributes)).toBeGreaterThan(0);
    }

    // Webhooks the demo receives are spans too, one per acknowledged capture event.
    const webhookMessages = messages.filter((m) => m.operation === 'webhook');
    const acked = exporter
      .getFinishedSpans()
      .filter((s) => s.name === 'capture-kit.webhook' && s.attributes[A.eventId] !== undefined)
      .filter((s) => s.attributes[A.status] === 200);
    expect(webhookMessages.length).toBeGreaterThan(0);
    expect(acked).toHaveLength(webhookMessages.length);
  }, 180_000);
});

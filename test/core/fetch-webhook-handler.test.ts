import { err, ok, type Result } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { WebhookError } from '../../src/core/errors.js';
import { createFetchWebhookHandler } from '../../src/core/fetch-webhook-handler.js';
import type {
  CaptureEvent,
  WebhookAck,
  WebhookHandlerOptions,
  WebhookHandlerParts,
  WebhookRequest,
} from '../../src/core/webhooks.js';
import { SAMPLE_EVENT } from './core-fixtures.js';

const EVENT = SAMPLE_EVENT;
const ACK: WebhookAck = {
  status: 200,
  headers: { 'content-type': 'application/json', 'x-ack': 'fixed' },
  body: '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}',
};
const URL_BASE = 'https://shop.example';

type ParseResult = Result<CaptureEvent, WebhookError>;

interface Harness {
  readonly handle: (request: Request) => Promise<Response>;
  readonly parsed: WebhookRequest[];
  readonly events: CaptureEvent[];
  readonly errors: unknown[];
}

function harness(
  parse: (request: WebhookRequest) => ParseResult | Promise<ParseResult>,
  overrides: Partial<Omit<WebhookHandlerParts, 'parse'>> & {
    readonly options?: WebhookHandlerOptions;
  } = {},
): Harness {
  const parsed: WebhookRequest[] = [];
  const events: CaptureEvent[] = [];
  const errors: unknown[] = [];
  const handle = createFetchWebhookHandler({
    parse: async (request) => {
      parsed.push(request);
      return parse(request);
    },
    ack: overrides.ack ?? (() => ACK),
    onEvent:
      overrides.onEvent ??
      ((event) => {
        events.push(event);
      }),
    options: { onError: (error) => errors.push(error), ...overrides.options },
  });
  return { handle, parsed, events, errors };
}

function post(
  body: RequestInit['body'] = '{}',
  init: RequestInit = {},
  path = '/hooks/test',
): Request {
  return new Request(`${URL_BASE}${path}`, {
    method: 'POST',
    body,
    ...init,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** A body stream that never ends; counts how many chunks were pulled from it. */
function endless(chunkBytes: number): { stream: ReadableStream<Uint8Array>; pulls: () => number } {
  let pulls = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (cancelled) return;
        pulls += 1;
        controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulls: () => pulls };
}

const unverified: WebhookError = {
  code: 'signature_invalid',
  message: 'bad signature',
  verified: false,
};

describe('createFetchWebhookHandler', () => {
  it('answers 405 with allow: POST to anything but POST and never parses', async () => {
    const h = harness(() => ok(EVENT));
    for (const method of ['GET', 'PUT', 'DELETE', 'HEAD']) {
      const response = await h.handle(new Request(`${URL_BASE}/hooks/test`, { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
    expect(h.parsed).toEqual([]);
  });

  it('hands parse the exact bytes, method, path with query and lower-case headers', async () => {
    const h = harness(() => ok(EVENT));
    const body = Buffer.concat([Buffer.from('{"n":"Zoë €"}', 'utf8'), Buffer.from([0xff, 0x00])]);
    await h.handle(
      post(
        body,
        { headers: { 'Request-Time': '2024-01-01T00:00:00Z', 'X-Sig': 'abc' } },
        '/hooks/test?x=1',
      ),
    );
    const request = h.parsed[0] as WebhookRequest;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks/test?x=1');
    expect(request.headers['request-time']).toBe('2024-01-01T00:00:00Z');
    expect(request.headers['x-sig']).toBe('abc');
    expect(Buffer.isBuffer(request.rawBody)).toBe(true);
    expect((request.rawBody as Buffer).equals(body)).toBe(true);
  });

  it('reads a streamed body of many chunks exactly', async () => {
    const h = harness(() => ok(EVENT));
    const parts = ['{"a":', '"b', 'c"}'].map((part) => new TextEncoder().encode(part));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
    expect((await h.handle(post(stream))).status).toBe(200);
    expect(h.parsed[0]?.rawBody.toString()).toBe('{"a":"bc"}');
  });

  it('answers 413 to a content-length over the limit without reading or parsing', async () => {
    const h = harness(() => ok(EVENT), { options: { maxBodyBytes: 100 } });
    const { stream, pulls } = endless(10);
    const request = post(stream, { headers: { 'content-length': '101' } });
    expect((await h.handle(request)).status).toBe(413);
    expect(pulls()).toBe(0);
    expect(h.parsed).toEqual([]);
    expect(h.errors).toEqual([
      expect.objectContaining({ code: 'body_too_large', verified: false }),
    ]);
  });

  it('stops reading an endless body at the limit: 413, stream cancelled, nothing parsed', async () => {
    const h = harness(() => ok(EVENT), { options: { maxBodyBytes: 1000 } });
    const { stream, pulls } = endless(100);
    const response = await h.handle(post(stream));
    expect(response.status).toBe(413);
    // 11 chunks of 100 bytes pass the 1000-byte limit; a few more may be in flight.
    expect(pulls()).toBeLessThan(20);
    expect(h.parsed).toEqual([]);
    expect(h.errors).toEqual([expect.objectContaining({ code: 'body_too_large' })]);
  });

  it('accepts a body of exactly maxBodyBytes', async () => {
    const h = harness(() => ok(EVENT), { options: { maxBodyBytes: 100 } });
    expect((await h.handle(post(Buffer.alloc(100, 0x61)))).status).toBe(200);
    expect(h.parsed[0]?.rawBody.length).toBe(100);
  });

  it('accepts an empty body (parse decides)', async () => {
    const h = harness(() => err(unverified));
    expect((await h.handle(post(null))).status).toBe(401);
    expect(h.parsed[0]?.rawBody.length).toBe(0);
  });

  it('answers 401 to an unverified delivery, tells onError, and never calls onEvent', async () => {
    const h = harness(() => err(unverified));
    const response = await h.handle(post());
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('');
    expect(h.events).toEqual([]);
    expect(h.errors).toEqual([unverified]);
  });

  it('answers 401 to an unverified event_ignored too', async () => {
    const h = harness(() => err({ code: 'event_ignored', message: 'x', verified: false }));
    expect((await h.handle(post())).status).toBe(401);
  });

  it('acknowledges a verified event_ignored with the exact provider ack, without onEvent', async () => {
    const h = harness(() =>
      err({ code: 'event_ignored', message: 'x', verified: true, eventType: 'payment_approved' }),
    );
    const response = await h.handle(post());
    expect(response.status).toBe(ACK.status);
    expect(await response.text()).toBe(ACK.body);
    expect(response.headers.get('x-ack')).toBe('fixed');
    expect(h.events).toEqual([]);
    expect(h.errors).toEqual([]);
  });

  it.each([
    ['invalid_payload', 400],
    ['unsupported', 404],
  ] as const)('answers a verified %s with %i', async (code, status) => {
    const h = harness(() => err({ code, message: 'x', verified: true }));
    expect((await h.handle(post())).status).toBe(status);
    expect(h.errors).toEqual([expect.objectContaining({ code })]);
  });

  it('awaits onEvent, then answers exactly the ack', async () => {
    const handled: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = harness(() => ok(EVENT), {
      onEvent: async (event) => {
        await gate;
        handled.push(event.id);
      },
    });
    let settled = false;
    const pending = h.handle(post()).then((response) => {
      settled = true;
      return response;
    });
    // Let every other queued task run: the answer must still wait for onEvent.
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release();
    const response = await pending;
    expect(handled).toEqual(['evt_1']);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(ACK.body);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-ack')).toBe('fixed');
  });

  it('answers a 204 ack with no body', async () => {
    const h = harness(() => ok(EVENT), { ack: () => ({ status: 204, headers: {}, body: '' }) });
    const response = await h.handle(post());
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('db down');
      },
    ],
    ['rejects', async () => Promise.reject(new Error('db down'))],
  ])('answers 500 when onEvent %s, and tells onError', async (_n, onEvent) => {
    const h = harness(() => ok(EVENT), { onEvent });
    const response = await h.handle(post());
    expect(response.status).toBe(500);
    expect(await response.text()).not.toBe(ACK.body);
    expect(h.errors).toEqual([
      { code: 'handler_failed', cause: expect.objectContaining({ message: 'db down' }) },
    ]);
  });

  it('never rejects: a throwing parse, ack or onError, or a bad ack header gives 500', async () => {
    const onError = () => {
      throw new Error('logger broke');
    };
    const throwingParse = harness(
      () => {
        throw new Error('adapter bug');
      },
      { options: { onError } },
    );
    expect((await throwingParse.handle(post())).status).toBe(500);
    const throwingAck = harness(() => ok(EVENT), {
      ack: () => {
        throw new Error('ack bug');
      },
    });
    expect((await throwingAck.handle(post())).status).toBe(500);
    const badHeader = harness(() => ok(EVENT), {
      ack: () => ({ status: 200, headers: { 'x-bad': 'line\nbreak' }, body: '' }),
    });
    expect((await badHeader.handle(post())).status).toBe(500);
    expect(badHeader.errors).toEqual([expect.objectContaining({ code: 'handler_failed' })]);
  });

  it('answers 500 naming the fix when something already read the body', async () => {
    const h = harness(() => ok(EVENT));
    const request = post('{"type":"payment_captured"}');
    await request.json(); // what a body-parsing middleware would have done
    expect((await h.handle(request)).status).toBe(500);
    expect(h.parsed).toEqual([]);
    const [error] = h.errors as { code: string; cause: Error }[];
    expect(error?.code).toBe('handler_failed');
    expect(error?.cause.message).toMatch(/already read.*original, unread Request/);
  });

  it('answers 400 (nothing verified) when the body stream fails mid-way', async () => {
    const h = harness(() => ok(EVENT));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"partial":'));
        controller.error(new Error('connection reset'));
      },
    });
    expect((await h.handle(post(stream))).status).toBe(400);
    expect(h.parsed).toEqual([]);
    expect(h.events).toEqual([]);
  });
});

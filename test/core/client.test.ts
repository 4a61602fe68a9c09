import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { err, ok, type Result } from 'neverthrow';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapabilityContext, CaptureCapabilities } from '../../src/core/capabilities.js';
import type { ProviderCapture } from '../../src/core/capture.js';
import type { CaptureRequest } from '../../src/core/capture-request.js';
import {
  CAPTURE_CHANNEL,
  type CaptureClient,
  type CaptureDiagnostic,
  createCaptureClient,
} from '../../src/core/client.js';
import { type CaptureError, captureError } from '../../src/core/errors.js';
import type {
  CaptureProviderV1,
  ProviderCaptureRequest,
  ProviderResolveRequest,
} from '../../src/core/spec.js';
import type { ProviderCaptureEvent, WebhookRequest } from '../../src/core/webhook-types.js';
import { ALL_CAPABILITIES, SAMPLE_EVENT } from './core-fixtures.js';

/** A secret the adapter holds; it must never reach a diagnostic message. */
const SECRET = 'sk_test_0123456789abcdefDO_NOT_LEAK';

type CaptureAnswer = (
  request: ProviderCaptureRequest,
) => Result<ProviderCapture, CaptureError> | Promise<Result<ProviderCapture, CaptureError>>;

interface TestAdapter extends CaptureProviderV1 {
  readonly settings: { readonly secretKey: string };
  readonly captures: ProviderCaptureRequest[];
  readonly resolves: ProviderResolveRequest[];
  readonly webhooks: WebhookRequest[];
  readonly contexts: CapabilityContext[];
  closed: number;
}

function succeeded(request: ProviderCaptureRequest): ProviderCapture {
  return {
    kind: 'test',
    status: 'succeeded',
    paymentId: request.paymentId,
    captureId: `cap_${request.idempotencyKey}`,
    idempotencyKey: request.idempotencyKey,
    ...(request.amount ? { amount: request.amount } : {}),
    final: request.final,
    providerMetadata: {},
    raw: { secretFree: true },
  };
}

/** A complete CaptureProviderV1 written inline: no module of ours is mocked. */
function testAdapter(
  options: {
    readonly caps?: Partial<CaptureCapabilities>;
    readonly capture?: CaptureAnswer;
    readonly resolve?: (
      request: ProviderResolveRequest,
    ) => Promise<Result<ProviderCapture, CaptureError>>;
    readonly parse?: (
      request: WebhookRequest,
    ) => Promise<Result<ProviderCaptureEvent, import('../../src/core/errors.js').WebhookError>>;
    readonly kind?: string;
  } = {},
): TestAdapter {
  const adapter: TestAdapter = {
    specificationVersion: 'v1',
    kind: options.kind ?? 'test',
    settings: { secretKey: SECRET },
    captures: [],
    resolves: [],
    webhooks: [],
    contexts: [],
    closed: 0,
    capabilities(context) {
      adapter.contexts.push(context);
      return { ...ALL_CAPABILITIES, ...options.caps };
    },
    async doCapture(request) {
      adapter.captures.push(request);
      return (options.capture ?? ((r) => ok(succeeded(r))))(request);
    },
    async doResolve(request) {
      adapter.resolves.push(request);
      if (options.resolve) return options.resolve(request);
      return ok({
        kind: 'test',
        status: 'succeeded',
        paymentId: request.paymentId,
        idempotencyKey: request.idempotencyKey,
        final: true,
        providerMetadata: {},
        raw: {},
      });
    },
    async doParseWebhook(request) {
      adapter.webhooks.push(request);
      if (options.parse) return options.parse(request);
      const { provider: _client, ...event } = SAMPLE_EVENT;
      return ok(event);
    },
    webhookAck: () => ({ status: 200, headers: {}, body: '' }),
    async close() {
      adapter.closed++;
    },
  };
  return adapter;
}

function clientWith(adapter: CaptureProviderV1 = testAdapter()): CaptureClient {
  return createCaptureClient({ providers: { t: adapter } });
}

const eur = <V extends bigint | number | string>(value: V) => ({ currency: 'EUR', value });
const GENERATED_KEY = /^ck_[0-9a-f]{32}$/;

/** Awaits a capture, failing the test if the promise rejects instead of resolving. */
async function captureErr(client: CaptureClient, request: unknown): Promise<CaptureError> {
  const result = await client.capture(request as CaptureRequest);
  expect(result.isErr()).toBe(true);
  return result._unsafeUnwrapErr();
}

describe('capture(): validation happens before anything is sent', () => {
  const valid = { provider: 't', paymentId: 'pay_1', amount: eur(100n) } as const;

  it.each([
    ['an unknown field, by name', { ...valid, amont: eur(1n) }, /"amont"/],
    ['an unknown nested field', { ...valid, amount: { ...eur(1n), cents: 1 } }, /amount.*"cents"/],
    ['a paymentId over 64 characters', { ...valid, paymentId: 'p'.repeat(65) }, /paymentId.*64/],
    ['an empty paymentId', { ...valid, paymentId: '' }, /paymentId/],
    ['a missing paymentId', { provider: 't' }, /paymentId/],
    [
      'an idempotencyKey over 64',
      { ...valid, idempotencyKey: 'k'.repeat(65) },
      /idempotencyKey.*64/,
    ],
    [
      'an idempotencyKey with spaces',
      { ...valid, idempotencyKey: 'order 1' },
      /idempotencyKey.*spaces/,
    ],
    ['a non-ASCII idempotencyKey', { ...valid, idempotencyKey: 'clé' }, /idempotencyKey/],
    [
      'nested metadata',
      { ...valid, metadata: { a: { b: 1 } } },
      /metadata\.a must be a string.*no nested/,
    ],
    [
      'a long metadata value',
      { ...valid, metadata: { a: 'x'.repeat(1025) } },
      /metadata\.a .*1024/,
    ],
    [
      'a null amount value',
      { ...valid, amount: eur(null as never) },
      /amount\.value must be a bigint/,
    ],
    ['array metadata', { ...valid, metadata: ['x'] }, /metadata/],
    ['non-finite metadata', { ...valid, metadata: { a: Number.NaN } }, /metadata/],
    ['a negative amount', { ...valid, amount: eur(-1) }, /amount\.value.*negative/],
    ['a negative bigint amount', { ...valid, amount: eur(-1n) }, /amount\.value.*negative/],
    ['a fractional amount', { ...valid, amount: eur(10.5) }, /amount\.value.*whole number/],
    ['a zero amount', { ...valid, amount: eur(0) }, /amount\.value must be greater than 0/],
    [
      'a zero digit-string amount',
      { ...valid, amount: eur('000') },
      /amount\.value.*greater than 0/,
    ],
    ['a float-looking string', { ...valid, amount: eur('10.50') }, /amount\.value.*digits/],
    ['an unsafe integer', { ...valid, amount: eur(2 ** 53) }, /amount\.value.*bigint/],
    [
      'a lower-case currency',
      { ...valid, amount: { currency: 'eur', value: 1 } },
      /amount\.currency/,
    ],
    [
      'an unknown currency',
      { ...valid, amount: { currency: 'ZZZ', value: 1 } },
      /amount\.currency/,
    ],
    [
      'a currency without minor unit',
      { ...valid, amount: { currency: 'XAU', value: 1 } },
      /amount\.currency/,
    ],
    ['a bad authorizedAmount', { ...valid, authorizedAmount: eur(-5) }, /authorizedAmount\.value/],
    [
      'final:false without an amount',
      { provider: 't', paymentId: 'p', final: false },
      /amount is required when final is false/,
    ],
    ['a non-boolean final', { ...valid, final: 'yes' }, /final/],
    ['a reference over 256', { ...valid, reference: 'r'.repeat(257) }, /reference.*256/],
    [
      'a three-letter issuerCountry',
      { ...valid, context: { issuerCountry: 'USA' } },
      /context\.issuerCountry/,
    ],
    ['an empty provider', { ...valid, provider: '' }, /provider/],
    ['a signal that is not an AbortSignal', { ...valid, signal: {} }, /signal/],
  ])('rejects %s', async (_name, request, message) => {
    const adapter = testAdapter();
    const error = await captureErr(clientWith(adapter), request);
    expect(error).toMatchObject({
      code: 'invalid_request',
      outcome: 'not_attempted',
      retryable: false,
    });
    expect(error.message).toMatch(message);
    expect(error.idempotencyKey).toBeTypeOf('string');
    expect(adapter.captures).toEqual([]);
  });

  it('says what to do with an unknown field', async () => {
    const error = await captureErr(clientWith(), { ...valid, transit: {} });
    expect(error.message).toMatch(/providerOptions/);
  });

  it('names a registered provider list for an unknown provider', async () => {
    const adapter = testAdapter();
    const error = await captureErr(clientWith(adapter), { ...valid, provider: 'nope' });
    expect(error).toMatchObject({ code: 'unknown_provider', outcome: 'not_attempted' });
    expect(error.message).toMatch(/"nope".*registered: t/);
    expect(adapter.captures).toEqual([]);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'capture please'],
    ['an array', [1, 2]],
    ['an empty object', {}],
    ['an object without prototype', Object.create(null)],
    [
      'an object whose getters throw',
      Object.defineProperties(
        {},
        Object.fromEntries(
          ['provider', 'paymentId', 'idempotencyKey', 'amount'].map((key) => [
            key,
            {
              enumerable: true,
              get() {
                throw new Error(`getter ${key}`);
              },
            },
          ]),
        ),
      ),
    ],
    [
      'a Proxy that throws on every access',
      new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
          ownKeys() {
            throw new Error('trap');
          },
          getPrototypeOf() {
            throw new Error('trap');
          },
        },
      ),
    ],
  ])('resolves (never throws, never rejects) for %s', async (_name, garbage) => {
    const adapter = testAdapter();
    const client = clientWith(adapter);
    let promise: ReturnType<CaptureClient['capture']> | undefined;
    expect(() => {
      promise = client.capture(garbage as CaptureRequest);
    }).not.toThrow();
    const result = await promise;
    const error = result?._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'invalid_request', outcome: 'not_attempted' });
    expect(error?.idempotencyKey).toMatch(GENERATED_KEY);
    expect(adapter.captures).toEqual([]);

    const resolved = await client.resolve(garbage as never);
    expect(resolved._unsafeUnwrapErr()).toMatchObject({
      code: 'invalid_request',
      outcome: 'not_attempted',
    });
    expect(adapter.resolves).toEqual([]);
  });
});

describe('capture(): preflight', () => {
  it.each([
    [
      'final:false where multipleCaptures is off, naming final and the reason',
      { multipleCaptures: false, reasons: ['multipleCaptures is off for JCB cards.'] },
      { amount: eur(100n), final: false },
      'unsupported',
      /final: false.*JCB/,
    ],
    [
      'a partial capture where partialCapture is off, naming amount.value',
      { partialCapture: false },
      { amount: eur(100n), authorizedAmount: eur(200n) },
      'unsupported',
      /amount\.value 100/,
    ],
    [
      'more than authorized',
      {},
      { amount: eur('201'), authorizedAmount: eur(200) },
      'amount_exceeds_authorized',
      /amount\.value 201/,
    ],
    [
      'a currency that differs from the authorization',
      {},
      { amount: { currency: 'USD', value: 100 }, authorizedAmount: eur(200) },
      'currency_mismatch',
      /amount\.currency USD/,
    ],
  ] as const)('refuses %s, sending nothing', async (_name, caps, fields, code, message) => {
    const adapter = testAdapter({ caps });
    const error = await captureErr(clientWith(adapter), {
      provider: 't',
      paymentId: 'p',
      ...fields,
    });
    expect(error).toMatchObject({ code, outcome: 'not_attempted', provider: 't', kind: 'test' });
    expect(error.message).toMatch(message);
    expect(error.idempotencyKey).toMatch(GENERATED_KEY);
    expect(adapter.captures).toEqual([]);
  });

  it('asks capabilities with the caller context plus the amount currency', async () => {
    const adapter = testAdapter();
    const client = clientWith(adapter);
    await client.capture({
      provider: 't',
      paymentId: 'p',
      amount: { currency: 'JPY', value: 100 },
      context: { cardBrand: 'Visa' },
    });
    expect(adapter.contexts.at(-1)).toEqual({ cardBrand: 'Visa', currency: 'JPY' });
    expect(adapter.captures[0]?.context).toEqual({ cardBrand: 'Visa', currency: 'JPY' });
  });

  it('uses the adapter currency overrides', async () => {
    const adapter = { ...testAdapter(), currencyExponents: { XAU: 2 } };
    const result = await clientWith(adapter).capture({
      provider: 't',
      paymentId: 'p',
      amount: { currency: 'XAU', value: 5 },
    });
    expect(result.isOk()).toBe(true);
  });

  it('turns a throwing capabilities() into an Err with nothing sent', async () => {
    const adapter = testAdapter();
    const broken: CaptureProviderV1 = {
      ...adapter,
      capabilities: () => {
        throw new Error('caps bug');
      },
    };
    const error = await captureErr(clientWith(broken), { provider: 't', paymentId: 'p' });
    expect(error).toMatchObject({ code: 'provider_error', outcome: 'not_attempted' });
    expect(adapter.captures).toEqual([]);
  });
});

describe('capture(): what the adapter gets and what comes back', () => {
  it('normalizes the request: bigint amounts, final default true, generated key', async () => {
    const adapter = testAdapter();
    const result = await clientWith(adapter).capture({
      provider: 't',
      paymentId: 'pay_1',
      amount: eur('3500'),
      authorizedAmount: eur(6540),
      reference: 'ORD-1',
      metadata: { coupon: 'NY', n: 1, b: true },
    });
    const capture = result._unsafeUnwrap();
    const sent = adapter.captures[0];
    expect(sent).toEqual({
      paymentId: 'pay_1',
      final: true,
      idempotencyKey: capture.idempotencyKey,
      amount: { currency: 'EUR', value: 3500n },
      authorizedAmount: { currency: 'EUR', value: 6540n },
      reference: 'ORD-1',
      metadata: { coupon: 'NY', n: 1, b: true },
      // The client's deadline for the whole call (the adapter's timeoutMs), as a signal
      // (made when read) and as data for the provider kit's transport.
      signal: expect.any(AbortSignal),
      deadline: { at: expect.any(Number) },
    });
    expect(capture.idempotencyKey).toMatch(GENERATED_KEY);
    expect(capture.idempotencyKey.length).toBeLessThanOrEqual(64);
    expect(capture).toMatchObject({
      provider: 't',
      kind: 'test',
      status: 'succeeded',
      paymentId: 'pay_1',
    });
  });

  it('generates a fresh key per call', async () => {
    const client = clientWith();
    const a = (await client.capture({ provider: 't', paymentId: 'p' }))._unsafeUnwrap();
    const b = (await client.capture({ provider: 't', paymentId: 'p' }))._unsafeUnwrap();
    expect(a.idempotencyKey).not.toBe(b.idempotencyKey);
  });

  it('echoes the caller key to the adapter, on Ok and on Err', async () => {
    const adapter = testAdapter();
    const client = clientWith(adapter);
    const key = 'order-5023-capture-1';
    const okResult = await client.capture({ provider: 't', paymentId: 'p', idempotencyKey: key });
    expect(okResult._unsafeUnwrap().idempotencyKey).toBe(key);
    expect(adapter.captures[0]?.idempotencyKey).toBe(key);
    const errResult = await client.capture({
      provider: 't',
      paymentId: 'p',
      idempotencyKey: key,
      final: false,
    });
    expect(errResult._unsafeUnwrapErr().idempotencyKey).toBe(key);
  });

  it('returns the key on every kind of Err', async () => {
    const declined = testAdapter({
      capture: () =>
        err(
          captureError({
            code: 'risk_rejected',
            outcome: 'failed',
            message: 'no',
            providerCode: 'RISK',
          }),
        ),
    });
    const throwing = testAdapter({
      capture: () => {
        throw new Error('boom');
      },
    });
    const lying = testAdapter({ capture: (r) => ok({ ...succeeded(r), paymentId: 'other' }) });
    const client = createCaptureClient({
      providers: { declined, throwing, lying, t: testAdapter({ caps: { partialCapture: false } }) },
    });
    const requests: unknown[] = [
      { provider: 't', paymentId: 'p', nope: 1 },
      { provider: 'missing', paymentId: 'p' },
      { provider: 't', paymentId: 'p', amount: eur(1), authorizedAmount: eur(2) },
      { provider: 'declined', paymentId: 'p' },
      { provider: 'throwing', paymentId: 'p' },
      { provider: 'lying', paymentId: 'p' },
    ];
    for (const request of requests) {
      const generated = await captureErr(client, request);
      expect(generated.idempotencyKey, JSON.stringify(request)).toMatch(GENERATED_KEY);
      const given = await captureErr(client, { ...(request as object), idempotencyKey: 'mine-1' });
      expect(given.idempotencyKey, JSON.stringify(request)).toBe('mine-1');
    }
  });

  it('hands providerOptions[kind] to the adapter and nothing of other kinds', async () => {
    const adapter = testAdapter();
    const client = clientWith(adapter);
    await client.capture({
      provider: 't',
      paymentId: 'p',
      providerOptions: { test: { transit: { a: 1 } }, antom: { secret: 'x' } },
    });
    expect(adapter.captures[0]?.providerOptions).toEqual({ transit: { a: 1 } });
    await client.capture({ provider: 't', paymentId: 'p', providerOptions: { antom: { x: 1 } } });
    expect(adapter.captures[1]).not.toHaveProperty('providerOptions');
  });

  it('does not pick up Object.prototype as providerOptions for an odd kind', async () => {
    const adapter = testAdapter({ kind: 'constructor' });
    await clientWith(adapter).capture({ provider: 't', paymentId: 'p', providerOptions: {} });
    expect(adapter.captures[0]).not.toHaveProperty('providerOptions');
  });

  it('passes the abort signal through (joined with the whole-call deadline)', async () => {
    const adapter = testAdapter();
    const controller = new AbortController();
    await clientWith(adapter).capture({ provider: 't', paymentId: 'p', signal: controller.signal });
    const signal = adapter.captures[0]?.signal;
    expect(signal?.aborted).toBe(false);
    // The call is over, so the deadline is cleared; a later abort no longer reaches it.
    controller.abort(new Error('late'));
    expect(signal?.aborted).toBe(false);
  });

  it('aborts the adapter call when the caller aborts mid-call', async () => {
    let seen: AbortSignal | undefined;
    const slow = {
      ...testAdapter(),
      doCapture: (request: { signal?: AbortSignal }) =>
        new Promise<never>((_resolve, reject) => {
          seen = request.signal;
          request.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    };
    const controller = new AbortController();
    const pending = clientWith(slow as never).capture({
      provider: 't',
      paymentId: 'p',
      signal: controller.signal,
    });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect((await pending)._unsafeUnwrapErr().outcome).toBe('unknown');
    expect(seen?.aborted).toBe(true);
  });

  it('keeps the adapter Err outcome and adds provider, kind, paymentId', async () => {
    const adapter = testAdapter({
      capture: () =>
        err(
          captureError({
            code: 'authorization_expired',
            outcome: 'failed',
            message: 'expired',
            providerCode: 'AUTH_EXPIRED',
          }),
        ),
    });
    const error = await captureErr(clientWith(adapter), { provider: 't', paymentId: 'pay_9' });
    expect(error).toMatchObject({
      code: 'authorization_expired',
      outcome: 'failed',
      retryable: false,
      providerCode: 'AUTH_EXPIRED',
      provider: 't',
      kind: 'test',
      paymentId: 'pay_9',
    });
  });

  it.each([
    [
      'throws synchronously',
      () => {
        throw new Error('kaput');
      },
    ],
    ['rejects', () => Promise.reject(new Error('kaput'))],
    [
      'throws a non-Error',
      () => {
        throw Object.create(null);
      },
    ],
  ])('turns an adapter that %s into Err(provider_error, unknown)', async (_n, capture) => {
    const adapter = testAdapter({ capture: capture as CaptureAnswer });
    const result = await clientWith(adapter).capture({ provider: 't', paymentId: 'p' });
    const error = result._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'provider_error', outcome: 'unknown', retryable: true });
    expect(error.message).toMatch(/SAME idempotency key/);
  });

  it.each([
    ['a different paymentId', { paymentId: 'pay_other' }, /pay_other/],
    ['a different amount', { amount: eur(99n) }, /99 EUR/],
    ['a different currency', { amount: { currency: 'USD', value: 100n } }, /USD/],
  ])('refuses an answer with %s: Err(provider_error, unknown)', async (_n, change, message) => {
    const adapter = testAdapter({ capture: (r) => ok({ ...succeeded(r), ...change }) });
    const error = await captureErr(clientWith(adapter), {
      provider: 't',
      paymentId: 'pay_1',
      amount: eur(100n),
    });
    expect(error).toMatchObject({ code: 'provider_error', outcome: 'unknown', retryable: false });
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/resolve\(\)/);
  });

  it('accepts any amount the provider reports when none was asked (full capture)', async () => {
    const adapter = testAdapter({ capture: (r) => ok({ ...succeeded(r), amount: eur(6540n) }) });
    const capture = (
      await clientWith(adapter).capture({ provider: 't', paymentId: 'p' })
    )._unsafeUnwrap();
    expect(capture.amount).toEqual(eur(6540n));
  });
});

describe('resolve()', () => {
  it('hands the adapter the request and returns its capture with provider and key', async () => {
    const adapter = testAdapter();
    const result = await clientWith(adapter).resolve({
      provider: 't',
      paymentId: 'p',
      idempotencyKey: 'k-1',
      captureId: 'act_1',
    });
    expect(adapter.resolves).toEqual([
      { paymentId: 'p', idempotencyKey: 'k-1', captureId: 'act_1' },
    ]);
    expect(result._unsafeUnwrap()).toMatchObject({ provider: 't', idempotencyKey: 'k-1' });
  });

  it('validates: the idempotencyKey is required', async () => {
    const adapter = testAdapter();
    const result = await clientWith(adapter).resolve({ provider: 't', paymentId: 'p' } as never);
    expect(result._unsafeUnwrapErr()).toMatchObject({
      code: 'invalid_request',
      outcome: 'not_attempted',
    });
    expect(result._unsafeUnwrapErr().message).toMatch(/idempotencyKey/);
    expect(adapter.resolves).toEqual([]);
  });

  it('keeps capture_not_found from the adapter', async () => {
    const adapter = testAdapter({
      resolve: async () =>
        err(
          captureError({
            code: 'capture_not_found',
            outcome: 'failed',
            retryable: true,
            message: 'safe to send again with the SAME key',
          }),
        ),
    });
    const error = (
      await clientWith(adapter).resolve({ provider: 't', paymentId: 'p', idempotencyKey: 'k' })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'capture_not_found',
      outcome: 'failed',
      retryable: true,
      idempotencyKey: 'k',
      provider: 't',
    });
  });

  it('turns a throwing adapter into Err(provider_error, unknown)', async () => {
    const adapter = testAdapter({ resolve: () => Promise.reject(new Error('x')) });
    const result = await clientWith(adapter).resolve({
      provider: 't',
      paymentId: 'p',
      idempotencyKey: 'k',
    });
    expect(result._unsafeUnwrapErr()).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
      idempotencyKey: 'k',
    });
  });

  it('answers unknown_provider', async () => {
    const result = await clientWith().resolve({
      provider: 'x',
      paymentId: 'p',
      idempotencyKey: 'k',
    });
    expect(result._unsafeUnwrapErr()).toMatchObject({
      code: 'unknown_provider',
      idempotencyKey: 'k',
    });
  });
});

describe('diagnostics channel', () => {
  const messages: CaptureDiagnostic[] = [];
  const listener = (message: unknown) => messages.push(message as CaptureDiagnostic);

  afterEach(() => {
    unsubscribe(CAPTURE_CHANNEL, listener);
    messages.length = 0;
  });

  it('publishes one message per capture and resolve, with no secret', async () => {
    subscribe(CAPTURE_CHANNEL, listener);
    const leaky = testAdapter({
      capture: () =>
        err(
          captureError({
            code: 'authentication_failed',
            outcome: 'failed',
            // A careless adapter: the client must not pass messages or causes on.
            message: `key ${SECRET} refused`,
            cause: { secretKey: SECRET },
          }),
        ),
    });
    const good = testAdapter();
    const client = createCaptureClient({ providers: { good, leaky } });
    const metadata = { note: 'METADATA_STAYS_PRIVATE' };
    await client.capture({ provider: 'good', paymentId: 'pay_ok', amount: eur(100n), metadata });
    await client.capture({ provider: 'leaky', paymentId: 'pay_bad', metadata });
    await client.capture({ provider: 'good', paymentId: 'pay_x', amount: eur(-1) });
    await client.capture({ provider: 'nope', paymentId: 'pay_y' });
    await client.resolve({ provider: 'good', paymentId: 'pay_ok', idempotencyKey: 'k-1' });
    await client.resolve({ provider: 'leaky', paymentId: 'pay_bad', idempotencyKey: '' });

    expect(messages).toHaveLength(6);
    expect(messages.map((m) => [m.operation, m.provider, m.result, m.code])).toEqual([
      ['capture', 'good', 'succeeded', undefined],
      ['capture', 'leaky', 'failed', 'authentication_failed'],
      ['capture', 'good', 'not_attempted', 'invalid_request'],
      ['capture', 'nope', 'not_attempted', 'unknown_provider'],
      ['resolve', 'good', 'succeeded', undefined],
      ['resolve', 'leaky', 'not_attempted', 'invalid_request'],
    ]);
    for (const message of messages) {
      expect(message.durationMs).toBeTypeOf('number');
      expect(message.durationMs).toBeGreaterThanOrEqual(0);
      expect(message.idempotencyKey).toBeTypeOf('string');
    }
    expect(messages[0]).toMatchObject({ kind: 'test', paymentId: 'pay_ok' });
    const text = JSON.stringify(messages, (_key, value) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('METADATA_STAYS_PRIVATE');
  });

  it('publishes for garbage input too', async () => {
    subscribe(CAPTURE_CHANNEL, listener);
    await clientWith().capture(null as never);
    expect(messages).toEqual([
      expect.objectContaining({ operation: 'capture', provider: '', result: 'not_attempted' }),
    ]);
  });
});

describe('createCaptureClient', () => {
  it.each([
    ['an empty object', {}, /providers\.bad .*specificationVersion/],
    ['null', null, /providers\.bad .*got null/],
    ['a string', 'checkout', /providers\.bad /],
    [
      'an adapter without doResolve',
      { ...testAdapter(), doResolve: undefined },
      /providers\.bad .*doResolve\(\)/,
    ],
    [
      'an adapter without capabilities',
      { ...testAdapter(), capabilities: undefined },
      /providers\.bad .*capabilities\(\)/,
    ],
    ['an adapter without kind', { ...testAdapter(), kind: '' }, /providers\.bad .*kind/],
    ['a v2 adapter', { ...testAdapter(), specificationVersion: 'v2' }, /providers\.bad /],
  ])('throws at construction for %s, naming providers.<name>', (_n, bad, message) => {
    expect(() => createCaptureClient({ providers: { good: testAdapter(), bad } as never })).toThrow(
      message,
    );
  });

  it('throws for missing or empty providers', () => {
    expect(() => createCaptureClient(undefined as never)).toThrow(/providers/);
    expect(() => createCaptureClient({ providers: null as never })).toThrow(/providers/);
    expect(() => createCaptureClient({ providers: {} })).toThrow(/providers is empty/);
  });

  it('capabilities() answers the adapter and throws TypeError for an unknown provider', () => {
    const adapter = testAdapter({ caps: { partialCapture: false } });
    const client = clientWith(adapter);
    expect(client.providers).toEqual(['t']);
    expect(client.capabilities('t', { cardBrand: 'visa' }).partialCapture).toBe(false);
    expect(adapter.contexts.at(-1)).toEqual({ cardBrand: 'visa' });
    expect(client.capabilities('t')).toMatchObject({ fullCapture: true });
    expect(() => client.capabilities('nope')).toThrow(TypeError);
    expect(() => client.capabilities('nope')).toThrow(/"nope".*registered: t/);
  });

  it('webhookHandler() throws TypeError for an unknown provider', () => {
    expect(() => clientWith().webhookHandler('nope', () => {})).toThrow(TypeError);
  });

  it('close() closes every adapter', async () => {
    const a = testAdapter();
    const b = testAdapter();
    await createCaptureClient({ providers: { a, b } }).close();
    expect([a.closed, b.closed]).toEqual([1, 1]);
  });
});

describe('parseWebhook()', () => {
  const request = { method: 'POST', path: '/h', headers: {}, rawBody: Buffer.from('{}') };

  it.each([
    ['a parsed object', { a: 1 }],
    ['undefined', undefined],
    ['a Uint8Array that is not a Buffer', new Uint8Array([1])],
    ['a number', 5],
  ])('refuses rawBody as %s with invalid_payload, unverified', async (_n, rawBody) => {
    const adapter = testAdapter();
    const result = await clientWith(adapter).parseWebhook('t', { ...request, rawBody } as never);
    expect(result._unsafeUnwrapErr()).toMatchObject({ code: 'invalid_payload', verified: false });
    expect(result._unsafeUnwrapErr().message).toMatch(/rawBody/);
    expect(adapter.webhooks).toEqual([]);
  });

  it('refuses a missing request and an unknown provider', async () => {
    const client = clientWith();
    expect((await client.parseWebhook('t', null as never))._unsafeUnwrapErr().code).toBe(
      'invalid_payload',
    );
    expect((await client.parseWebhook('x', request))._unsafeUnwrapErr().code).toBe(
      'unknown_provider',
    );
  });

  it('accepts a string or Buffer body and adds the provider name', async () => {
    const adapter = testAdapter();
    const client = clientWith(adapter);
    expect((await client.parseWebhook('t', request))._unsafeUnwrap()).toMatchObject({
      provider: 't',
    });
    expect((await client.parseWebhook('t', { ...request, rawBody: '{}' })).isOk()).toBe(true);
    expect(adapter.webhooks[0]).toBe(request);
  });

  it('fails closed when the adapter throws', async () => {
    const adapter = testAdapter({ parse: () => Promise.reject(new Error('bug')) });
    const result = await clientWith(adapter).parseWebhook('t', request);
    expect(result._unsafeUnwrapErr()).toMatchObject({ code: 'invalid_payload', verified: false });
  });

  it('adds provider and kind to an adapter Err', async () => {
    const adapter = testAdapter({
      parse: async () => err({ code: 'signature_invalid', message: 'bad', verified: false }),
    });
    const result = await clientWith(adapter).parseWebhook('t', request);
    expect(result._unsafeUnwrapErr()).toMatchObject({
      code: 'signature_invalid',
      provider: 't',
      kind: 'test',
    });
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import { dispatchRequest } from '../../src/core/dispatch-request.js';
import { memoryJournal } from '../../src/core/memory-journal.js';
import type { CaptureProviderV1, ProviderCaptureRequest } from '../../src/core/spec.js';
import { parsesWebhooksNow, webhookParserNow } from '../../src/core/webhook-parser-now.js';
import type { WebhookRequest } from '../../src/core/webhook-types.js';
import { antom } from '../../src/providers/antom/index.js';
import { signAntomMessage } from '../../src/providers/antom/signing.js';
import { stripeCaptureMarker } from '../../src/providers/stripe/build-capture-body.js';
import { stripe } from '../../src/providers/stripe/index.js';
import { signStripeWebhook } from '../../src/providers/stripe/signing.js';
import { ANY_DELIVERY, awaitedOnly, ONE_EVENT, oneEventAdapter } from './core-fixtures.js';
import { scriptedProvider } from './scripted-provider.js';

/**
 * Review of the session-6 same-turn paths (journal-now.ts, webhook-parser-now.ts,
 * dispatch-request.ts): every answer and failure as the awaited path gives it. The oracle
 * is the same memory journal behind a wrapper (no face), or the same adapter copied (no
 * same-turn parser).
 */

const T = 1_800_000_000_000;
const EUR = (value: bigint) => ({ currency: 'EUR', value });

/** Both journals a comparison runs on: the face's, and the same kind without it. */
const BOTH = [
  ['face', (options?: Parameters<typeof memoryJournal>[0]) => memoryJournal(options)],
  [
    'awaited',
    (options?: Parameters<typeof memoryJournal>[0]) => awaitedOnly(memoryJournal(options)),
  ],
] as const;

function plain(result: { isOk(): boolean; value?: unknown; error?: unknown }) {
  if (result.isOk()) return { ok: result.value };
  const { cause, ...rest } = result.error as { cause?: unknown };
  return { err: rest, cause: cause instanceof Error ? cause.message : cause };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('failures on the same-turn capture path answer as the awaited path', () => {
  it('a begin the journal refuses (maxOpen) is journal_unavailable, and nothing is sent', async () => {
    const run = async (make: (typeof BOTH)[number][1]) => {
      const adapter = scriptedProvider({
        captures: [{ status: 'pending' }, { status: 'pending' }],
      });
      const client = createCaptureClient({
        providers: { t: adapter },
        journal: make({ maxOpen: 1 }),
        now: () => T,
      });
      const first = await client.capture({
        provider: 't',
        paymentId: 'pay_1',
        amount: EUR(100n),
        idempotencyKey: 'k1',
      });
      const second = await client.capture({
        provider: 't',
        paymentId: 'pay_2',
        amount: EUR(100n),
        idempotencyKey: 'k2',
      });
      return { first: plain(first), second: plain(second), sent: adapter.captureCalls.length };
    };
    const face = await run(BOTH[0][1]);
    expect(face.second).toMatchObject({ err: { code: 'journal_unavailable' } });
    expect(face.sent).toBe(1);
    expect(face).toEqual(await run(BOTH[1][1]));
  });

  it.each([1, 2, 3, 4, 5])(
    'a clock that throws from its call %i on: the same answer and the same intent either way',
    async (from) => {
      const run = async (make: (typeof BOTH)[number][1]) => {
        let calls = 0;
        const adapter = scriptedProvider({ captures: [{ status: 'succeeded' }] });
        const journal = make();
        const client = createCaptureClient({
          providers: { t: adapter },
          journal,
          now: () => {
            calls += 1;
            if (calls >= from) throw new Error('clock broke');
            return T;
          },
        });
        const result = await client
          .capture({ provider: 't', paymentId: 'pay_1', amount: EUR(100n), idempotencyKey: 'k1' })
          .then(plain, (error: unknown) => ({ rejected: String(error) }));
        return {
          result,
          sent: adapter.captureCalls.length,
          intent: (await journal.get('t', 'k1'))?.state,
        };
      };
      const face = await run(BOTH[0][1]);
      expect(face).not.toHaveProperty('result.rejected');
      expect(face).toEqual(await run(BOTH[1][1]));
    },
  );

  it('two captures of one key in the same turn: one is sent, the same answers either way', async () => {
    const run = async (make: (typeof BOTH)[number][1]) => {
      const adapter = scriptedProvider({
        captures: [{ status: 'succeeded' }, { status: 'succeeded' }],
      });
      const client = createCaptureClient({
        providers: { t: adapter },
        journal: make(),
        now: () => T,
      });
      const request = {
        provider: 't',
        paymentId: 'pay_1',
        amount: EUR(100n),
        idempotencyKey: 'k1',
      };
      const answers = await Promise.all([client.capture(request), client.capture(request)]);
      return { answers: answers.map(plain), sent: adapter.captureCalls.length };
    };
    const face = await run(BOTH[0][1]);
    expect(face.sent).toBe(1);
    expect(face).toEqual(await run(BOTH[1][1]));
  });

  it('a webhook that arrives while the capture is in flight: the same final intent either way', async () => {
    const run = async (make: (typeof BOTH)[number][1]) => {
      const gate = deferred<void>();
      const adapter = oneEventAdapter(
        async () => ok({ ...ONE_EVENT, idempotencyKey: 'k1' }),
        'cap_1',
      );
      const slow: CaptureProviderV1 = {
        ...adapter,
        async doCapture(request) {
          await gate.promise;
          return adapter.doCapture(request);
        },
      };
      const journal = make();
      const client = createCaptureClient({ providers: { t: slow }, journal, now: () => T });
      const capturing = client.capture({
        provider: 't',
        paymentId: ONE_EVENT.paymentId,
        amount: EUR(100n),
        idempotencyKey: 'k1',
      });
      const event = await client.parseWebhook('t', ANY_DELIVERY);
      const during = (await journal.get('t', 'k1'))?.state;
      gate.resolve();
      const captured = await capturing;
      const intent = await journal.get('t', 'k1');
      return { event: event.isOk(), during, captured: plain(captured), state: intent?.state };
    };
    const face = await run(BOTH[0][1]);
    expect(face.state).toBe('succeeded');
    expect(face).toEqual(await run(BOTH[1][1]));
  });
});

describe('never rejects, even when reading the journal or adapter throws', () => {
  it('a memory journal whose begin cannot be read answers journal_unavailable, as any journal', async () => {
    const adapter = scriptedProvider({ captures: [{ status: 'succeeded' }] });
    const journal = memoryJournal();
    const client = createCaptureClient({ providers: { t: adapter }, journal, now: () => T });
    // Patched after the client was made (an instrumentation getter that fails).
    Object.defineProperty(journal, 'begin', {
      get() {
        throw new Error('instrumentation broke');
      },
      configurable: true,
    });
    const result = await client
      .capture({ provider: 't', paymentId: 'pay_1', amount: EUR(100n), idempotencyKey: 'k1' })
      .then(plain, (error: unknown) => ({ rejected: String(error) }));
    expect(result).toMatchObject({ err: { code: 'journal_unavailable' } });
    expect(adapter.captureCalls).toHaveLength(0);
  });

  it('a first-party adapter whose doParseWebhook cannot be read is refused, not thrown', async () => {
    const adapter = parsesWebhooksNow(
      oneEventAdapter(async () => ok(ONE_EVENT)),
      () => ok({ ...ONE_EVENT }),
    );
    const client = createCaptureClient({ providers: { t: adapter } });
    Object.defineProperty(adapter, 'doParseWebhook', {
      get() {
        throw new Error('instrumentation broke');
      },
      configurable: true,
    });
    let answer: unknown;
    try {
      answer = plain(await client.parseWebhook('t', ANY_DELIVERY));
    } catch (error) {
      answer = { threw: String(error) };
    }
    expect(answer).toMatchObject({ err: { code: 'invalid_payload', verified: false } });
  });
});

describe('the first-party parsers hand out a new event on every call', () => {
  const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
  const merchant = rsa();
  const provider = rsa();

  /** The answers of the same deliveries through the parser and through a copy (awaited). */
  async function bothWays(adapter: CaptureProviderV1, deliveries: readonly WebhookRequest[]) {
    const answers = async (candidate: CaptureProviderV1) => {
      const client = createCaptureClient({ providers: { p: candidate }, now: () => T });
      const all = [];
      for (const delivery of deliveries) all.push(plain(await client.parseWebhook('p', delivery)));
      return all;
    };
    const parse = webhookParserNow(adapter);
    expect(parse).toBeDefined();
    const first = deliveries[0] as WebhookRequest;
    const a = parse?.(first);
    const b = parse?.(first);
    expect(a?.isOk()).toBe(true);
    expect(a?._unsafeUnwrap()).not.toBe(b?._unsafeUnwrap());
    expect(a?._unsafeUnwrap()).toStrictEqual(b?._unsafeUnwrap());
    const now = await answers(adapter);
    expect(now).toStrictEqual(await answers({ ...adapter }));
    return now;
  }

  it('Antom', async () => {
    const clientId = 'SANDBOX_REVIEW6';
    const adapter = antom({
      clientId,
      privateKey: merchant.privateKey,
      antomPublicKey: provider.publicKey,
    });
    const body = JSON.stringify({
      notifyType: 'CAPTURE_RESULT',
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
      paymentId: 'pay_antom_1',
      captureId: 'cap_antom_1',
      captureRequestId: 'k-antom',
      captureAmount: { currency: 'USD', value: '1000' },
      captureTime: '2026-12-01T00:00:00Z',
    });
    const time = String(T);
    const signed = (path: string, raw: string) =>
      signAntomMessage(provider.privateKey, { method: 'POST', path, clientId, time, body: raw });
    const delivery = (raw: string, signature: string): WebhookRequest => ({
      method: 'POST',
      path: '/notify',
      headers: { 'client-id': clientId, 'request-time': time, signature },
      rawBody: raw,
    });
    const ignored = body.replace('CAPTURE_RESULT', 'PAYMENT_RESULT');
    const answers = await bothWays(adapter, [
      delivery(body, signed('/notify', body)),
      delivery(body, signed('/other', body)),
      delivery(ignored, signed('/notify', ignored)),
      delivery('not json', signed('/notify', 'not json')),
    ]);
    expect(answers.map((a) => ('ok' in a ? 'ok' : (a.err as { code: string }).code))).toEqual([
      'ok',
      'signature_invalid',
      'event_ignored',
      'invalid_payload',
    ]);
  });

  it('Stripe', async () => {
    const secret = 'whsec_same_turn_0123456789';
    const adapter = stripe({ secretKey: 'sk_test_sameturn0123456789', webhookSecret: secret });
    const event = (type: string) =>
      JSON.stringify({
        id: 'evt_r6',
        object: 'event',
        type,
        created: 1_764_547_200,
        data: {
          object: {
            id: 'pi_r6',
            object: 'payment_intent',
            amount: 5000,
            amount_received: 5000,
            currency: 'eur',
            status: 'succeeded',
            client_secret: 'pi_r6_secret_abc',
            metadata: { [stripeCaptureMarker('k-r6')]: '|final|k-r6' },
          },
        },
      });
    const t = Math.floor(Date.now() / 1000);
    const delivery = (raw: string, signer = secret): WebhookRequest => ({
      method: 'POST',
      path: '/hook',
      headers: { 'stripe-signature': signStripeWebhook(raw, [signer], t) },
      rawBody: raw,
    });
    const answers = await bothWays(adapter, [
      delivery(event('payment_intent.succeeded')),
      delivery(event('payment_intent.succeeded'), 'whsec_attacker'),
      delivery(event('charge.captured')),
      delivery('{"id":1}'),
    ]);
    expect(answers.map((a) => ('ok' in a ? 'ok' : (a.err as { code: string }).code))).toEqual([
      'ok',
      'signature_invalid',
      'event_ignored',
      'invalid_payload',
    ]);
  });
});

describe('the dispatch request', () => {
  const wire: ProviderCaptureRequest = {
    paymentId: 'pay_1',
    final: true,
    idempotencyKey: 'k1',
    amount: EUR(100n),
  };

  it('shows nothing new to JSON, inspect, keys or a spread; frozen or proxied it still works', () => {
    const { request, done } = dispatchRequest(wire, performance.now() + 60_000);
    try {
      // Key order: dispatch-request.test.ts.
      expect(inspect(request)).not.toContain('dispatchLimits');
      expect(JSON.stringify({ ...request, amount: undefined })).not.toContain('dispatchLimits');
      expect(Object.getOwnPropertySymbols({ ...request })).toEqual([]);
      expect(new Proxy(request, {}).signal).toBeInstanceOf(AbortSignal);
      expect(Object.create(request).signal).toBe(request.signal);
      Object.freeze(request);
      expect(request.signal).toBeInstanceOf(AbortSignal);
      // structuredClone reads the getter, as it did the literal's; the hidden key stays behind.
      const clone = structuredClone(request);
      expect(Object.keys(clone)).toEqual(Object.keys(request));
      expect(Object.getOwnPropertySymbols(clone)).toEqual([]);
    } finally {
      done();
    }
  });

  it.each(['value', 'writable', 'get', 'set'])(
    'is built even when Object.prototype has a %s property (a polluted prototype)',
    (name) => {
      const pollution = name === 'get' || name === 'set' ? () => 1 : 'polluted';
      Object.defineProperty(Object.prototype, name, {
        value: pollution,
        writable: true,
        configurable: true,
        enumerable: false,
      });
      let built: ReturnType<typeof dispatchRequest> | undefined;
      let threw: unknown;
      try {
        built = dispatchRequest(wire, performance.now() + 60_000);
      } catch (error) {
        threw = error;
      } finally {
        delete (Object.prototype as Record<string, unknown>)[name];
      }
      built?.done();
      expect(threw).toBeUndefined();
      expect(built?.request.signal).toBeInstanceOf(AbortSignal);
    },
  );
});

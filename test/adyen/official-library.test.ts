import { CheckoutAPI, Client, Config, EnvironmentEnum, hmacValidator } from '@adyen/api-library';
import type { IRequest } from '@adyen/api-library/lib/src/typings/requestOptions.js';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import type { CaptureEvent } from '../../src/core/webhook-types.js';
import { adyen } from '../../src/providers/adyen/index.js';
import {
  signAdyenNotification,
  verifyAdyenNotification,
} from '../../src/providers/adyen/signing.js';
import { type AdyenSimulator, startAdyenSimulator } from '../../src/testing/simulators/adyen.js';
import { startWebhookSink, type WebhookSink } from './webhook-sink.js';

// @adyen/api-library 32.1.0 (a dev dependency, code no one here wrote) as the oracle.

const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

function item(overrides: Record<string, unknown> = {}) {
  return {
    pspReference: 'QFQTPCQ8HXSKGK82',
    originalReference: 'K4RFR5Z4FRJ2SZV5',
    merchantAccountCode: 'ShopEU',
    merchantReference: 'ORD-5023:part-1',
    amount: { value: 3500, currency: 'EUR' },
    eventCode: 'CAPTURE',
    success: 'true',
    eventDate: '2026-12-01T10:00:00+01:00',
    ...overrides,
  };
}

describe('HmacValidator (official) and the adapter agree, both ways', () => {
  const validator = new hmacValidator();
  const cases = [
    item(),
    item({ success: 'false', reason: 'Insufficient balance on payment' }),
    item({ eventCode: 'CAPTURE_FAILED' }),
    item({ merchantReference: '' }),
    item({ amount: { value: 0, currency: 'JPY' } }),
  ];
  for (const [index, fields] of cases.entries()) {
    it(`case ${index}: the official signature verifies with the adapter, and the adapter's with the official validator`, () => {
      const official = validator.calculateHmac(fields as never, HMAC_KEY);
      expect(verifyAdyenNotification(fields, official, HMAC_KEY)).toBe(true);
      const ours = signAdyenNotification(fields, HMAC_KEY);
      expect(ours).toBe(official);
      const signed = { ...fields, additionalData: { hmacSignature: ours } };
      expect(validator.validateHMAC(signed as never, HMAC_KEY)).toBe(true);
    });
  }

  it('a tampered field fails both', () => {
    const signature = signAdyenNotification(item(), HMAC_KEY);
    const tampered = item({ amount: { value: 3501, currency: 'EUR' } });
    expect(verifyAdyenNotification(tampered, signature, HMAC_KEY)).toBe(false);
    expect(
      validator.validateHMAC(
        { ...tampered, additionalData: { hmacSignature: signature } } as never,
        HMAC_KEY,
      ),
    ).toBe(false);
  });
});

describe("the simulator's webhook signatures verify with HmacValidator and with the adapter", () => {
  let sim: AdyenSimulator;
  let sink: WebhookSink;
  beforeAll(async () => {
    sink = await startWebhookSink();
    sim = await startAdyenSimulator({ webhookUrl: sink.url, batchWebhooks: true });
  });
  afterAll(async () => {
    await sim.close();
    await sink.close();
  });

  it('every item of a batch verifies with both; the official validator refuses a wrong key', async () => {
    const client = createCaptureClient({
      providers: { adyen: adyen({ ...sim.credentials, baseUrl: sim.baseUrl }) },
    });
    const payments = [
      await sim.authorize({ amount: 5000n, currency: 'EUR' }),
      await sim.authorize({ amount: 7000n, currency: 'EUR' }),
    ];
    for (const [index, payment] of payments.entries()) {
      const answer = await client.capture({
        provider: 'adyen',
        paymentId: payment.paymentId,
        amount: { currency: 'EUR', value: index === 0 ? 5000n : 9000n },
        reference: `ORD:${index}`,
      });
      expect(answer.isOk()).toBe(true);
    }
    await sim.settle();
    const body = JSON.parse(sink.bodies[0] ?? '{}') as {
      notificationItems: { NotificationRequestItem: Record<string, unknown> }[];
    };
    expect(body.notificationItems).toHaveLength(2);
    const validator = new hmacValidator();
    for (const { NotificationRequestItem: received } of body.notificationItems) {
      expect(validator.validateHMAC(received as never, sim.credentials.hmacKey)).toBe(true);
      const signature = (received.additionalData as { hmacSignature: string }).hmacSignature;
      expect(verifyAdyenNotification(received as never, signature, sim.credentials.hmacKey)).toBe(
        true,
      );
      expect(validator.validateHMAC(received as never, '00'.repeat(32))).toBe(false);
    }
    await client.close();
  });
});

/**
 * The official Checkout client cannot be pointed at a local URL through its options: Config
 * has no endpoint setting (the base URL is fixed to https://checkout-test.adyen.com/v72, or
 * the live prefix URL), and its HTTP client always uses https.request to that host on port
 * 443. Its one public extension point is `new Client(config, httpClient)` with a
 * ClientInterface: this one forwards the library's request (URL, headers it asked for, body
 * it serialized) to the simulator's origin, so the library's path, body and response
 * parsing are exercised; its TLS transport is not.
 */
type ClientInterface = NonNullable<ConstructorParameters<typeof Client>[1]>;

function forwardTo(origin: string): ClientInterface {
  return {
    async request(
      endpoint: string,
      json: string | Buffer,
      config: Config,
      _isApiKeyRequired: boolean,
      options?: IRequest.Options,
    ) {
      const url = new URL(endpoint);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...(config.apiKey ? { 'x-api-key': config.apiKey } : {}),
        ...(options?.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      };
      const response = await undiciRequest(`${origin}${url.pathname}`, {
        method: 'POST',
        headers,
        body: json,
      });
      const text = await response.body.text();
      if (response.statusCode >= 300) throw new Error(`HTTP ${response.statusCode}: ${text}`);
      return text;
    },
  };
}

describe('the official CheckoutAPI captures against the simulator', () => {
  let sim: AdyenSimulator;
  let sink: WebhookSink;
  const events: CaptureEvent[] = [];
  beforeAll(async () => {
    sink = await startWebhookSink();
    sim = await startAdyenSimulator({ webhookUrl: sink.url });
  });
  afterAll(async () => {
    await sim.close();
    await sink.close();
  });

  it('captureAuthorisedPayment gets 201 received; the webhook verifies with the adapter', async () => {
    const config = new Config({
      apiKey: sim.credentials.apiKey,
      environment: EnvironmentEnum.TEST,
    });
    const checkout = new CheckoutAPI(new Client(config, forwardTo(sim.url)));
    const payment = await sim.authorize({ amount: 6540n, currency: 'EUR' });
    const response = await checkout.ModificationsApi.captureAuthorisedPayment(
      payment.paymentId,
      {
        merchantAccount: sim.credentials.merchantAccount,
        amount: { value: 6540, currency: 'EUR' },
        reference: 'ORD-5023',
      },
      { idempotencyKey: 'official-capture-1' },
    );
    expect(String(response.status)).toBe('received');
    expect(response.paymentPspReference).toBe(payment.paymentId);
    expect(sim.requests.at(-1)?.path).toBe(`/v72/payments/${payment.paymentId}/captures`);
    // The same key again: the first response, no second capture.
    const again = await checkout.ModificationsApi.captureAuthorisedPayment(
      payment.paymentId,
      {
        merchantAccount: sim.credentials.merchantAccount,
        amount: { value: 6540, currency: 'EUR' },
        reference: 'ORD-5023',
      },
      { idempotencyKey: 'official-capture-1' },
    );
    expect(again.pspReference).toBe(response.pspReference);
    await sim.settle();
    const client = createCaptureClient({
      providers: { adyen: adyen({ ...sim.credentials, baseUrl: sim.baseUrl }) },
    });
    const parsed = await client.parseWebhookBatch('adyen', {
      method: 'POST',
      path: '/',
      headers: {},
      rawBody: sink.bodies.at(-1) ?? '',
    });
    events.push(...parsed._unsafeUnwrap());
    expect(events.map((event) => [event.type, event.captureId, event.paymentId])).toEqual([
      ['capture.succeeded', response.pspReference, payment.paymentId],
    ]);
    const state = await sim.payment(payment.paymentId);
    expect(state.captures).toHaveLength(1);
    expect(state.capturedTotal).toBe(6540n);
    await client.close();
  });
});

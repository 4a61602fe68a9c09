import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import {
  formatStripeMarker,
  STRIPE_API_VERSION,
  signStripeWebhook,
  stripe,
  stripeCaptureMarker,
  verifyStripeSignature,
} from '../../src/providers/stripe/index.js';
import { type StripeSimulator, startStripeSimulator } from '../../src/testing/simulators/stripe.js';

// Cross-checks against code no one here wrote: the official `stripe` package (a dev
// dependency). Its webhook helpers against the adapter's verification both ways (and the
// simulator's deliveries), and its client pointed at the simulator through its documented
// host / port / protocol options. Only 127.0.0.1.

const SECRET = 'whsec_test_cross_check_secret';
const payload = JSON.stringify({
  id: 'evt_1',
  object: 'event',
  type: 'payment_intent.succeeded',
  created: 1_764_547_200,
  data: { object: { id: 'pi_1' } },
});
const official = new Stripe('sk_test_unused0000', { host: '127.0.0.1', port: 9, protocol: 'http' });

describe('stripe.webhooks and the adapter verify each other', () => {
  it('a header from generateTestHeaderString verifies with the adapter', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const header = official.webhooks.generateTestHeaderString({
      payload,
      secret: SECRET,
      timestamp,
    });
    expect(verifyStripeSignature(payload, header, [SECRET], 300)).toBeUndefined();
    expect(verifyStripeSignature(`${payload} `, header, [SECRET], 300)).toBe('no_match');
    expect(verifyStripeSignature(payload, header, ['whsec_other'], 300)).toBe('no_match');
  });

  it('the adapter’s signature passes constructEvent; a tampered one does not', () => {
    const header = signStripeWebhook(payload, [SECRET], Math.floor(Date.now() / 1000));
    expect(official.webhooks.constructEvent(payload, header, SECRET).id).toBe('evt_1');
    expect(() => official.webhooks.constructEvent(`${payload} `, header, SECRET)).toThrow();
    expect(() => official.webhooks.constructEvent(payload, header, 'whsec_other')).toThrow();
  });

  it('both refuse a timestamp outside the 300 s tolerance', () => {
    const old = Math.floor(Date.now() / 1000) - 301;
    const header = signStripeWebhook(payload, [SECRET], old);
    expect(() => official.webhooks.constructEvent(payload, header, SECRET, 300)).toThrow(
      /tolerance/i,
    );
    expect(verifyStripeSignature(payload, header, [SECRET], 300)).toBe('outside_tolerance');
  });

  it('during a rotation (two v1 values) each secret verifies on both sides', () => {
    const header = signStripeWebhook(
      payload,
      ['whsec_old', 'whsec_new'],
      Math.floor(Date.now() / 1000),
    );
    for (const secret of ['whsec_old', 'whsec_new']) {
      expect(official.webhooks.constructEvent(payload, header, secret).id).toBe('evt_1');
      expect(verifyStripeSignature(payload, header, [secret], 300)).toBeUndefined();
    }
  });
});

describe('the official client and the simulator', () => {
  let sim: StripeSimulator;
  let client: Stripe;
  let receiver: Server;
  const received: { header: string; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          header: String(req.headers['stripe-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port: hookPort } = receiver.address() as AddressInfo;
    sim = await startStripeSimulator({ webhookUrl: `http://127.0.0.1:${hookPort}/hook` });
    const port = Number(new URL(sim.url).port);
    client = new Stripe(sim.credentials.secretKey, {
      host: '127.0.0.1',
      port,
      protocol: 'http',
      apiVersion: STRIPE_API_VERSION as Stripe.LatestApiVersion,
      maxNetworkRetries: 0,
    });
  });
  afterAll(async () => {
    await sim.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('captures in two parts (final_capture=false, then final), and retrieves the PaymentIntent', async () => {
    const { paymentId } = await sim.authorize({
      amount: 6540n,
      currency: 'EUR',
      cardBrand: 'visa',
    });
    const first = await client.paymentIntents.capture(
      paymentId,
      { amount_to_capture: 4000, final_capture: false },
      { idempotencyKey: 'sdk-part-1' },
    );
    expect(first.status).toBe('requires_capture');
    expect(first.amount_received).toBe(4000);
    const again = await client.paymentIntents.capture(
      paymentId,
      { amount_to_capture: 4000, final_capture: false },
      { idempotencyKey: 'sdk-part-1' },
    );
    expect(again.amount_received, 'the same key is replayed, not captured again').toBe(4000);
    const last = await client.paymentIntents.capture(paymentId, { amount_to_capture: 1000 });
    expect(last.status).toBe('succeeded');
    expect((await client.paymentIntents.retrieve(paymentId)).amount_received).toBe(5000);
    expect((await sim.payment(paymentId)).capturedTotal).toBe(5000n);
  });

  it('surfaces the simulator’s errors as the SDK’s typed errors', async () => {
    const { paymentId } = await sim.authorize({ amount: 1000n, currency: 'EUR' });
    const error = await client.paymentIntents
      .capture(paymentId, { amount_to_capture: 5000 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as Stripe.errors.StripeError).code).toBe('amount_too_large');
    const reused = await client.paymentIntents
      .capture(paymentId, { amount_to_capture: 100 }, { idempotencyKey: 'sdk-reuse' })
      .then(() =>
        client.paymentIntents.capture(
          paymentId,
          { amount_to_capture: 200 },
          { idempotencyKey: 'sdk-reuse' },
        ),
      )
      .catch((caught: unknown) => caught);
    expect(reused).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('a capture the SDK sends with the adapter’s marker is found by the adapter’s resolve()', async () => {
    const { paymentId } = await sim.authorize({ amount: 2500n, currency: 'EUR' });
    const key = 'order-77-capture-1';
    await client.paymentIntents.capture(
      paymentId,
      {
        amount_to_capture: 2500,
        metadata: {
          [stripeCaptureMarker(key)]: formatStripeMarker({
            amount: 2500n,
            final: true,
            idempotencyKey: key,
          }),
        },
      },
      { idempotencyKey: key },
    );
    const adapter = stripe({ ...sim.credentials, baseUrl: sim.baseUrl });
    const capture = createCaptureClient({ providers: { stripe: adapter } });
    const resolved = await capture.resolve({ provider: 'stripe', paymentId, idempotencyKey: key });
    expect(resolved.isOk() && resolved.value.amount).toEqual({ currency: 'EUR', value: 2500n });
    await capture.close();
  });

  it('the simulator’s webhook deliveries pass constructEvent', async () => {
    const { paymentId } = await sim.authorize({ amount: 900n, currency: 'EUR' });
    await client.paymentIntents.capture(paymentId);
    await sim.settle();
    const delivery = received.find((entry) => entry.body.includes(paymentId));
    if (!delivery) throw new Error('no delivery for the capture');
    const event = official.webhooks.constructEvent(
      delivery.body,
      delivery.header,
      sim.credentials.webhookSecret,
    );
    expect(event.type).toBe('payment_intent.succeeded');
    expect((event.data.object as { id: string }).id).toBe(paymentId);
  });
});

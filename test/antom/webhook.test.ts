import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ANTOM_WEBHOOK_ACK_BODY, antom } from '../../src/providers/antom/index.js';
import {
  antomWebhookClient,
  eventually,
  NOTIFY_CLIENT_ID,
  NOTIFY_PATH,
  signedNotification,
  startAntomFixture,
} from './antom-fixture.js';
import { SEED_NOTIFY_CAPTURE } from './seed-fixtures.js';

const CLIENT_ID = NOTIFY_CLIENT_ID;
const PATH = NOTIFY_PATH;

const { client, antomPrivateKey } = antomWebhookClient();

const notification = (body: string, options: Parameters<typeof signedNotification>[2] = {}) =>
  signedNotification(antomPrivateKey, body, options);

describe('parseWebhook: notifyCapture', () => {
  afterAll(() => client.close());

  it("maps the guide's sample to capture.succeeded", async () => {
    const event = (
      await client.parseWebhook('antom', notification(SEED_NOTIFY_CAPTURE))
    )._unsafeUnwrap();
    expect(event).toEqual({
      provider: 'antom',
      kind: 'antom',
      id: '2024121219********670209694544',
      type: 'capture.succeeded',
      paymentId: '20241212********0211082739',
      captureId: '2024121219********670209694544',
      idempotencyKey: '4c6c8ffd-*******eeb5af0e3f4',
      amount: { currency: 'USD', value: 2000n },
      occurredAt: '2024-12-11T23:34:03-08:00',
      raw: JSON.parse(SEED_NOTIFY_CAPTURE),
    });
  });

  it('maps F to capture.failed with providerCode; the dedupe key is captureRequestId:F without a captureId', async () => {
    const body = JSON.stringify({
      notifyType: 'CAPTURE_RESULT',
      result: { resultCode: 'PROCESS_FAIL', resultStatus: 'F', resultMessage: 'failed' },
      captureRequestId: 'key-1',
      paymentId: 'P1',
      captureAmount: { currency: 'USD', value: '2000' },
    });
    const event = (await client.parseWebhook('antom', notification(body)))._unsafeUnwrap();
    expect(event).toMatchObject({
      type: 'capture.failed',
      providerCode: 'PROCESS_FAIL',
      id: 'key-1:F',
      idempotencyKey: 'key-1',
      occurredAt: new Date(1733989443000).toISOString(),
    });
  });

  it('the signature is bound to the notify path, the client id and the body', async () => {
    const moved = notification(SEED_NOTIFY_CAPTURE, { path: '/other', signedPath: PATH });
    expect((await client.parseWebhook('antom', moved))._unsafeUnwrapErr()).toMatchObject({
      code: 'signature_invalid',
      verified: false,
    });
    const stranger = notification(SEED_NOTIFY_CAPTURE, { clientId: 'SANDBOX_OTHER' });
    expect((await client.parseWebhook('antom', stranger))._unsafeUnwrapErr().code).toBe(
      'signature_invalid',
    );
    const tampered = {
      ...notification(SEED_NOTIFY_CAPTURE),
      rawBody: SEED_NOTIFY_CAPTURE.replace('2000', '2001'),
    };
    expect((await client.parseWebhook('antom', tampered))._unsafeUnwrapErr().code).toBe(
      'signature_invalid',
    );
    const unsigned = { ...notification(SEED_NOTIFY_CAPTURE), headers: { 'client-id': CLIENT_ID } };
    expect((await client.parseWebhook('antom', unsigned))._unsafeUnwrapErr()).toMatchObject({
      code: 'signature_invalid',
      message: expect.stringContaining('no signature'),
    });
  });

  it('a query string on the notify URL is tolerated (signature over the path without it)', async () => {
    const request = notification(SEED_NOTIFY_CAPTURE, { path: `${PATH}?shop=1`, signedPath: PATH });
    expect((await client.parseWebhook('antom', request)).isOk()).toBe(true);
  });

  it('a verified notification of another type is event_ignored (acknowledged, not an event)', async () => {
    const body = JSON.stringify({
      notifyType: 'PAYMENT_RESULT',
      result: { resultStatus: 'S' },
      paymentId: 'P1',
    });
    expect(
      (await client.parseWebhook('antom', notification(body)))._unsafeUnwrapErr(),
    ).toMatchObject({
      code: 'event_ignored',
      verified: true,
      eventType: 'PAYMENT_RESULT',
    });
  });

  it('verified but malformed bodies are invalid_payload', async () => {
    for (const body of [
      'not json',
      '{"notifyType":"CAPTURE_RESULT","result":{"resultStatus":"U"},"paymentId":"P"}',
    ]) {
      expect(
        (await client.parseWebhook('antom', notification(body)))._unsafeUnwrapErr(),
      ).toMatchObject({
        code: 'invalid_payload',
        verified: true,
      });
    }
  });

  it("webhookAck is Antom's fixed body, unsigned, as JSON", () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const adapter = antom({
      clientId: CLIENT_ID,
      privateKey: keys.privateKey,
      antomPublicKey: keys.publicKey,
    });
    expect(adapter.webhookAck()).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}',
    });
    expect(JSON.parse(ANTOM_WEBHOOK_ACK_BODY)).toEqual({
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
    });
  });
});

describe('notifyCapture end to end through the webhook handler', () => {
  it('duplicate deliveries are acked and reach onEvent once; a bad signature gets 401 and no event', async () => {
    const f = await startAntomFixture();
    const payment = await f.sim.authorize({ amount: 2_000n, currency: 'USD' });
    f.sim.injectFault({ kind: 'webhook_duplicate' });
    const capture = (
      await f.client.capture({
        provider: 'antom',
        paymentId: payment.paymentId,
        amount: payment.amount,
      })
    )._unsafeUnwrap();
    const answered = f.answers.length;
    await f.sim.settle();
    const events = f.events.filter((e) => e.paymentId === payment.paymentId);
    // Both deliveries carry the capture id as event id; the journal dedupes the second.
    expect(events).toHaveLength(1);
    expect(events[0]?.id).toBe(capture.captureId);
    expect(f.answers.slice(answered)).toEqual([200, 200]);

    const other = await f.sim.authorize({ amount: 2_000n, currency: 'USD' });
    f.sim.injectFault({ kind: 'webhook_bad_signature' });
    await f.client.capture({ provider: 'antom', paymentId: other.paymentId, amount: other.amount });
    await f.sim.settle();
    expect(f.events.filter((e) => e.paymentId === other.paymentId)).toEqual([]);
    expect(f.answers.filter((status) => status === 401)).toHaveLength(8);
    await eventually(
      () => f.errors.find((e) => (e as { code?: string }).code === 'signature_invalid'),
      'onError',
    );
    await f.close();
  });
});

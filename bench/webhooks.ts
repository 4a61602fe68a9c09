import {
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import type { CaptureClient } from '../src/core/client.js';
import type { WebhookRequest } from '../src/core/webhook-types.js';
import type { Library } from './library.js';
import { type Contender, pairedRatio, runInterleaved, type SegmentSample } from './measure.js';
import type { Profile, ThroughputResult } from './types.js';

/**
 * Webhook verification, in process (no simulator, no HTTP): `client.parseWebhook` vs the
 * bare `node:crypto` call that verification needs, for a Checkout.com `payment_captured`
 * (HMAC-SHA256 over the raw body, constant-time compare) and an Antom `notifyCapture`
 * (RSA-2048 SHA256withRSA over `POST <path>\n<client-id>.<request-time>.<body>`).
 */

/** A contender that verifies one prepared delivery per operation. */
function contender(name: string, label: string, op: () => Promise<void> | void): Contender {
  return {
    name,
    label,
    concurrency: 1,
    usesSimulator: false,
    async setup() {
      return { op };
    },
  };
}

/**
 * The three contenders of one webhook case: `client.parseWebhook`, the bare crypto check,
 * and the bare crypto check plus the `JSON.parse` any consumer needs to read the event.
 */
function verificationContenders(
  client: CaptureClient,
  delivery: WebhookRequest,
  raw: { readonly label: string; readonly withJsonLabel: string; readonly verify: () => boolean },
): Contender[] {
  const body = delivery.rawBody as Buffer;
  const check = () => {
    if (!raw.verify()) throw new Error(`${raw.label} failed`);
  };
  return [
    contender('capture-kit', 'capture-kit parseWebhook', async () => {
      const result = await client.parseWebhook('bench', delivery);
      if (result.isErr()) throw new Error(`parseWebhook failed: ${result.error.message}`);
    }),
    contender('crypto', raw.label, check),
    contender('crypto+json', raw.withJsonLabel, () => {
      check();
      JSON.parse(body.toString('utf8'));
    }),
  ];
}

function checkoutDelivery(webhookSecret: string): WebhookRequest {
  const paymentId = `pay_${randomBytes(13).toString('hex')}`;
  const rawBody = Buffer.from(
    JSON.stringify({
      id: `evt_${randomBytes(13).toString('hex')}`,
      type: 'payment_captured',
      version: '1.0.0',
      created_on: new Date().toISOString(),
      data: {
        id: paymentId,
        action_id: `act_${randomBytes(13).toString('hex')}`,
        reference: 'ORD-5023-4E89',
        amount: 1000,
        currency: 'EUR',
        processed_on: new Date().toISOString(),
        response_code: '10000',
        response_summary: 'Approved',
        balances: {
          total_authorized: 1000,
          total_voided: 0,
          available_to_void: 0,
          total_captured: 1000,
          available_to_capture: 0,
          total_refunded: 0,
          available_to_refund: 1000,
        },
        metadata: { coupon: 'NY2018' },
      },
      _links: {
        self: { href: 'https://api.checkout.com/workflows/events/evt_x' },
        payment: { href: `https://api.checkout.com/payments/${paymentId}` },
      },
    }),
  );
  const signature = createHmac('sha256', webhookSecret).update(rawBody).digest('hex');
  return {
    method: 'POST',
    path: '/webhooks/cko',
    headers: { 'content-type': 'application/json', 'cko-signature': signature },
    rawBody,
  };
}

function checkoutContenders(lib: Library): Contender[] {
  const webhookSecret = randomBytes(32).toString('hex');
  const client = lib.createCaptureClient({
    providers: {
      bench: lib.checkout({
        secretKey: `sk_sbox_${'m73dzbpy7cf3gfd46xr4yj5xo4e'}`,
        webhookSecret,
        // Never contacted: webhooks are parsed in process.
        baseUrl: 'http://127.0.0.1:9',
      }),
    },
  });
  const delivery = checkoutDelivery(webhookSecret);
  const body = delivery.rawBody as Buffer;
  const header = String(delivery.headers['cko-signature']);
  const rawVerify = () =>
    timingSafeEqual(
      Buffer.from(header, 'hex'),
      createHmac('sha256', webhookSecret).update(body).digest(),
    );
  return verificationContenders(client, delivery, {
    label: 'raw createHmac + timingSafeEqual',
    withJsonLabel: 'raw HMAC check + JSON.parse',
    verify: rawVerify,
  });
}

function antomContenders(lib: Library): Contender[] {
  const clientId = 'SANDBOX_5YBZ0G2ZC0LE01234';
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const antomKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const antomPublicKeyPem = antomKeys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const client = lib.createCaptureClient({
    providers: {
      bench: lib.antom({
        clientId,
        privateKey: merchant.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        antomPublicKey: antomPublicKeyPem,
        baseUrl: 'http://127.0.0.1:9',
      }),
    },
  });
  const path = '/webhooks/antom';
  const time = String(Date.now());
  const body = JSON.stringify({
    captureAmount: { currency: 'USD', value: '1000' },
    captureId: '202611211940108901000000000000001',
    captureRequestId: 'order-5023-capture-1',
    captureTime: '2026-11-21T19:40:10+00:00',
    paymentId: '202611211940108001000000000000001',
    notifyType: 'CAPTURE_RESULT',
    result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
    acquirerReferenceNo: '2026112119031300000000000001',
  });
  const content = Buffer.from(`POST ${path}\n${clientId}.${time}.${body}`, 'utf8');
  const signature = sign('sha256', content, antomKeys.privateKey).toString('base64');
  const delivery: WebhookRequest = {
    method: 'POST',
    path,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': clientId,
      'request-time': time,
      signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
    },
    rawBody: Buffer.from(body, 'utf8'),
  };
  const rawBody = delivery.rawBody as Buffer;
  const header = String(delivery.headers.signature);
  // Parsed once, as the library does: the fair "raw" baseline.
  const publicKey = createPublicKey(antomPublicKeyPem);
  const rawVerify = () => {
    const encoded = /signature=([^,]+)/.exec(header)?.[1] ?? '';
    const given = Buffer.from(decodeURIComponent(encoded), 'base64');
    const signed = Buffer.concat([
      Buffer.from(`POST ${path}\n${clientId}.${time}.`, 'utf8'),
      rawBody,
    ]);
    return verify('sha256', signed, publicKey, given);
  };
  return verificationContenders(client, delivery, {
    label: 'raw crypto.verify',
    withJsonLabel: 'raw crypto.verify + JSON.parse',
    verify: rawVerify,
  });
}

/**
 * Runs both webhook benchmarks.
 *
 * @example
 * ```ts
 * const [cko, antom] = await webhookVerification(lib, profile, log);
 * ```
 */
export async function webhookVerification(
  lib: Library,
  profile: Profile,
  onSample: (contender: Contender, sample: SegmentSample, round: number) => void,
): Promise<ThroughputResult[]> {
  const quick = profile.name === 'quick';
  const cases = [
    {
      id: 'webhook-checkout',
      title: 'Checkout.com webhook verification (HMAC-SHA256)',
      contenders: checkoutContenders(lib),
      calibrationOps: quick ? 5_000 : 20_000,
      setup:
        'One signed `payment_captured` delivery (about 800 bytes) verified over and over, one at a time, in process. ' +
        '`parseWebhook` checks `Cko-Signature` (HMAC-SHA256 hex of the raw body, constant-time compare), parses and validates the body and maps it to a `CaptureEvent`. ' +
        'The raw contender is only `createHmac(...).digest()` + `timingSafeEqual`; the third adds the `JSON.parse` any consumer needs to read the event.',
    },
    {
      id: 'webhook-antom',
      title: 'Antom notifyCapture verification (RSA-2048)',
      contenders: antomContenders(lib),
      calibrationOps: quick ? 1_000 : 5_000,
      setup:
        'One signed `notifyCapture` (about 400 bytes) verified over and over, one at a time, in process. ' +
        '`parseWebhook` checks client-id, the RSA256 signature over `POST <path>\\n<client-id>.<request-time>.<body>`, parses and validates the body and maps it. ' +
        'The raw contender extracts the signature from the header, builds the signed bytes and calls `crypto.verify` with a parsed public key; the third adds `JSON.parse`.',
    },
  ];
  const results: ThroughputResult[] = [];
  for (const item of cases) {
    const measured = await runInterleaved(item.contenders, {
      rounds: profile.rounds,
      segmentMs: profile.webhookSegmentMs,
      warmupOps: 1_000,
      calibrationOps: item.calibrationOps,
      calibrationRuns: quick ? 1 : 2,
      minOps: 1_000,
      maxOps: 5_000_000,
      latency: false,
      onSample,
    });
    const [kit, crypto, cryptoJson] = measured as [
      (typeof measured)[number],
      (typeof measured)[number],
      (typeof measured)[number],
    ];
    results.push({
      kind: 'throughput',
      id: item.id,
      title: item.title,
      unit: 'verifications/s',
      setup: item.setup,
      contenders: measured,
      comparisons: [
        // Issue 13: the honest ceiling for anything that returns an event is the bare
        // check plus JSON.parse; the bare check alone is shown for information.
        {
          subject: kit.name,
          baseline: cryptoJson.name,
          ratio: pairedRatio(kit, cryptoJson),
          target: 0.9,
        },
        { subject: kit.name, baseline: crypto.name, ratio: pairedRatio(kit, crypto) },
      ],
      notes: [],
    });
  }
  return results;
}

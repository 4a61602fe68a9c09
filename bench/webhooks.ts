import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { err, ok, type Result, ResultAsync } from 'neverthrow';
import type { Dispatcher } from 'undici';
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

/**
 * One webhook case: a client with one provider registered as `bench`, a pool of signed
 * deliveries, each a different event (fresh event, payment and capture ids, as in
 * production, where every delivery is another capture's), and the bare check of a delivery.
 * No intent in the client's journal matches them: `parseWebhook` looks the payment up and
 * finds nothing to settle (the cost of settling a pending intent is the journal's, measured
 * with `bench/webhook-driver.ts --settle`).
 */
export interface WebhookCase {
  readonly client: CaptureClient;
  readonly deliveries: readonly WebhookRequest[];
  /** What the bare check is. */
  readonly rawLabel: string;
  readonly withJsonLabel: string;
  /** The bare `node:crypto` check of one delivery, with what it needs parsed once. */
  readonly verify: (delivery: WebhookRequest) => boolean;
}

/** A contender that verifies the next prepared delivery per operation. */
function contender(
  name: string,
  label: string,
  op: (index: number) => Promise<void> | void,
): Contender {
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
 * A journal lookup that finds nothing, as cheap as an asynchronous one can be: what the
 * floor contender awaits where `parseWebhook` asks its journal for the event's payment.
 */
async function lookUpNothing(): Promise<readonly never[]> {
  return [];
}

/**
 * The four contenders of one webhook case: `client.parseWebhook`; the bare crypto check;
 * the bare crypto check plus the `JSON.parse` any consumer needs to read the event (the
 * issue-13 ceiling); and that same check and parse behind the public API's shape, the
 * floor of any `parseWebhook` that returns a `ResultAsync` and awaits its journal: an async
 * function awaiting one journal lookup that finds nothing, wrapped in a `ResultAsync` and
 * awaited. No event is built and nothing is mapped. capture-kit can go below this floor's
 * shape: with its own adapters and the memory journal nothing is awaited at all
 * (src/core/webhook-parser-now.ts, journal-now.ts).
 * All four go through the same deliveries in the same order.
 */
function verificationContenders(item: WebhookCase): Contender[] {
  const { client, deliveries } = item;
  const size = deliveries.length;
  const check = (delivery: WebhookRequest) => {
    if (!item.verify(delivery)) throw new Error(`${item.rawLabel} failed`);
  };
  return [
    contender('capture-kit', 'capture-kit parseWebhook', async (index) => {
      const result = await client.parseWebhook('bench', deliveries[index % size] as WebhookRequest);
      if (result.isErr()) throw new Error(`parseWebhook failed: ${result.error.message}`);
    }),
    contender('crypto', item.rawLabel, (index) => {
      check(deliveries[index % size] as WebhookRequest);
    }),
    contender('crypto+json', item.withJsonLabel, (index) => {
      const delivery = deliveries[index % size] as WebhookRequest;
      check(delivery);
      JSON.parse((delivery.rawBody as Buffer).toString('utf8'));
    }),
    contender(
      'async-floor',
      `${item.withJsonLabel}, as ResultAsync + 1 journal await`,
      async (index) => {
        const result = await new ResultAsync(
          floorParse(deliveries[index % size] as WebhookRequest),
        );
        if (result.isErr()) throw new Error(`${item.rawLabel} failed`);
      },
    ),
  ];

  async function floorParse(delivery: WebhookRequest): Promise<Result<unknown, string>> {
    if (!item.verify(delivery)) return err('signature');
    const body: unknown = JSON.parse((delivery.rawBody as Buffer).toString('utf8'));
    await lookUpNothing();
    return ok(body);
  }
}

function randomId(prefix: string): string {
  return `${prefix}${randomBytes(13).toString('hex')}`;
}

function checkoutDelivery(
  webhookSecret: string,
  paymentId = randomId('pay_'),
  actionId = randomId('act_'),
  metadata: Readonly<Record<string, string>> = { coupon: 'NY2018' },
): WebhookRequest {
  const eventId = randomId('evt_');
  const rawBody = Buffer.from(
    JSON.stringify({
      id: eventId,
      type: 'payment_captured',
      version: '1.0.0',
      created_on: new Date().toISOString(),
      data: {
        id: paymentId,
        action_id: actionId,
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
        metadata,
      },
      _links: {
        self: { href: `https://api.checkout.com/workflows/events/${eventId}` },
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

/** A client with one Checkout.com adapter registered as `bench`, verifying with `webhookSecret`. */
function checkoutBenchClient(
  lib: Library,
  webhookSecret: string,
  connection: { readonly baseUrl: string; readonly dispatcher?: Dispatcher },
): CaptureClient {
  return lib.createCaptureClient({
    providers: {
      bench: lib.checkout({
        secretKey: `sk_sbox_${'m73dzbpy7cf3gfd46xr4yj5xo4e'}`,
        webhookSecret,
        ...connection,
      } as Parameters<Library['checkout']>[0]),
    },
  });
}

/**
 * Checkout.com: `payment_captured` deliveries (about 800 bytes each), HMAC-SHA256 signed.
 *
 * @example
 * ```ts
 * const item = checkoutWebhookCase(lib, 1024);
 * await item.client.parseWebhook('bench', item.deliveries[0]!);
 * ```
 */
export function checkoutWebhookCase(lib: Library, poolSize: number): WebhookCase {
  const webhookSecret = randomBytes(32).toString('hex');
  // Never contacted: webhooks are parsed in process.
  const client = checkoutBenchClient(lib, webhookSecret, { baseUrl: 'http://127.0.0.1:9' });
  const deliveries = Array.from({ length: poolSize }, () => checkoutDelivery(webhookSecret));
  return {
    client,
    deliveries,
    rawLabel: 'raw createHmac + timingSafeEqual',
    withJsonLabel: 'raw HMAC check + JSON.parse',
    verify: (delivery) =>
      timingSafeEqual(
        Buffer.from(delivery.headers['cko-signature'] as string, 'hex'),
        createHmac('sha256', webhookSecret)
          .update(delivery.rawBody as Buffer)
          .digest(),
      ),
  };
}

/**
 * Checkout.com deliveries that each settle a pending intent: a client whose adapter sends
 * through `dispatcher` (which must answer 202 with `action_id` `act_<idempotency key>`),
 * the payments and keys to capture first, and one `payment_captured` per capture, naming
 * its key in the metadata as Checkout.com echoes it. For `bench/webhook-driver.ts --settle`.
 *
 * @example
 * ```ts
 * const settled = checkoutSettleDeliveries(lib, 1000, dispatcher);
 * ```
 */
export function checkoutSettleDeliveries(
  lib: Library,
  size: number,
  dispatcher: Dispatcher,
): {
  readonly client: CaptureClient;
  readonly payments: readonly string[];
  readonly keys: readonly string[];
  readonly deliveries: readonly WebhookRequest[];
} {
  const webhookSecret = randomBytes(32).toString('hex');
  const client = checkoutBenchClient(lib, webhookSecret, {
    baseUrl: 'https://api.sandbox.checkout.com',
    dispatcher,
  });
  const payments = Array.from({ length: size }, () => randomId('pay_'));
  const keys = payments.map((_, i) => `bench-${i}`);
  const deliveries = payments.map((payment, i) =>
    checkoutDelivery(webhookSecret, payment, `act_${keys[i]}`, {
      capture_kit_idempotency_key: keys[i] as string,
    }),
  );
  return { client, payments, keys, deliveries };
}

/** The two RSA-2048 keys of the Antom case, as PKCS#8 PEM. */
export interface AntomBenchKeys {
  readonly merchantPrivateKeyPem: string;
  readonly antomPrivateKeyPem: string;
}

/**
 * Two fresh RSA-2048 keys. Generating one takes a random amount of work (the prime search):
 * `bench/webhook-driver.ts` keeps them in a file so that runs compared by instruction count
 * do the same work before their measured loop.
 *
 * @example
 * ```ts
 * const keys = antomBenchKeys();
 * ```
 */
export function antomBenchKeys(): AntomBenchKeys {
  const pem = () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
  return { merchantPrivateKeyPem: pem(), antomPrivateKeyPem: pem() };
}

/**
 * Antom: `notifyCapture` deliveries (about 400 bytes each), RSA-2048 signed.
 *
 * @example
 * ```ts
 * const item = antomWebhookCase(lib, 64);
 * await item.client.parseWebhook('bench', item.deliveries[0]!);
 * ```
 */
export function antomWebhookCase(
  lib: Library,
  poolSize: number,
  keys: AntomBenchKeys = antomBenchKeys(),
): WebhookCase {
  const clientId = 'SANDBOX_5YBZ0G2ZC0LE01234';
  const antomPrivateKey = createPrivateKey(keys.antomPrivateKeyPem);
  const antomPublicKeyPem = createPublicKey(antomPrivateKey)
    .export({ format: 'pem', type: 'spki' })
    .toString();
  const client = lib.createCaptureClient({
    providers: {
      bench: lib.antom({
        clientId,
        privateKey: keys.merchantPrivateKeyPem,
        antomPublicKey: antomPublicKeyPem,
        baseUrl: 'http://127.0.0.1:9',
      }),
    },
  });
  const path = '/webhooks/antom';
  const time = String(Date.now());
  const deliveries = Array.from({ length: poolSize }, (_, i): WebhookRequest => {
    const serial = String(i).padStart(6, '0');
    const body = JSON.stringify({
      captureAmount: { currency: 'USD', value: '1000' },
      captureId: `202611211940108901000000${serial}${randomBytes(2).toString('hex').slice(0, 3)}`,
      captureRequestId: `order-${randomBytes(4).toString('hex')}-capture-1`,
      captureTime: '2026-11-21T19:40:10+00:00',
      paymentId: `202611211940108001000000${serial}${randomBytes(2).toString('hex').slice(0, 3)}`,
      notifyType: 'CAPTURE_RESULT',
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
      acquirerReferenceNo: '2026112119031300000000000001',
    });
    const content = Buffer.from(`POST ${path}\n${clientId}.${time}.${body}`, 'utf8');
    const signature = sign('sha256', content, antomPrivateKey).toString('base64');
    return {
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
  });
  // Parsed once, as the library does: the fair "raw" baseline.
  const publicKey = createPublicKey(antomPublicKeyPem);
  const head = `POST ${path}\n${clientId}.${time}.`;
  return {
    client,
    deliveries,
    rawLabel: 'raw crypto.verify',
    withJsonLabel: 'raw crypto.verify + JSON.parse',
    verify: (delivery) => {
      const header = delivery.headers.signature as string;
      const encoded = /signature=([^,]+)/.exec(header)?.[1] ?? '';
      const given = Buffer.from(decodeURIComponent(encoded), 'base64');
      const signed = Buffer.concat([Buffer.from(head, 'utf8'), delivery.rawBody as Buffer]);
      return verify('sha256', signed, publicKey, given);
    },
  };
}

/** How both cases describe their fourth contender. */
const FLOOR_SETUP =
  " The fourth is the floor of this API's shape with an awaited journal: the third's work inside an async function that also awaits one journal lookup answering nothing, wrapped in a `ResultAsync` and awaited (no event built, nothing mapped). capture-kit's own adapters and the memory journal answer in the same turn, so `parseWebhook` awaits nothing inside and only its `ResultAsync` is awaited.";

/** Deliveries per pool: enough distinct events that none stays hot in a cache by itself. */
export const CHECKOUT_POOL = 1024;
export const ANTOM_POOL = 64;

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
      contenders: verificationContenders(checkoutWebhookCase(lib, CHECKOUT_POOL)),
      calibrationOps: quick ? 5_000 : 20_000,
      setup:
        `${CHECKOUT_POOL} signed \`payment_captured\` deliveries (about 800 bytes each), each a different event (fresh event, payment and action ids, as in production), verified in turn, one at a time, in process; no journal intent matches them (nothing to settle). ` +
        '`parseWebhook` checks `Cko-Signature` (HMAC-SHA256 hex of the raw body, constant-time compare), parses and validates the body and maps it to a `CaptureEvent`. ' +
        'The raw contender is only `createHmac(...).digest()` + `timingSafeEqual`; the third adds the `JSON.parse` any consumer needs to read the event.' +
        FLOOR_SETUP,
    },
    {
      id: 'webhook-antom',
      title: 'Antom notifyCapture verification (RSA-2048)',
      contenders: verificationContenders(antomWebhookCase(lib, ANTOM_POOL)),
      calibrationOps: quick ? 1_000 : 5_000,
      setup:
        `${ANTOM_POOL} signed \`notifyCapture\` deliveries (about 400 bytes each), each a different capture (fresh captureId, captureRequestId and paymentId), verified in turn, one at a time, in process; no journal intent matches them. ` +
        '`parseWebhook` checks client-id, the RSA256 signature over `POST <path>\\n<client-id>.<request-time>.<body>`, parses and validates the body and maps it. ' +
        'The raw contender extracts the signature from the header, builds the signed bytes and calls `crypto.verify` with a parsed public key; the third adds `JSON.parse`.' +
        FLOOR_SETUP,
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
    const [kit, crypto, cryptoJson, floor] = measured as [
      (typeof measured)[number],
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
        // Where the ceiling sits for this API: the shape alone, and the library's own work
        // above it (bench/FINDINGS.md, session 5).
        { subject: floor.name, baseline: cryptoJson.name, ratio: pairedRatio(floor, cryptoJson) },
        { subject: kit.name, baseline: floor.name, ratio: pairedRatio(kit, floor) },
      ],
      notes: [],
    });
  }
  return results;
}

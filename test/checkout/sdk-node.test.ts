import { Checkout } from 'checkout-sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';
import { rawHttp } from '../simulators/raw-http.js';

// The official Node SDK (checkout-sdk-node, a dev dependency) pointed at the simulator with its
// documented `host` option, as a platform would run its existing SDK code against it. The SDK
// sends `Authorization: Bearer sk_sbox_…`, `Content-Type: application/json` on every call (GET
// included), `Cache-Control` / `pragma` / `user-agent`, and `Cko-Idempotency-Key` when given.

interface SdkError {
  readonly name: string;
  readonly http_code: number;
  readonly body: unknown;
}

async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the SDK call to throw');
}

describe('checkout-sdk-node drives the Checkout.com simulator', () => {
  let sim: CheckoutSimulator;
  let cko: Checkout;
  beforeAll(async () => {
    sim = await startCheckoutSimulator();
    cko = new Checkout(sim.credentials.secretKey, { host: sim.baseUrl });
  });
  afterAll(() => sim.close());

  const newPayment = async (amount = 6540n, cardBrand = 'visa') =>
    (await sim.authorize({ amount, currency: 'EUR', cardBrand })).paymentId;

  it('capture: a full capture with no body, then payment details say Captured', async () => {
    const paymentId = await newPayment();
    const accepted = await cko.payments.capture(paymentId);
    expect(accepted.action_id).toMatch(/^act_/);
    const sent = sim.requests.filter((r) => r.path.startsWith(`/payments/${paymentId}`));
    expect(sent.map((r) => [r.method, r.headers['user-agent']])).toEqual([
      ['POST', expect.stringMatching(/^checkout-sdk-node\//)],
    ]);
    const details = await cko.payments.get(paymentId);
    expect(details).toMatchObject({
      id: paymentId,
      status: 'Captured',
      amount: 6540,
      currency: 'EUR',
      balances: { total_captured: 6540, available_to_capture: 0 },
    });
  });

  it('NonFinal captures, then a Final one, and the actions list (latest first)', async () => {
    const paymentId = await newPayment(1000n, 'mastercard');
    const first = await cko.payments.capture(
      paymentId,
      { amount: 300, capture_type: 'NonFinal', reference: 'ship-1', metadata: { box: 1 } },
      'sdk-nonfinal-1',
    );
    const second = await cko.payments.capture(
      paymentId,
      { amount: 200, capture_type: 'NonFinal', reference: 'ship-2' },
      'sdk-nonfinal-2',
    );
    const last = await cko.payments.capture(
      paymentId,
      { amount: 100, capture_type: 'Final', reference: 'ship-3' },
      'sdk-final',
    );
    const actions = (await cko.payments.getActions(paymentId)) as {
      id: string;
      type: string;
      amount: number;
      approved: boolean;
      reference?: string;
    }[];
    expect(actions.map((a) => [a.type, a.amount, a.reference])).toEqual([
      ['Capture', 100, 'ship-3'],
      ['Capture', 200, 'ship-2'],
      ['Capture', 300, 'ship-1'],
      ['Authorization', 1000, undefined],
    ]);
    expect(actions.slice(0, 3).map((a) => a.id)).toEqual([
      last.action_id,
      second.action_id,
      first.action_id,
    ]);
    expect(actions.every((a) => a.approved)).toBe(true);
    const details = await cko.payments.get(paymentId);
    expect(details.status).toBe('Partially Captured');
    expect(details.balances).toMatchObject({ total_captured: 600, total_voided: 400 });
  });

  it('idempotent replay: the same key and body answer the same action, one capture', async () => {
    const paymentId = await newPayment();
    const body = { amount: 1000, reference: 'replay' };
    const first = await cko.payments.capture(paymentId, body, 'sdk-replay');
    const again = await cko.payments.capture(paymentId, body, 'sdk-replay');
    expect(again).toEqual(first);
    expect((await sim.payment(paymentId)).captures).toHaveLength(1);
  });

  it('idempotency conflict: the same key with another body is refused (409), nothing captured', async () => {
    const paymentId = await newPayment();
    await cko.payments.capture(paymentId, { amount: 1000 }, 'sdk-conflict');
    const error = await sdkError(cko.payments.capture(paymentId, { amount: 2000 }, 'sdk-conflict'));
    expect(error.http_code).toBe(409);
    expect(error.body).toMatchObject({ error_codes: ['idempotency_key_reused'] });
    expect((await sim.payment(paymentId)).capturedTotal).toBe(1000n);
  });

  it('business refusals reach the SDK as its own error classes', async () => {
    const jcb = await newPayment(1000n, 'jcb');
    const nonFinal = await sdkError(
      cko.payments.capture(jcb, { amount: 100, capture_type: 'NonFinal' }),
    );
    expect(nonFinal).toMatchObject({ name: 'ValidationError', http_code: 422 });
    const missing = await sdkError(cko.payments.get('pay_doesnotexistdoesnotexist00'));
    expect(missing).toMatchObject({ name: 'NotFoundError', http_code: 404 });
    const stranger = new Checkout('sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e', { host: sim.baseUrl });
    const refused = await sdkError(stranger.payments.getActions(jcb));
    expect(refused).toMatchObject({ name: 'AuthenticationError', http_code: 401 });
  });

  it('amount_allocations pass through the SDK and are recorded', async () => {
    const paymentId = await newPayment();
    const allocations = [
      { id: 'ent_w4jelhppmfiufdnatam37wrfc4', amount: 6540, commission: { amount: 65 } },
    ];
    const accepted = await cko.payments.capture(paymentId, { amount_allocations: allocations });
    expect(sim.amountAllocations(accepted.action_id)).toEqual(allocations);
  });
});

describe("checkout-sdk-node's OAuth form against the simulator's token endpoint", () => {
  let sim: CheckoutSimulator;
  beforeAll(async () => {
    sim = await startCheckoutSimulator();
  });
  afterAll(() => sim.close());

  it('client_id / client_secret in the form body get a token the API accepts', async () => {
    const { clientId, clientSecret, tokenUrl } = sim.oauthCredentials;
    const cko = new Checkout(clientSecret, {
      client: clientId,
      scope: ['gateway'],
      environment: 'sandbox',
      host: sim.baseUrl,
    });
    // The SDK has no setting for the token URL (it derives it from the environment), so its
    // environment object is pointed at the simulator; everything it sends is its own.
    (cko as unknown as { config: { environment: object } }).config.environment = {
      getOAuthAuthorizationApi: () => tokenUrl,
    };
    const { paymentId } = await sim.authorize({ amount: 700n, currency: 'EUR' });
    const accepted = await cko.payments.capture(paymentId, { amount: 700 }, 'sdk-oauth');
    expect(accepted.action_id).toMatch(/^act_/);
    expect(sim.tokenRequests).toEqual([
      expect.objectContaining({ credentialsIn: 'body', scope: 'gateway', outcome: 'issued' }),
    ]);
    expect((await sim.payment(paymentId)).capturedTotal).toBe(700n);
  });
});

describe('the Checkout.com simulator accepts an absolute-form request line', () => {
  let sim: CheckoutSimulator;
  beforeAll(async () => {
    sim = await startCheckoutSimulator();
  });
  afterAll(() => sim.close());

  it('POST http://127.0.0.1:port/payments/{id}/captures reaches the capture route', async () => {
    const { paymentId } = await sim.authorize({ amount: 500n, currency: 'EUR' });
    const response = await rawHttp(sim.url, {
      target: `${sim.url}/payments/${paymentId}/captures`,
      headers: [
        ['AUTHORIZATION', `Bearer ${sim.credentials.secretKey}`],
        ['content-type', 'application/json'],
        ['Cko-Idempotency-Key', 'abs-1'],
      ],
      body: '{"amount":500}',
    });
    expect(response.status).toBe(202);
    expect((await sim.payment(paymentId)).capturedTotal).toBe(500n);
  });
});

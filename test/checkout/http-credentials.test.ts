import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { Transport, TransportRequest } from '../../src/provider-kit/transport.js';
import {
  type CheckoutCredentials,
  secretKeyCredentials,
} from '../../src/providers/checkout/checkout-credentials.js';
import { createCheckoutHttp } from '../../src/providers/checkout/http.js';

/** A transport that records what it is asked to send and answers with `statuses` in turn. */
function recordingTransport(statuses: number[]) {
  const sent: TransportRequest[] = [];
  const transport: Transport = {
    origin: 'https://api.sandbox.checkout.com',
    basePath: '',
    async send(request) {
      sent.push(request);
      return ok({ status: statuses.shift() ?? 200, headers: {}, body: Buffer.from('{}') });
    },
    async close() {},
  };
  return { transport, sent };
}

const CALL = {
  method: 'POST',
  path: '/payments/pay_1/captures',
  body: '{"amount":1}',
  idempotencyKey: 'k1',
} as const;

describe('createCheckoutHttp: where the Authorization value comes from', () => {
  it('a secret key is sent as it is, never asked for, and a 401 is not retried', async () => {
    const { transport, sent } = recordingTransport([401]);
    const credentials: CheckoutCredentials = {
      ...secretKeyCredentials('Bearer sk_sbox_fixed'),
      authorization: () => {
        throw new Error('a fixed credential must not be asked for');
      },
    };
    const answer = await createCheckoutHttp(transport, credentials).send(CALL);
    expect(answer._unsafeUnwrap().status).toBe(401);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers).toStrictEqual({
      authorization: 'Bearer sk_sbox_fixed',
      accept: 'application/json',
      'content-type': 'application/json',
      'cko-idempotency-key': 'k1',
    });
    expect(Object.keys(sent[0] ?? {})).toEqual(['method', 'path', 'headers', 'body']);
  });

  it('credentials without a fixed value are awaited, and a rejected token is fetched once more', async () => {
    const { transport, sent } = recordingTransport([401, 202]);
    const tokens = ['Bearer old', 'Bearer new'];
    const credentials: CheckoutCredentials = {
      setting: 'checkout({ oauth })',
      authorization: async () => ok(tokens.shift() ?? 'Bearer none'),
      rejected: (value) => value === 'Bearer old',
      close: async () => {},
    };
    const answer = await createCheckoutHttp(transport, credentials).send(CALL);
    expect(answer._unsafeUnwrap().status).toBe(202);
    expect(sent.map((request) => request.headers.authorization)).toEqual([
      'Bearer old',
      'Bearer new',
    ]);
    // The same bytes and key both times.
    expect(sent[1]?.body).toBe(sent[0]?.body);
    expect(sent[1]?.headers['cko-idempotency-key']).toBe('k1');
  });

  it('a GET carries no content type, no key and no body', async () => {
    const { transport, sent } = recordingTransport([200]);
    await createCheckoutHttp(transport, 'Bearer sk_sbox_fixed').send({
      method: 'GET',
      path: '/payments/pay_1/actions',
    });
    expect(sent[0]).toStrictEqual({
      method: 'GET',
      path: '/payments/pay_1/actions',
      headers: { authorization: 'Bearer sk_sbox_fixed', accept: 'application/json' },
    });
  });
});

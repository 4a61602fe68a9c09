import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { antomCapabilities } from '../../src/providers/antom/capabilities.js';
import { type AntomSettings, antom } from '../../src/providers/antom/index.js';
import { capabilityProblems } from '../../src/testing/conformance-assertions.js';
import { type AntomFixture, startAntomFixture } from './antom-fixture.js';
import { SEED_AIRLINE_REQUEST } from './seed-fixtures.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const antomKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('antom(settings): construction', () => {
  const base: AntomSettings = {
    clientId: 'SANDBOX_5YBZ0G2ZC0LE01234',
    privateKey: merchant.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    antomPublicKey: antomKeys.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };

  it('accepts PEM, bare base64 DER and KeyObjects; defaults to north-america', async () => {
    for (const settings of [
      base,
      {
        ...base,
        privateKey: merchant.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
        antomPublicKey: antomKeys.publicKey
          .export({ format: 'der', type: 'spki' })
          .toString('base64'),
      },
      {
        ...base,
        privateKey: merchant.privateKey,
        antomPublicKey: antomKeys.publicKey,
        region: 'us' as const,
      },
    ]) {
      const adapter = antom(settings);
      expect(adapter.kind).toBe('antom');
      await adapter.close?.();
    }
  });

  it('a bad key throws at construction, naming the setting and never echoing the key', () => {
    const secret = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ';
    expect(() => antom({ ...base, privateKey: secret })).toThrow(/antom\(\{ privateKey \}\)/);
    try {
      antom({ ...base, privateKey: secret });
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
    expect(() => antom({ ...base, antomPublicKey: 'nope' })).toThrow(
      /antom\(\{ antomPublicKey \}\)/,
    );
    expect(() => antom({ ...base, privateKey: ec.privateKey })).toThrow(/RSA/);
    expect(() => antom({ ...base, privateKey: '' })).toThrow(/missing/);
  });

  it('refuses region and baseUrl together, unknown regions, bad key versions, clientIds and contracts', () => {
    expect(() => antom({ ...base, region: 'asia', baseUrl: 'http://127.0.0.1:1' })).toThrow(
      /antom\(\{ baseUrl, region \}\)/,
    );
    expect(() => antom({ ...base, region: 'mars' as never })).toThrow(
      /antom\(\{ region \}\).*north-america/,
    );
    expect(() => antom({ ...base, keyVersion: 0 })).toThrow(/keyVersion/);
    expect(() => antom({ ...base, clientId: 'has space' })).toThrow(/clientId/);
    expect(() => antom({ ...base, contract: { partial: true } as never })).toThrow(/contract/);
    expect(() => antom({ ...base, contract: { partialCapture: 'yes' } as never })).toThrow(
      /contract.partialCapture/,
    );
    expect(() => antom({ ...base, baseUrl: 'ftp://x' })).toThrow(/antom\(\{ baseUrl \}\)/);
  });
});

describe('capabilities', () => {
  it('defaults to full capture only, with reasons citing the guide', () => {
    const caps = antomCapabilities({});
    expect(caps).toMatchObject({
      fullCapture: true,
      partialCapture: false,
      multipleCaptures: false,
      finalCaptureFlag: false,
      amountRequired: true,
      captureWindowDays: 7,
      resultDelivery: 'synchronous',
      webhooks: true,
    });
    expect(caps.reasons.join(' ')).toMatch(/only full capture is supported/);
    expect(capabilityProblems(caps)).toEqual([]);
  });

  it('a contract turns partial and multiple on', () => {
    const caps = antomCapabilities(
      { paymentMethod: 'CARD' },
      { partialCapture: true, multipleCaptures: true },
    );
    expect(caps).toMatchObject({
      partialCapture: true,
      multipleCaptures: true,
      finalCaptureFlag: true,
      reasons: [],
    });
  });

  it('US-issued cards stay full-only whatever the contract', () => {
    const caps = antomCapabilities(
      { issuerCountry: 'us', cardBrand: 'visa' },
      { partialCapture: true, multipleCaptures: true },
    );
    expect(caps.partialCapture).toBe(false);
    expect(caps.multipleCaptures).toBe(false);
    expect(caps.reasons.join(' ')).toMatch(/US/);
    expect(capabilityProblems(caps)).toEqual([]);
    // A US wallet payment is not a card.
    expect(
      antomCapabilities(
        { issuerCountry: 'US', paymentMethod: 'ALIPAY_CN' },
        { partialCapture: true },
      ).partialCapture,
    ).toBe(true);
  });

  it('South Korean cards get a note about issuer-authenticated automatic capture', () => {
    const caps = antomCapabilities({ issuerCountry: 'KR', paymentMethod: 'CARD' });
    expect(caps.reasons.join(' ')).toMatch(/South Korean issuer-authenticated/);
    expect(caps.fullCapture).toBe(true);
  });
});

describe('capture through the adapter (simulator)', () => {
  let f: AntomFixture;
  beforeAll(async () => {
    f = await startAntomFixture();
  });
  afterAll(async () => {
    await f.close();
  });
  const captures = () => f.sim.requests.filter((r) => r.path.endsWith('/capture'));

  it('omitted amount: inquiryPayment first, then the authorized amount is captured', async () => {
    const payment = await f.sim.authorize({ amount: 4_321n, currency: 'USD' });
    const before = f.sim.requests.length;
    const result = await f.client.capture({
      provider: 'antom',
      paymentId: payment.paymentId,
      idempotencyKey: `o-${payment.paymentId}`,
    });
    expect(result._unsafeUnwrap()).toMatchObject({
      status: 'succeeded',
      amount: { currency: 'USD', value: 4_321n },
      providerMetadata: { amountFromInquiry: true },
    });
    const calls = f.sim.requests.slice(before).map((r) => r.path.split('/').pop());
    expect(calls).toEqual(['inquiryPayment', 'capture']);
    // A replay without amount sends the same bytes (the earlier attempt's amount): same capture.
    const replay = await f.client.capture({
      provider: 'antom',
      paymentId: payment.paymentId,
      idempotencyKey: `o-${payment.paymentId}`,
    });
    expect(replay._unsafeUnwrap().captureId).toBe(result._unsafeUnwrap().captureId);
  });

  it('omitted amount with an unusable inquiry: not_attempted, the capture is never sent', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // Answers signed by the simulator do not verify with a stranger's key.
    const other = await startAntomFixture({}, { antomPublicKey: stranger.publicKey });
    const payment = await other.sim.authorize({ amount: 100n, currency: 'USD' });
    const error = (
      await other.client.capture({ provider: 'antom', paymentId: payment.paymentId })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'signature_invalid', outcome: 'not_attempted' });
    expect(error.message).toMatch(/NOT sent.*Pass amount explicitly/);
    expect(other.sim.requests.filter((r) => r.path.endsWith('/capture'))).toHaveLength(0);
    await other.close();
  });

  it('omitted amount on an unknown payment: payment_not_found / failed', async () => {
    const error = (
      await f.client.capture({
        provider: 'antom',
        paymentId: '20260101194010800199999999999999990',
      })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'payment_not_found',
      outcome: 'failed',
      providerCode: 'ORDER_NOT_EXIST',
    });
  });

  it('omitted amount on a fully captured payment: not_attempted, nothing left', async () => {
    const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
    await f.client.capture({
      provider: 'antom',
      paymentId: payment.paymentId,
      amount: payment.amount,
    });
    const error = (
      await f.client.capture({ provider: 'antom', paymentId: payment.paymentId })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'invalid_payment_state', outcome: 'not_attempted' });
  });

  it('IDR amounts must end in 00: refused by name before sending, pointing to roundIdr()', async () => {
    const sent = captures().length;
    const error = (
      await f.client.capture({
        provider: 'antom',
        paymentId: 'P-IDR',
        amount: { currency: 'IDR', value: 1_234_550n },
      })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'invalid_request', outcome: 'not_attempted' });
    expect(error.message).toMatch(/amount\.value 1234550.*roundIdr\(\)/);
    expect(captures()).toHaveLength(sent);
  });

  it('providerOptions.antom is validated strictly against the seed limits, naming the field', async () => {
    const seed = JSON.parse(SEED_AIRLINE_REQUEST);
    const leg = seed.transit.legs[0];
    const cases: [unknown, RegExp][] = [
      [
        { transit: { ...seed.transit, agentCode: '123456789' } },
        /providerOptions\.antom\.transit\.agentCode must be at most 8/,
      ],
      [
        { transit: { ...seed.transit, legs: [{ ...leg, fareBasis: 'hl7-wnr' }] } },
        /transit\.legs\.0\.fareBasis may contain only A-Z/,
      ],
      [
        { transit: { ...seed.transit, legs: Array(11).fill(leg) } },
        /transit\.legs must have at most 10/,
      ],
      [{ transit: { ...seed.transit, transitType: 'BUS' } }, /transitType must be one of/],
      [{ transit: { ...seed.transit, restrictedTicketIndicator: 0 } }, /restrictedTicketIndicator/],
      [
        { transit: { ...seed.transit, legs: [{ ...leg, departureTime: '2025-05-16 12:01' }] } },
        /departureTime must be an ISO 8601/,
      ],
      [{ transit: seed.transit, isLastCapture: 'true' }, /unknown field\(s\) "isLastCapture"/],
      [{ captureType: 'final' }, /captureType/],
    ];
    const sent = captures().length;
    for (const [options, message] of cases) {
      const error = (
        await f.client.capture({
          provider: 'antom',
          paymentId: 'P-OPT',
          amount: { currency: 'SGD', value: 2n },
          providerOptions: { antom: options },
        })
      )._unsafeUnwrapErr();
      expect(error.outcome).toBe('not_attempted');
      expect(error.code).toBe('invalid_request');
      expect(error.message).toMatch(message);
    }
    const contradiction = (
      await f.client.capture({
        provider: 'antom',
        paymentId: 'P-OPT',
        amount: { currency: 'SGD', value: 2n },
        final: false,
        providerOptions: { antom: { captureType: 'FINAL' } },
      })
    )._unsafeUnwrapErr();
    expect(contradiction.outcome).toBe('not_attempted');
    expect(captures()).toHaveLength(sent);
  });

  it('the seed airline example is accepted by the simulator end to end', async () => {
    const seed = JSON.parse(SEED_AIRLINE_REQUEST);
    const payment = await f.sim.authorize({ amount: 2n, currency: 'SGD' });
    const result = await f.client.capture({
      provider: 'antom',
      paymentId: payment.paymentId,
      amount: payment.amount,
      providerOptions: { antom: { captureType: 'FINAL', transit: seed.transit } },
    });
    expect(result.isOk()).toBe(true);
  });

  it('resolve(): capture_not_found, payment_not_found, and a failed capture keeps its code', async () => {
    const payment = await f.sim.authorize({ amount: 100n, currency: 'USD' });
    const notFound = (
      await f.client.resolve({
        provider: 'antom',
        paymentId: payment.paymentId,
        idempotencyKey: 'never-sent',
      })
    )._unsafeUnwrapErr();
    expect(notFound).toMatchObject({
      code: 'capture_not_found',
      outcome: 'failed',
      retryable: true,
    });
    expect(notFound.message).toMatch(/SAME idempotencyKey/);
    const noPayment = (
      await f.client.resolve({ provider: 'antom', paymentId: 'nope', idempotencyKey: 'k' })
    )._unsafeUnwrapErr();
    expect(noPayment).toMatchObject({ code: 'payment_not_found', outcome: 'failed' });

    f.sim.injectResult({ resultCode: 'USER_BALANCE_NOT_ENOUGH' });
    const key = `bal-${payment.paymentId}`;
    await f.client.capture({
      provider: 'antom',
      paymentId: payment.paymentId,
      amount: payment.amount,
      idempotencyKey: key,
    });
    const failed = (
      await f.client.resolve({
        provider: 'antom',
        paymentId: payment.paymentId,
        idempotencyKey: key,
      })
    )._unsafeUnwrapErr();
    expect(failed).toMatchObject({
      code: 'insufficient_funds',
      outcome: 'failed',
      providerCode: 'USER_BALANCE_NOT_ENOUGH',
    });
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPTURE_ERROR_CODES } from '../../src/core/errors.js';
import {
  ADYEN_CODE_TABLE,
  mapAdyenHttpError,
  mapAdyenWebhookFailure,
} from '../../src/providers/adyen/map-adyen-result.js';

const simulatorSource = readFileSync(
  new URL('../../src/testing/simulators/adyen.ts', import.meta.url),
  'utf8',
);
const ledgerSource = readFileSync(
  new URL('../../src/testing/simulators/adyen-ledger.ts', import.meta.url),
  'utf8',
);

describe('ADYEN_CODE_TABLE: every row maps somewhere deliberate', () => {
  for (const [key, row] of Object.entries(ADYEN_CODE_TABLE)) {
    it(`${key} → ${row.code} / ${row.outcome}`, () => {
      expect(CAPTURE_ERROR_CODES).toContain(row.code);
      expect(row.advice.length).toBeGreaterThan(20);
      const [kind, code = ''] = key.split(/:(.*)/s);
      if (kind === 'http') {
        const error = mapAdyenHttpError(Number(code), undefined);
        expect([error.code, error.outcome]).toEqual([row.code, row.outcome]);
        expect(error.message).toContain(row.advice);
      } else if (kind === 'error') {
        // An errorCode wins over a 4xx status, never over a 5xx.
        const error = mapAdyenHttpError(422, { errorCode: code, message: 'm' });
        expect([error.code, error.outcome, error.providerCode]).toEqual([
          row.code,
          row.outcome,
          code,
        ]);
        expect(mapAdyenHttpError(500, { errorCode: code }).outcome).toBe('unknown');
      } else if (kind === 'reason') {
        expect(mapAdyenWebhookFailure('CAPTURE', code)).toBe(row.code);
      } else {
        expect(kind).toBe('event');
        expect(mapAdyenWebhookFailure(code, 'anything')).toBe(row.code);
      }
    });
  }

  it('unlisted codes fall back by class', () => {
    expect(mapAdyenHttpError(418, undefined)).toMatchObject({
      code: 'invalid_request',
      outcome: 'failed',
    });
    expect(mapAdyenHttpError(599, undefined)).toMatchObject({
      code: 'provider_error',
      outcome: 'unknown',
    });
    expect(mapAdyenHttpError(422, { errorCode: '999999' })).toMatchObject({
      code: 'invalid_request',
      outcome: 'failed',
      providerCode: '999999',
    });
    expect(mapAdyenWebhookFailure('CAPTURE', 'Something new')).toBe('provider_error');
  });

  it('every errorCode and reason the simulator emits is in the table', () => {
    const errorCodes = [...simulatorSource.matchAll(/serviceError\(\s*\d+,\s*'(\d+)'/g)].map(
      (m) => m[1],
    );
    expect(errorCodes.length).toBeGreaterThan(3);
    for (const code of errorCodes)
      expect(ADYEN_CODE_TABLE, `error:${code}`).toHaveProperty([`error:${code}`]);
    const rules = ledgerSource.slice(
      ledgerSource.indexOf('#rule('),
      ledgerSource.indexOf('state('),
    );
    const reasons = [...rules.matchAll(/return '([^']+)';/g)].map((m) => m[1]);
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(ADYEN_CODE_TABLE).toHaveProperty([`reason:${reason}`]);
  });

  it('every ASSUMED row is named in the README', () => {
    const readme = readFileSync(
      new URL('../../src/providers/adyen/README.md', import.meta.url),
      'utf8',
    );
    expect(readme).toContain('ASSUMED');
    for (const [key, row] of Object.entries(ADYEN_CODE_TABLE)) {
      if (!row.assumed) continue;
      const [, code = ''] = key.split(/:(.*)/s);
      expect(readme, key).toContain(key.startsWith('reason:') ? 'webhook' : code);
    }
  });
});

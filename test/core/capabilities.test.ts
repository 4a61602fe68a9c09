import { describe, expect, it } from 'vitest';
import {
  type CaptureCapabilities,
  normalizeCardBrand,
  type PreflightRequest,
  preflight,
} from '../../src/core/capabilities.js';
import type { Money } from '../../src/core/money.js';
import { ALL_CAPABILITIES } from './core-fixtures.js';

const ALL_ON = ALL_CAPABILITIES;
const FULL_ONLY: CaptureCapabilities = {
  ...ALL_ON,
  partialCapture: false,
  multipleCaptures: false,
  finalCaptureFlag: false,
  reasons: [
    'partialCapture is off: the merchant contract allows full capture only.',
    'multipleCaptures is off: one capture per authorization.',
  ],
};
const NO_MULTI: CaptureCapabilities = {
  ...ALL_ON,
  multipleCaptures: false,
  reasons: ['multipleCaptures is off for jcb cards: only Visa, Mastercard, Amex, Discover.'],
};
const BRAND_UNKNOWN: CaptureCapabilities = {
  ...ALL_ON,
  multipleCaptures: false,
  finalCaptureFlag: false,
  reasons: ['unknown card brand: pass context.cardBrand to know ahead.'],
  undetermined: ['multipleCaptures', 'finalCaptureFlag'],
};
const PARTIAL_UNKNOWN: CaptureCapabilities = {
  ...ALL_ON,
  partialCapture: false,
  reasons: ['partialCapture depends on the issuer country, which was not given.'],
  undetermined: ['partialCapture'],
};
const NONE: CaptureCapabilities = {
  ...ALL_ON,
  fullCapture: false,
  partialCapture: false,
  multipleCaptures: false,
  reasons: ['No manual capture: this payment method captures automatically.'],
};

const eur = (value: bigint): Money => ({ currency: 'EUR', value });

interface Case {
  readonly name: string;
  readonly caps: CaptureCapabilities;
  readonly request: PreflightRequest;
  /** `undefined` = allowed. */
  readonly code?: string;
  /** Words the refusal must contain. */
  readonly mentions?: readonly (string | RegExp)[];
}

const CASES: readonly Case[] = [
  { name: 'full capture, amount omitted', caps: FULL_ONLY, request: { final: true } },
  {
    name: 'full capture, amount equals authorized',
    caps: FULL_ONLY,
    request: { final: true, amount: eur(6540n), authorizedAmount: eur(6540n) },
  },
  {
    name: 'amount without authorizedAmount cannot be judged partial',
    caps: FULL_ONLY,
    request: { final: true, amount: eur(100n) },
  },
  {
    name: 'partial where allowed',
    caps: ALL_ON,
    request: { final: true, amount: eur(3500n), authorizedAmount: eur(6540n) },
  },
  {
    name: 'non-final partial where allowed',
    caps: ALL_ON,
    request: { final: false, amount: eur(3500n), authorizedAmount: eur(6540n) },
  },
  {
    name: 'non-final where multipleCaptures is off',
    caps: NO_MULTI,
    request: { final: false, amount: eur(3500n) },
    code: 'unsupported',
    mentions: ['final: false', 'jcb', 'final: true'],
  },
  {
    // DESIGN §4: preflight refuses only what it knows; the provider's answer decides.
    name: 'non-final when multipleCaptures is undetermined (card brand not given)',
    caps: BRAND_UNKNOWN,
    request: { final: false, amount: eur(3500n) },
  },
  {
    name: 'partial when partialCapture is undetermined',
    caps: PARTIAL_UNKNOWN,
    request: { final: true, amount: eur(3500n), authorizedAmount: eur(6540n) },
  },
  {
    name: 'non-final on a full-only payment',
    caps: FULL_ONLY,
    request: { final: false, amount: eur(6540n), authorizedAmount: eur(6540n) },
    code: 'unsupported',
    mentions: ['final: false', 'one capture per authorization'],
  },
  {
    name: 'partial where partialCapture is off',
    caps: FULL_ONLY,
    request: { final: true, amount: eur(3500n), authorizedAmount: eur(6540n) },
    code: 'unsupported',
    mentions: ['amount.value', '3500', '6540', 'full capture only', 'merchant contract'],
  },
  {
    name: 'more than authorized',
    caps: ALL_ON,
    request: { final: true, amount: eur(6541n), authorizedAmount: eur(6540n) },
    code: 'amount_exceeds_authorized',
    mentions: ['amount.value', '6541', '6540'],
  },
  {
    name: 'more than authorized on a full-only payment',
    caps: FULL_ONLY,
    request: { final: true, amount: eur(9999n), authorizedAmount: eur(6540n) },
    code: 'amount_exceeds_authorized',
    mentions: ['amount.value'],
  },
  {
    name: 'currency differs from the authorization',
    caps: ALL_ON,
    request: {
      final: true,
      amount: { currency: 'USD', value: 100n },
      authorizedAmount: eur(6540n),
    },
    code: 'currency_mismatch',
    mentions: ['amount.currency', 'USD', 'authorizedAmount.currency', 'EUR'],
  },
  {
    name: 'no manual capture at all',
    caps: NONE,
    request: { final: true },
    code: 'unsupported',
    mentions: ['captures automatically'],
  },
];

describe('preflight', () => {
  it.each(CASES.map((c) => [c.name, c]))('%s', (_name, c) => {
    const verdict = preflight(c.request, c.caps);
    if (c.code === undefined) {
      expect(verdict.isOk()).toBe(true);
      return;
    }
    const error = verdict._unsafeUnwrapErr();
    expect(error.code).toBe(c.code);
    expect(error.outcome).toBe('not_attempted');
    expect(error.retryable).toBe(false);
    for (const word of c.mentions ?? []) expect(error.message).toMatch(word);
  });

  it('does not invent a reason when the capabilities give none', () => {
    const caps = { ...ALL_ON, multipleCaptures: false };
    const error = preflight({ final: false, amount: eur(1n) }, caps)._unsafeUnwrapErr();
    expect(error.message).toBe(
      'final: false asks for more captures later, but this payment allows only one capture. Send final: true (the default).',
    );
  });
});

describe('normalizeCardBrand', () => {
  it.each([
    ['visa', 'visa'],
    ['VISA', 'visa'],
    ['Visa', 'visa'],
    ['MasterCard', 'mastercard'],
    ['master_card', 'mastercard'],
    ['Master Card', 'mastercard'],
    ['master-card', 'mastercard'],
    ['MC', 'mastercard'],
    ['mc', 'mastercard'],
    ['AMEX', 'amex'],
    ['American Express', 'amex'],
    ['american_express', 'amex'],
    ['AmericanExpress', 'amex'],
    ['Discover', 'discover'],
    ['Discover Card', 'discover'],
    ['JCB', 'jcb'],
    ['UnionPay', 'unionpay'],
    ['Union Pay', 'unionpay'],
    ['CUP', 'unionpay'],
    ['China UnionPay', 'unionpay'],
    ['china_union_pay', 'unionpay'],
    ['Diners Club', 'dinersclub'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeCardBrand(input)).toBe(expected);
  });

  it('passes undefined through', () => {
    expect(normalizeCardBrand(undefined)).toBeUndefined();
  });

  it('does not resolve names inherited from Object.prototype', () => {
    expect(normalizeCardBrand('constructor')).toBe('constructor');
    expect(normalizeCardBrand('toString')).toBe('tostring');
  });
});

import { describe, expect, it } from 'vitest';
import { forCli } from '../../src/cli/cli-wording.js';

describe('forCli: library wording → command-line wording', () => {
  const facts = { provider: 'cko', paymentId: 'pay_123', idempotencyKey: 'order-1 capture' };

  it('names flags instead of request fields', () => {
    expect(
      forCli('capture_type NonFinal (final: false) is only accepted for Visa: send final: true.'),
    ).toBe('capture_type NonFinal (--not-final) is only accepted for Visa: pass --final.');
    expect(forCli('The amount is too high: lower amount.value or omit authorizedAmount.')).toBe(
      'The amount is too high: lower --amount or omit --authorized-amount.',
    );
    expect(forCli('check paymentId and idempotencyKey')).toBe(
      'check --payment-id and --idempotency-key',
    );
  });

  it("spells out the resolve command with the call's own values, shell-quoted", () => {
    expect(forCli('The capture may have happened: call resolve() or retry.', facts)).toBe(
      `The capture may have happened: run "capture-kit resolve --provider cko --payment-id pay_123 --idempotency-key 'order-1 capture'" or retry.`,
    );
    expect(forCli('Call resolve() again.')).toBe('Run "capture-kit resolve" again.');
  });

  it('names the environment variable (or config key) instead of the adapter setting', () => {
    expect(forCli('check checkout({ webhookSecret }).', { provider: 'cko' })).toBe(
      'check CAPTURE_KIT_CHECKOUT_WEBHOOK_SECRET (or providers.cko.webhookSecret in the --config file).',
    );
    expect(
      forCli('set antom({ contract: { partialCapture: true } }).', { provider: 'antom' }),
    ).toBe(
      `set "contract": {"partialCapture": true} in the --config file's providers.antom entry.`,
    );
  });
});

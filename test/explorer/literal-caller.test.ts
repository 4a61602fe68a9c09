import { err, ok, type Result } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { ProviderCapture } from '../../src/core/capture.js';
import { createCaptureClient } from '../../src/core/client.js';
import { type CaptureError, captureError } from '../../src/core/errors.js';
import type { CaptureProviderV1 } from '../../src/core/spec.js';
import { LiteralCaller } from './literal-caller.js';

/**
 * The explorer's caller on answers the simulators cannot give today: an adapter that
 * answers from a script, behind the real client. Proves the caller reads the table as
 * written, including `unresolved_capture` (DESIGN §8), whatever the library's wording.
 * Each script holds whether or not the client keeps an intent journal.
 */

type Answer = Result<ProviderCapture, CaptureError>;

function scriptedClient(captures: Answer[], resolves: Answer[], sent: string[] = []) {
  const adapter: CaptureProviderV1 = {
    specificationVersion: 'v1',
    kind: 'scripted',
    capabilities: () => ({
      fullCapture: true,
      partialCapture: true,
      multipleCaptures: true,
      finalCaptureFlag: true,
      amountRequired: false,
      resultDelivery: 'synchronous',
      webhooks: false,
      reasons: [],
    }),
    doCapture: async (request) => {
      sent.push(request.idempotencyKey);
      return captures.shift() ?? err(unknown());
    },
    doResolve: async () => resolves.shift() ?? err(unknown()),
    doParseWebhook: async () => err({ code: 'unsupported', verified: false, message: 'none' }),
    webhookAck: () => ({ status: 200, headers: {}, body: '' }),
  };
  return createCaptureClient({ providers: { s: adapter } });
}

const unknown = () =>
  captureError({ code: 'timeout', outcome: 'unknown', message: 'No answer in time.' });
const succeeded = (key: string): ProviderCapture => ({
  kind: 'scripted',
  status: 'succeeded',
  paymentId: 'p1',
  idempotencyKey: key,
  final: false,
  providerMetadata: {},
  raw: {},
});

function caller(client: ReturnType<typeof scriptedClient>) {
  return new LiteralCaller({
    client,
    provider: 's',
    paymentId: 'p1',
    currency: 'USD',
    context: {},
    slots: [
      { amount: 3000n, final: false, omitAmount: false },
      { amount: 2000n, final: false, omitAmount: false },
    ],
    keyPrefix: 't',
    reference: 'none',
    log: () => {},
  });
}

describe('the explorer caller', () => {
  it('never moves to a new key while a key is unknown', async () => {
    const sent: string[] = [];
    const c = caller(scriptedClient([err(unknown()), ok(succeeded('ts0k1'))], [], sent));
    await c.capture(0, 'new');
    await c.capture(0, 'new');
    expect(sent).toEqual(['ts0k1', 'ts0k1']);
    expect(c.attempts.map((a) => [a.key, a.belief])).toEqual([['ts0k1', 'succeeded']]);
  });

  it('after a decline, captures again only with a new key', async () => {
    const sent: string[] = [];
    const declined = captureError({ code: 'risk_rejected', outcome: 'failed', message: 'No.' });
    const c = caller(scriptedClient([err(declined), ok(succeeded('ts0k2'))], [], sent));
    await c.capture(0, 'same');
    await c.capture(0, 'same');
    expect(sent).toEqual(['ts0k1', 'ts0k2']);
    expect(c.attempts.map((a) => [a.key, a.belief])).toEqual([
      ['ts0k1', 'failed'],
      ['ts0k2', 'succeeded'],
    ]);
  });

  it('after unresolved_capture, resolves the key the error names before capturing', async () => {
    const c = caller(
      scriptedClient(
        [
          err(unknown()),
          err(
            captureError({
              code: 'unresolved_capture',
              outcome: 'not_attempted',
              message:
                'Capture ts0k1 on this payment is still unresolved: call resolve() for it first.',
            }),
          ),
        ],
        [ok(succeeded('ts0k1'))],
      ),
    );
    await c.capture(0, 'new');
    await c.capture(1, 'new');
    expect(c.mustResolve).toEqual(new Set(['ts0k1']));
    expect(c.attempts.find((a) => a.key === 'ts1k1')?.belief).toBe('not_attempted');
    // The next capture of slot 1 resolves the open key instead.
    await c.capture(1, 'new');
    expect(c.mustResolve.size).toBe(0);
    expect(c.attempts.map((a) => [a.key, a.belief])).toEqual([
      ['ts0k1', 'succeeded'],
      ['ts1k1', 'not_attempted'],
    ]);
  });

  it('when unresolved_capture names no key it knows, treats every unsettled sent key as open', async () => {
    const c = caller(
      scriptedClient(
        [
          err(
            captureError({ code: 'network_error', outcome: 'not_attempted', message: 'Refused.' }),
          ),
          err(
            captureError({
              code: 'unresolved_capture',
              outcome: 'not_attempted',
              message: 'Another capture on this payment is unresolved.',
            }),
          ),
        ],
        [],
      ),
    );
    await c.capture(0, 'new');
    await c.capture(1, 'new');
    expect(c.mustResolve).toEqual(new Set(['ts0k1']));
    expect(c.attempts.find((a) => a.key === 'ts0k1')?.belief).toBe('unknown');
  });
});

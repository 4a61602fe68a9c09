import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../../src/core/capture.js';
import { type CaptureError, type CaptureErrorInit, captureError } from '../../src/core/errors.js';
import type {
  CaptureProviderV1,
  ProviderCaptureRequest,
  ProviderResolveRequest,
} from '../../src/core/spec.js';
import { ALL_CAPABILITIES } from './core-fixtures.js';

/** One scripted answer: a success status, or an error. */
export type Scripted =
  | { readonly status: 'succeeded' | 'pending' }
  | (Omit<CaptureErrorInit, 'message'> & { readonly message?: string });

/**
 * A fake provider that answers from two queues, so a test can replay an exact sequence of
 * exchanges (an unknown, then a refused retry, …) and see what the client makes of it.
 * It is a provider, not a stand-in for any of our modules: the client under test is real.
 */
export function scriptedProvider(script: {
  captures?: Scripted[];
  resolves?: Scripted[];
}): CaptureProviderV1 & {
  readonly captureCalls: ProviderCaptureRequest[];
  readonly resolveCalls: ProviderResolveRequest[];
} {
  const captures = [...(script.captures ?? [])];
  const resolves = [...(script.resolves ?? [])];
  const captureCalls: ProviderCaptureRequest[] = [];
  const resolveCalls: ProviderResolveRequest[] = [];
  const answer = (
    next: Scripted | undefined,
    request: { paymentId: string; idempotencyKey: string; amount?: ProviderCapture['amount'] },
  ): Result<ProviderCapture, CaptureError> => {
    if (!next) throw new Error('scriptedProvider: no answer left in the script');
    if ('status' in next) {
      return ok({
        kind: 'scripted',
        status: next.status,
        paymentId: request.paymentId,
        idempotencyKey: request.idempotencyKey,
        captureId: `cap-${request.idempotencyKey}`,
        ...(request.amount ? { amount: request.amount } : {}),
        final: true,
        providerMetadata: {},
        raw: {},
      });
    }
    return err(captureError({ message: `scripted ${next.code}`, ...next }));
  };
  return {
    specificationVersion: 'v1',
    kind: 'scripted',
    timeoutMs: 1_000,
    captureCalls,
    resolveCalls,
    capabilities: () => ALL_CAPABILITIES,
    async doCapture(request) {
      captureCalls.push(request);
      return answer(captures.shift(), request);
    },
    async doResolve(request) {
      resolveCalls.push(request);
      return answer(resolves.shift(), request);
    },
    doParseWebhook: async () =>
      err({ code: 'unsupported', message: 'no webhooks', verified: false }),
    webhookAck: () => ({ status: 200, headers: {}, body: '' }),
  };
}

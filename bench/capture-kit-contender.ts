import type { Capture } from '../src/core/capture.js';
import type { CaptureProviderV1 } from '../src/core/spec.js';
import type { Library } from './library.js';
import type { Contender } from './measure.js';
import type { SimEndpoint, SimProcess } from './sim-client.js';
import { paymentAt, simContender } from './sim-client.js';

/**
 * The subject of every capture benchmark: `client.capture()` of a client with one adapter
 * pointed at the simulator, one full capture of a fresh payment per operation, with an
 * explicit idempotency key.
 *
 * @example
 * ```ts
 * const kit = captureKitContender(lib, sim, { concurrency: 64, payment, expect: 'pending' },
 *   (endpoint) => lib.checkout({ ...endpoint.credentials, baseUrl: endpoint.baseUrl }));
 * ```
 */
export function captureKitContender(
  lib: Library,
  sim: SimProcess,
  options: {
    readonly concurrency: number;
    readonly payment: {
      readonly amount: bigint;
      readonly currency: string;
      readonly cardBrand?: string;
    };
    /** The status every capture must come back with (`pending` for Checkout.com's 202). */
    readonly expect: Capture['status'];
  },
  adapter: (endpoint: SimEndpoint) => CaptureProviderV1,
): Contender {
  const { payment } = options;
  return simContender(
    sim,
    { name: 'capture-kit', label: 'capture-kit', concurrency: options.concurrency, payment },
    (segment) => {
      const client = lib.createCaptureClient({ providers: { bench: adapter(segment.endpoint) } });
      return {
        async op(index) {
          const result = await client.capture({
            provider: 'bench',
            paymentId: paymentAt(segment, index),
            amount: { currency: payment.currency, value: payment.amount },
            idempotencyKey: segment.key(index),
          });
          if (result.isErr())
            throw new Error(`capture-kit capture failed: ${result.error.message}`);
          if (result.value.status !== options.expect) {
            throw new Error(`expected a ${options.expect} capture, got ${result.value.status}`);
          }
        },
        teardown: () => client.close(),
      };
    },
  );
}

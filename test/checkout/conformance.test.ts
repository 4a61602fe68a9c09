import { createCaptureClient } from '../../src/core/client.js';
import { checkout } from '../../src/providers/checkout/index.js';
import { testProvider } from '../../src/testing/conformance.js';
import { startCheckoutSimulator } from '../../src/testing/simulators/checkout.js';

testProvider({
  name: 'checkout',
  async setup({ webhookUrl }) {
    const sim = await startCheckoutSimulator({ webhookUrl });
    const client = createCaptureClient({
      providers: { cko: checkout({ ...sim.credentials, baseUrl: sim.baseUrl, timeoutMs: 400 }) },
    });
    return {
      client,
      provider: 'cko',
      currency: 'EUR',
      // Every fault but unknown_status and bad_signature: Checkout.com's capture API has
      // no "result unknown" status and does not sign its responses.
      faults: sim.faults,
      authorize: (options) => sim.authorize({ cardBrand: 'visa', ...options }),
      injectFault: (fault) => sim.injectFault(fault),
      advanceClock: (ms) => sim.advanceClock(ms),
      payment: (paymentId) => sim.payment(paymentId),
      settle: () => sim.settle(),
      async close() {
        await client.close();
        await sim.close();
      },
    };
  },
});

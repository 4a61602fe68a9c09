import { createCaptureClient } from '../../src/core/client.js';
import { checkout } from '../../src/providers/checkout/index.js';
import { testProvider } from '../../src/testing/conformance.js';
import { harnessFromSimulator } from '../../src/testing/harness-from-simulator.js';
import { startCheckoutSimulator } from '../../src/testing/simulators/checkout.js';

testProvider({
  name: 'checkout',
  async setup({ webhookUrl }) {
    const sim = await startCheckoutSimulator({ webhookUrl });
    const cko = checkout({ ...sim.credentials, baseUrl: sim.baseUrl, timeoutMs: 400 });
    const client = createCaptureClient({ providers: { cko }, inFlightGraceMs: 0 });
    // Every fault but unknown_status and bad_signature: Checkout.com's capture API has no
    // "result unknown" status and does not sign its responses. Visa, so NonFinal is allowed.
    return harnessFromSimulator(sim, {
      client,
      provider: 'cko',
      currency: 'EUR',
      authorizeDefaults: { cardBrand: 'visa' },
      restartClient: () => createCaptureClient({ providers: { cko }, inFlightGraceMs: 0 }),
    });
  },
});

import { createCaptureClient } from '../../src/core/client.js';
import { checkout } from '../../src/providers/checkout/index.js';
import { testProvider } from '../../src/testing/conformance.js';
import { harnessFromSimulator } from '../../src/testing/harness-from-simulator.js';
import { startCheckoutSimulator } from '../../src/testing/simulators/checkout.js';

// The whole conformance suite again, authenticated with an access key (OAuth client
// credentials) instead of the secret key: tokens must change nothing about outcomes.
testProvider({
  name: 'checkout (oauth)',
  async setup({ webhookUrl }) {
    const sim = await startCheckoutSimulator({ webhookUrl });
    const client = createCaptureClient({
      inFlightGraceMs: 0,
      providers: {
        cko: checkout({
          oauth: sim.oauthCredentials,
          webhookSecret: sim.credentials.webhookSecret,
          baseUrl: sim.baseUrl,
          timeoutMs: 400,
        }),
      },
    });
    return harnessFromSimulator(sim, {
      client,
      provider: 'cko',
      currency: 'EUR',
      authorizeDefaults: { cardBrand: 'visa' },
    });
  },
});

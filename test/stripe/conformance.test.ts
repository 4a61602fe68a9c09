import { createCaptureClient } from '../../src/core/client.js';
import { stripe } from '../../src/providers/stripe/index.js';
import { testProvider } from '../../src/testing/conformance.js';
import { harnessFromSimulator } from '../../src/testing/harness-from-simulator.js';
import { startStripeSimulator } from '../../src/testing/simulators/stripe.js';

testProvider({
  name: 'stripe',
  async setup({ webhookUrl }) {
    const sim = await startStripeSimulator({ webhookUrl });
    const adapter = stripe({ ...sim.credentials, baseUrl: sim.baseUrl, timeoutMs: 400 });
    const client = createCaptureClient({ providers: { stripe: adapter }, inFlightGraceMs: 0 });
    // Every fault but unknown_status and bad_signature: Stripe's capture answer has no
    // "result unknown" status and its responses are not signed.
    return harnessFromSimulator(sim, {
      client,
      provider: 'stripe',
      currency: 'EUR',
      authorizeDefaults: { cardBrand: 'visa' },
      restartClient: () =>
        createCaptureClient({ providers: { stripe: adapter }, inFlightGraceMs: 0 }),
    });
  },
});

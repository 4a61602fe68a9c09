import { createCaptureClient } from '../../src/core/client.js';
import { adyen } from '../../src/providers/adyen/index.js';
import { testProvider } from '../../src/testing/conformance.js';
import { harnessFromSimulator } from '../../src/testing/harness-from-simulator.js';
import { startAdyenSimulator } from '../../src/testing/simulators/adyen.js';

testProvider({
  name: 'adyen',
  async setup({ webhookUrl }) {
    const sim = await startAdyenSimulator({ webhookUrl, multiplePartialCaptures: true });
    const adapter = adyen({
      ...sim.credentials,
      baseUrl: sim.baseUrl,
      multiplePartialCaptures: true,
      timeoutMs: 400,
    });
    const client = createCaptureClient({ providers: { adyen: adapter }, inFlightGraceMs: 0 });
    const harness = harnessFromSimulator(sim, {
      client,
      provider: 'adyen',
      currency: 'EUR',
      restartClient: () =>
        createCaptureClient({ providers: { adyen: adapter }, inFlightGraceMs: 0 }),
      // No capture-status query in the Checkout API: only a verified CAPTURE webhook proves
      // a result, and resolve() is the same-key re-send (see the adapter's README).
      resultsProvenBy: 'webhook',
    });
    return harness;
  },
});

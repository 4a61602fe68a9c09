import { testProvider } from '../../src/testing/conformance.js';
import type { ConformanceHarness } from '../../src/testing/harness.js';
import {
  type AntomSimulatorOptions,
  startAntomSimulator,
} from '../../src/testing/simulators/antom.js';
import { antomClient } from './antom-fixture.js';

async function harness(
  webhookUrl: string,
  options: AntomSimulatorOptions = {},
): Promise<ConformanceHarness> {
  const sim = await startAntomSimulator({ webhookUrl, ...options });
  const client = antomClient(sim, options.contract);
  return {
    client,
    provider: 'antom',
    currency: 'USD',
    // All twelve: Antom signs its answers, has U statuses, and sends notifyCapture.
    faults: sim.faults,
    authorize: (authorize) => sim.authorize({ cardBrand: 'visa', ...authorize }),
    injectFault: (fault) => sim.injectFault(fault),
    advanceClock: (ms) => sim.advanceClock(ms),
    payment: (paymentId) => sim.payment(paymentId),
    settle: () => sim.settle(),
    async close() {
      await client.close();
      await sim.close();
    },
  };
}

// Antom's documented default: full capture only, one capture per authorization.
testProvider({
  name: 'antom (full-only contract)',
  setup: ({ webhookUrl }) => harness(webhookUrl),
});

// A merchant whose contract allows partial and multiple captures (isLastCapture is sent).
testProvider({
  name: 'antom (partial + multiple contract)',
  setup: ({ webhookUrl }) =>
    harness(webhookUrl, {
      clientId: 'PROD_2188120012345678',
      contract: { partialCapture: true, multipleCaptures: true },
    }),
});

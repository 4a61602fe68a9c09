import { testProvider } from '../../src/testing/conformance.js';
import type { ConformanceHarness } from '../../src/testing/harness.js';
import { harnessFromSimulator } from '../../src/testing/harness-from-simulator.js';
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
  // All twelve faults: Antom signs its answers, has U statuses, and sends notifyCapture.
  return harnessFromSimulator(sim, {
    client,
    provider: 'antom',
    currency: 'USD',
    authorizeDefaults: { cardBrand: 'visa' },
    restartClient: () => antomClient(sim, options.contract),
  });
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

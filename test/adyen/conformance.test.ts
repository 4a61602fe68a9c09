import { createCaptureClient } from '../../src/core/client.js';
import { adyen } from '../../src/providers/adyen/index.js';
import { testProvider } from '../../src/testing/conformance.js';
import type { FaultKind } from '../../src/testing/harness.js';
import { harnessFromSimulator } from '../../src/testing/harness-from-simulator.js';
import { startAdyenSimulator } from '../../src/testing/simulators/adyen.js';

/**
 * Fault rows that cannot hold for Adyen, and why; each is covered by
 * test/adyen/honest-outcomes.test.ts instead:
 * - webhook_missing, webhook_bad_signature: the Checkout API has no capture-status query,
 *   so without a verified CAPTURE webhook nothing can prove the capture succeeded; resolve()
 *   honestly stays Ok(pending) (the rows require Ok(succeeded)).
 * - timeout_before_commit, server_error: the rows require resolve() → capture_not_found.
 *   Adyen's only inquiry is the same-key re-send, which cannot tell "had none" from "has
 *   one now" (if the first never arrived, the re-send IS the capture): it answers Ok(pending).
 */
const NOT_APPLICABLE: readonly FaultKind[] = [
  'webhook_missing',
  'webhook_bad_signature',
  'timeout_before_commit',
  'server_error',
];

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
    });
    return { ...harness, faults: sim.faults.filter((kind) => !NOT_APPLICABLE.includes(kind)) };
  },
});

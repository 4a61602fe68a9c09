import { createCaptureClient } from '../../src/core/client.js';
import { alipayV2 } from '../../src/providers/alipay-v2/index.js';
import { testProvider } from '../../src/testing/conformance.js';
import { harnessFromSimulator } from '../../src/testing/harness-from-simulator.js';
import { startAlipayV2Simulator } from '../../src/testing/simulators/alipay-v2.js';

// TNGD's prefix here; /api and /api/open are covered by wire.test.ts.
testProvider({
  name: 'alipay-v2 (/acl/api)',
  async setup() {
    const sim = await startAlipayV2Simulator({ prefix: '/acl/api' });
    const wallet = alipayV2({ ...sim.credentials, baseUrl: sim.baseUrl, timeoutMs: 400 });
    const client = createCaptureClient({ providers: { wallet }, inFlightGraceMs: 0 });
    // Request faults only: v2 documents no webhook.
    return harnessFromSimulator(sim, {
      client,
      provider: 'wallet',
      currency: sim.currency,
      restartClient: () => createCaptureClient({ providers: { wallet }, inFlightGraceMs: 0 }),
    });
  },
});

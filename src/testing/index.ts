/**
 * Test helpers shipped as `capture-kit/testing`: loopback simulators of every provider,
 * the conformance suite every adapter passes, and a manual clock.
 *
 * @example
 * ```ts
 * import { startCheckoutSimulator } from 'capture-kit/testing';
 * const sim = await startCheckoutSimulator();
 * const payment = await sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'visa' });
 * ```
 *
 * @packageDocumentation
 */
export type {
  AuthorizedPayment,
  AuthorizeOptions,
  ConformanceHarness,
  ConformanceSetupContext,
  Fault,
  FaultKind,
  SimulatedCapture,
  SimulatedPaymentState,
} from './harness.js';
export { createManualClock, DAY_MS, type ManualClock } from './manual-clock.js';
// The conformance suite itself (testProvider) needs vitest, so it has its own entry point:
// `capture-kit/testing/conformance`. Its helpers below do not, and are exported here too.
export {
  assertNoCapture,
  assertSingleCapture,
  capabilityProblems,
  type ExpectedCapture,
  unknownPaymentId,
} from './conformance-assertions.js';
export {
  type ResolveStep,
  type ResolveTrace,
  type ResolveUntilFinalOptions,
  resolveUntilFinal,
} from './conformance-resolve.js';
// Simulators (one line each, added by their authors):
export { startAntomSimulator, type AntomSimulator, type AntomSimulatorOptions } from './simulators/antom.js';
export { startCheckoutSimulator, type CheckoutSimulator, type CheckoutSimulatorOptions } from './simulators/checkout.js';
export { startAlipayV2Simulator, type AlipayV2Simulator, type AlipayV2SimulatorOptions } from './simulators/alipay-v2.js';

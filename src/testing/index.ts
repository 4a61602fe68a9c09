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
// Simulators and the conformance suite (one line each, added by their authors):

/**
 * Test helpers shipped as `capture-kit/testing`: loopback simulators of every provider,
 * a fault-injecting proxy to put in front of them, the conformance suite every adapter
 * passes, and a manual clock.
 *
 * @example
 * ```ts
 * import { startCheckoutSimulator } from 'capture-kit/testing';
 * const sim = await startCheckoutSimulator();
 * const payment = await sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'visa' });
 * ```
 *
 * @module capture-kit/testing
 * @packageDocumentation
 */

// A fault-injecting HTTP proxy to put between an adapter and a simulator.
export {
  classifyProviderRequest,
  type FaultProxyClassifier,
  type FaultProxyRequestClass,
  type FaultProxyRequestHead,
} from './classify-provider-request.js';
// The conformance suite itself (testProvider) needs vitest, so it has its own entry point:
// `capture-kit/testing/conformance`. Its helpers below do not, and are exported here too.
export {
  assertNoCapture,
  assertSingleCapture,
  capabilityProblems,
  type ExpectedCapture,
  unknownPaymentId,
} from './conformance-assertions.js';
// The example adapter of docs/adding-a-provider.md, as a conformance harness.
export {
  type ExampleAdapterBugs,
  type ExampleAdapterProfile,
  type ExampleHarness,
  type ExampleHarnessOptions,
  startExampleHarness,
} from './example-adapter.js';
export { type FaultProxy, startFaultProxy } from './fault-proxy.js';
export type {
  FaultProxyExchange,
  FaultProxyFault,
  FaultProxyFaultTarget,
} from './fault-proxy-fault.js';
export type { FaultProxyForward, FaultProxyOptions } from './fault-proxy-options.js';
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
export { type ConformanceSimulator, harnessFromSimulator } from './harness-from-simulator.js';
export { createManualClock, DAY_MS, type ManualClock } from './manual-clock.js';
// Simulators of the providers: real HTTP servers on 127.0.0.1.
export {
  type AdyenSimRequest,
  type AdyenSimulator,
  type AdyenSimulatorCredentials,
  type AdyenSimulatorOptions,
  startAdyenSimulator,
} from './simulators/adyen.js';
export type { AdyenWebhookDelivery } from './simulators/adyen-webhooks.js';
export {
  type AlipayV2RecordedRequest,
  type AlipayV2Simulator,
  type AlipayV2SimulatorOptions,
  startAlipayV2Simulator,
} from './simulators/alipay-v2.js';
export {
  type AntomAuthorizeOptions,
  type AntomNotification,
  type AntomReceivedRequest,
  type AntomResultInjection,
  type AntomSimContract,
  type AntomSimulator,
  type AntomSimulatorOptions,
  startAntomSimulator,
} from './simulators/antom.js';
export {
  type CheckoutSimRequest,
  type CheckoutSimulator,
  type CheckoutSimulatorCredentials,
  type CheckoutSimulatorOAuthCredentials,
  type CheckoutSimulatorOptions,
  startCheckoutSimulator,
} from './simulators/checkout.js';
export type {
  CheckoutSimTokenRequest,
  CheckoutSimulatorOAuthOptions,
} from './simulators/checkout-oauth.js';
export type { CheckoutWebhookDelivery } from './simulators/checkout-webhooks.js';
export {
  type StripeSimRequest,
  type StripeSimulator,
  type StripeSimulatorOptions,
  startStripeSimulator,
} from './simulators/stripe.js';
export type { StripeWebhookDelivery } from './simulators/stripe-webhooks.js';

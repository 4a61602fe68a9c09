import type { CaptureCapabilities } from '../../core/capabilities.js';
import type { DemoEnvironment } from './demo-environment.js';
import { expectThat, type Scenario } from './scenario.js';

/** Card brands shown in the Checkout.com row of the matrix. */
const DEMO_CARD_BRANDS = ['visa', 'mastercard', 'amex', 'discover', 'jcb', 'unionpay'] as const;

/** One row of the capability matrix. */
export interface CapabilityRow {
  readonly provider: string;
  readonly context: string;
  readonly capabilities: CaptureCapabilities;
}

/**
 * Builds the capability matrix: each provider, Checkout.com once per card brand, Stripe for a
 * card with multicapture (Visa) and one without (JCB).
 */
export function capabilityMatrix(env: DemoEnvironment): CapabilityRow[] {
  const rows: CapabilityRow[] = [
    {
      provider: 'antom',
      context: 'default contract',
      capabilities: env.client.capabilities('antom'),
    },
    { provider: 'wallet', context: 'Alipay+ v2', capabilities: env.client.capabilities('wallet') },
  ];
  for (const cardBrand of DEMO_CARD_BRANDS) {
    rows.push({
      provider: 'cko',
      context: cardBrand,
      capabilities: env.client.capabilities('cko', { cardBrand }),
    });
  }
  for (const cardBrand of ['visa', 'jcb'] as const) {
    rows.push({
      provider: 'stripe',
      context: cardBrand,
      capabilities: env.client.capabilities('stripe', { cardBrand }),
    });
  }
  rows.push({
    provider: 'adyen',
    context: 'default merchant account',
    capabilities: env.client.capabilities('adyen'),
  });
  return rows;
}

/** Checks that the matrix says what the providers' documents say. */
export function capabilityScenario(env: DemoEnvironment): Scenario {
  return {
    provider: 'all',
    name: 'capability matrix matches the documents',
    async run() {
      const rows = capabilityMatrix(env);
      const find = (provider: string, context: string) =>
        rows.find((r) => r.provider === provider && r.context === context)?.capabilities;
      const antomCaps = find('antom', 'default contract');
      expectThat(
        antomCaps?.fullCapture && !antomCaps.partialCapture,
        'Antom should default to full capture only',
      );
      const wallet = find('wallet', 'Alipay+ v2');
      expectThat(
        wallet?.multipleCaptures && wallet.finalCaptureFlag,
        'Alipay+ v2 should allow multiple captures',
      );
      for (const brand of DEMO_CARD_BRANDS) {
        const multi = ['visa', 'mastercard', 'amex', 'discover'].includes(brand);
        expectThat(
          find('cko', brand)?.multipleCaptures === multi,
          `Checkout.com multi-capture for ${brand} should be ${multi}`,
        );
      }
      const stripeVisa = find('stripe', 'visa');
      expectThat(
        stripeVisa?.multipleCaptures && stripeVisa.finalCaptureFlag,
        'Stripe multicapture (Visa) should allow multiple captures with final_capture',
      );
      expectThat(
        find('stripe', 'jcb')?.multipleCaptures === false,
        'Stripe multicapture should be off for JCB',
      );
      const adyenCaps = find('adyen', 'default merchant account');
      expectThat(
        adyenCaps?.resultDelivery === 'asynchronous' && !adyenCaps.multipleCaptures,
        'Adyen should deliver results by webhook and allow one capture by default',
      );
      return { outcome: 'matrix', passed: true, detail: `${rows.length} rows checked` };
    },
  };
}

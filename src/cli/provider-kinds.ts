import type { CapabilityContext, CaptureCapabilities } from '../core/capabilities.js';
import type { CaptureProviderV1 } from '../core/spec.js';
import { alipayV2Capabilities } from '../providers/alipay-v2/capabilities.js';
import { alipayV2 } from '../providers/alipay-v2/index.js';
import { antomCapabilities } from '../providers/antom/capabilities.js';
import { antom } from '../providers/antom/index.js';
import { checkoutCapabilities } from '../providers/checkout/capabilities.js';
import { checkout } from '../providers/checkout/index.js';

/** The adapter kinds the CLI can configure. */
export const KINDS = ['antom', 'alipayV2', 'checkout'] as const;

/** One of {@link KINDS}. */
export type Kind = (typeof KINDS)[number];

/** What the CLI knows about one adapter kind. */
export interface ProviderKind {
  /** Builds the adapter from plain settings (strings from the environment or JSON values). */
  readonly create: (settings: Record<string, unknown>) => CaptureProviderV1;
  /** Setting name → environment variable, in the order the help lists them. */
  readonly env: Readonly<Record<string, string>>;
  /** Settings that are secrets: never printed, and refused as flags. */
  readonly secrets: readonly string[];
  /**
   * The kind's capabilities with its default settings. They need no credentials, which is
   * why `capture-kit capabilities` works before anything is configured.
   */
  readonly defaultCapabilities: (context: CapabilityContext) => CaptureCapabilities;
}

/** Every kind the CLI can configure, keyed by kind. */
export const PROVIDER_KINDS: Readonly<Record<Kind, ProviderKind>> = {
  antom: {
    create: (settings) => antom(settings as unknown as Parameters<typeof antom>[0]),
    env: {
      clientId: 'CAPTURE_KIT_ANTOM_CLIENT_ID',
      privateKey: 'CAPTURE_KIT_ANTOM_PRIVATE_KEY',
      antomPublicKey: 'CAPTURE_KIT_ANTOM_PUBLIC_KEY',
      baseUrl: 'CAPTURE_KIT_ANTOM_BASE_URL',
      region: 'CAPTURE_KIT_ANTOM_REGION',
      keyVersion: 'CAPTURE_KIT_ANTOM_KEY_VERSION',
    },
    secrets: ['privateKey'],
    defaultCapabilities: (context) => antomCapabilities(context),
  },
  alipayV2: {
    create: (settings) => alipayV2(settings as unknown as Parameters<typeof alipayV2>[0]),
    env: {
      clientId: 'CAPTURE_KIT_ALIPAY_V2_CLIENT_ID',
      privateKey: 'CAPTURE_KIT_ALIPAY_V2_PRIVATE_KEY',
      walletPublicKey: 'CAPTURE_KIT_ALIPAY_V2_WALLET_PUBLIC_KEY',
      baseUrl: 'CAPTURE_KIT_ALIPAY_V2_BASE_URL',
      keyVersion: 'CAPTURE_KIT_ALIPAY_V2_KEY_VERSION',
    },
    secrets: ['privateKey'],
    defaultCapabilities: () => alipayV2Capabilities(),
  },
  checkout: {
    create: (settings) => checkout(settings as unknown as Parameters<typeof checkout>[0]),
    env: {
      secretKey: 'CAPTURE_KIT_CHECKOUT_SECRET_KEY',
      webhookSecret: 'CAPTURE_KIT_CHECKOUT_WEBHOOK_SECRET',
      webhookAuthorization: 'CAPTURE_KIT_CHECKOUT_WEBHOOK_AUTHORIZATION',
      baseUrl: 'CAPTURE_KIT_CHECKOUT_BASE_URL',
      environment: 'CAPTURE_KIT_CHECKOUT_ENVIRONMENT',
      subdomainPrefix: 'CAPTURE_KIT_CHECKOUT_SUBDOMAIN_PREFIX',
    },
    secrets: ['secretKey', 'webhookSecret', 'webhookAuthorization'],
    defaultCapabilities: (context) => checkoutCapabilities(context),
  },
};

/** Whether `name` is one of {@link KINDS}. */
export function isKind(name: string): name is Kind {
  return (KINDS as readonly string[]).includes(name);
}

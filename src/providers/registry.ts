import type { CapabilityContext, CaptureCapabilities } from '../core/capabilities.js';
import type { CaptureProviderV1 } from '../core/spec.js';
import { alipayV2Capabilities } from './alipay-v2/capabilities.js';
import { alipayV2 } from './alipay-v2/index.js';
import { antomCapabilities } from './antom/capabilities.js';
import { antom } from './antom/index.js';
import { checkoutCapabilities } from './checkout/capabilities.js';
import { checkout } from './checkout/index.js';

/** What the tools around the library (CLI, docs generator, package checks) know of one provider. */
export interface ProviderEntry {
  /** The adapter's `kind`, also the CLI config's `"kind"` and the `providerOptions` key. */
  readonly kind: string;
  /** The folder under src/providers/ and the subpath under `capture-kit/` (package.json exports). */
  readonly folder: string;
  /** The acquirer's name, for people. */
  readonly title: string;
  /** Builds the adapter from plain settings (strings from the environment or JSON values). */
  readonly create: (settings: Record<string, unknown>) => CaptureProviderV1;
  /** Setting name → environment variable, in the order the CLI help lists them. */
  readonly env: Readonly<Record<string, string>>;
  /** Settings that are secrets: never printed, and refused as CLI flags. */
  readonly secrets: readonly string[];
  /**
   * The kind's capabilities with its default settings. They need no credentials, which is
   * why `capture-kit capabilities` works before anything is configured.
   */
  readonly defaultCapabilities: (context: CapabilityContext) => CaptureCapabilities;
}

/**
 * Every provider, once. The CLI's config, the docs generator and the package checks
 * (package.json exports, typedoc entry points) iterate this list; adding a provider is one
 * folder, one line here, one exports line and one `testProvider()` call
 * (docs/adding-a-provider.md).
 */
export const PROVIDERS = [
  {
    kind: 'antom',
    folder: 'antom',
    title: 'Antom v1',
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
  {
    kind: 'alipayV2',
    folder: 'alipay-v2',
    title: 'Alipay+ v2',
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
  {
    kind: 'checkout',
    folder: 'checkout',
    title: 'Checkout.com',
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
] as const satisfies readonly ProviderEntry[];

/** One provider kind of {@link PROVIDERS}: a closed union, so a `match` on it can be exhaustive. */
export type ProviderKind = (typeof PROVIDERS)[number]['kind'];

import type { CapabilityContext, CaptureCapabilities } from '../core/capabilities.js';
import type { CaptureProviderV1 } from '../core/spec.js';
import { ADYEN_CODE_TABLE, adyen, adyenCapabilities } from './adyen/index.js';
import { alipayV2Capabilities } from './alipay-v2/capabilities.js';
import { ALIPAY_V2_RESULT_CODES, alipayV2 } from './alipay-v2/index.js';
import { antomCapabilities } from './antom/capabilities.js';
import { ANTOM_RESULT_CODES, antom } from './antom/index.js';
import { checkoutCapabilities } from './checkout/capabilities.js';
import { CHECKOUT_CODE_TABLE, checkout } from './checkout/index.js';
import { STRIPE_CODE_TABLE, stripe, stripeCapabilities } from './stripe/index.js';

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
  /** The situations docs/capabilities.md shows for this provider, with their capabilities. */
  readonly capabilitySituations: () => readonly {
    readonly situation: string;
    readonly caps: CaptureCapabilities;
  }[];
  /** The provider's result codes as docs/providers/<folder>.md tabulates them. */
  readonly codeTable: CodeTable;
}

/** One row of a provider's code table: a provider code and what it maps to. */
export interface CodeTableRow {
  readonly providerCode: string;
  /** The S/F/U status the provider documents, where it has one. */
  readonly status?: string;
  readonly code: string;
  readonly outcome: string;
  readonly advice: string;
}

/** A provider's code table: what the provider calls its codes, and the rows. */
export interface CodeTable {
  /** The first column's heading, e.g. `'Antom resultCode'`. */
  readonly heading: string;
  readonly rows: () => readonly CodeTableRow[];
}

function statusRows(
  table: Readonly<Record<string, Omit<CodeTableRow, 'providerCode'>>>,
): readonly CodeTableRow[] {
  return Object.entries(table).map(([providerCode, row]) => ({
    providerCode,
    ...(row.status !== undefined ? { status: row.status } : {}),
    code: row.code,
    outcome: row.outcome,
    advice: row.advice,
  }));
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
    capabilitySituations: () => {
      const allows = { partialCapture: true, multipleCaptures: true };
      return [
        { situation: 'default contract', caps: antomCapabilities({}) },
        { situation: 'contract allows partial + multiple', caps: antomCapabilities({}, allows) },
        {
          situation: 'same contract, US-issued card',
          caps: antomCapabilities({ paymentMethod: 'CARD', issuerCountry: 'US' }, allows),
        },
      ];
    },
    codeTable: { heading: 'Antom resultCode', rows: () => statusRows(ANTOM_RESULT_CODES) },
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
    capabilitySituations: () => [{ situation: 'any wallet payment', caps: alipayV2Capabilities() }],
    codeTable: { heading: 'Alipay+ resultCode', rows: () => statusRows(ALIPAY_V2_RESULT_CODES) },
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
    capabilitySituations: () => [
      ...['visa', 'mastercard', 'amex', 'discover', 'jcb', 'diners', 'unionpay'].map(
        (cardBrand) => ({
          situation: `card brand ${cardBrand}`,
          caps: checkoutCapabilities({ cardBrand }),
        }),
      ),
      { situation: 'card brand not given', caps: checkoutCapabilities({}) },
    ],
    codeTable: {
      heading: 'Checkout.com code',
      rows: () =>
        Object.entries(CHECKOUT_CODE_TABLE).map(([providerCode, row]) => ({
          providerCode,
          code: row.code,
          outcome: row.outcome,
          advice: `${row.assumed ? '(ASSUMED) ' : ''}${row.advice}`,
        })),
    },
  },
  {
    kind: 'stripe',
    folder: 'stripe',
    title: 'Stripe',
    create: (settings) => stripe(settings as unknown as Parameters<typeof stripe>[0]),
    env: {
      secretKey: 'CAPTURE_KIT_STRIPE_SECRET_KEY',
      webhookSecret: 'CAPTURE_KIT_STRIPE_WEBHOOK_SECRET',
      baseUrl: 'CAPTURE_KIT_STRIPE_BASE_URL',
    },
    secrets: ['secretKey', 'webhookSecret'],
    defaultCapabilities: (context) =>
      stripeCapabilities(context, { maxCaptures: 50, webhooks: true }),
    capabilitySituations: () =>
      ['visa', 'jcb', undefined].map((cardBrand) => ({
        situation: cardBrand ? `card brand ${cardBrand}` : 'card brand not given',
        caps: stripeCapabilities(cardBrand ? { cardBrand } : {}, {
          maxCaptures: 50,
          webhooks: true,
        }),
      })),
    codeTable: {
      heading: 'Stripe error code / type',
      rows: () =>
        Object.entries(STRIPE_CODE_TABLE).map(([providerCode, row]) => ({
          providerCode,
          status: row.status,
          code: row.code,
          outcome: row.outcome,
          advice: `${row.assumed ? '(ASSUMED) ' : ''}${row.advice}`,
        })),
    },
  },
  {
    kind: 'adyen',
    folder: 'adyen',
    title: 'Adyen',
    // Environment values are strings: 'true' / 'false' become the boolean setting.
    create: (settings) =>
      adyen({
        ...settings,
        ...(typeof settings.multiplePartialCaptures === 'string'
          ? { multiplePartialCaptures: settings.multiplePartialCaptures === 'true' }
          : {}),
      } as unknown as Parameters<typeof adyen>[0]),
    env: {
      apiKey: 'CAPTURE_KIT_ADYEN_API_KEY',
      merchantAccount: 'CAPTURE_KIT_ADYEN_MERCHANT_ACCOUNT',
      hmacKey: 'CAPTURE_KIT_ADYEN_HMAC_KEY',
      environment: 'CAPTURE_KIT_ADYEN_ENVIRONMENT',
      liveUrlPrefix: 'CAPTURE_KIT_ADYEN_LIVE_URL_PREFIX',
      baseUrl: 'CAPTURE_KIT_ADYEN_BASE_URL',
      multiplePartialCaptures: 'CAPTURE_KIT_ADYEN_MULTIPLE_PARTIAL_CAPTURES',
    },
    secrets: ['apiKey', 'hmacKey'],
    defaultCapabilities: (context) => adyenCapabilities(context),
    capabilitySituations: () => [
      { situation: 'default merchant account', caps: adyenCapabilities({}) },
      { situation: 'multiple partial captures enabled', caps: adyenCapabilities({}, true) },
    ],
    codeTable: {
      heading: 'Adyen code',
      rows: () =>
        Object.entries(ADYEN_CODE_TABLE).map(([providerCode, row]) => ({
          providerCode,
          code: row.code,
          outcome: row.outcome,
          advice: `${row.assumed ? '(ASSUMED) ' : ''}${row.advice}`,
        })),
    },
  },
] as const satisfies readonly ProviderEntry[];

/** One provider kind of {@link PROVIDERS}: a closed union, so a `match` on it can be exhaustive. */
export type ProviderKind = (typeof PROVIDERS)[number]['kind'];

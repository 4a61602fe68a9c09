import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { normalizeCardBrand } from '../../core/capabilities.js';
import { defineSettings } from '../../provider-kit/define-settings.js';
import { parseBaseUrl } from '../../provider-kit/transport.js';
import {
  type CheckoutOAuthSettings,
  checkoutTokenUrl,
  type ResolvedCheckoutOAuth,
  resolveOAuth,
} from './oauth-settings.js';

export {
  type CheckoutOAuthSettings,
  checkoutTokenUrl,
  type ResolvedCheckoutOAuth,
} from './oauth-settings.js';

import { CHECKOUT_MULTI_CAPTURE_BRANDS } from './capabilities.js';

/**
 * Settings for {@link checkout}. Secrets are only ever used to sign or authenticate; they
 * never appear in errors, `raw` or diagnostics.
 *
 * @example
 * ```ts
 * const settings: CheckoutSettings = {
 *   secretKey: process.env.CKO_SECRET_KEY!,
 *   webhookSecret: process.env.CKO_WEBHOOK_SECRET!,
 *   environment: 'sandbox',
 *   subdomainPrefix: '1a2b3c4d',
 * };
 * ```
 */
export interface CheckoutSettings {
  /**
   * The secret key: `sk_…` (live) or `sk_sbox_…` (sandbox), sent as `Authorization: Bearer
   * <key>`; a previous-platform UUID-style key (`sk_test_<uuid>`) is sent bare. Give either
   * this or `oauth`, not both.
   */
  readonly secretKey?: string;
  /** OAuth client credentials (an access key) instead of `secretKey`; see {@link CheckoutOAuthSettings}. */
  readonly oauth?: CheckoutOAuthSettings;
  /**
   * The webhook's signature key (Dashboard → Webhooks), used to check `Cko-Signature`.
   * Without it `parseWebhook` refuses every delivery.
   */
  readonly webhookSecret?: string;
  /**
   * The `Authorization` header value configured on the webhook in the Dashboard, checked as
   * a second factor when set.
   */
  readonly webhookAuthorization?: string;
  /** Overrides the API origin (proxies, simulators). Wins over `environment` and `subdomainPrefix`. */
  readonly baseUrl?: string;
  /**
   * Picks the default base URL (and OAuth token URL) when `baseUrl` is absent. Default:
   * `sandbox` for `sk_sbox_…` and `sk_test_…` keys, `production` for other keys; required
   * with `oauth` and no `baseUrl` (an access key does not say which environment it is for).
   */
  readonly environment?: 'sandbox' | 'production';
  /**
   * Your account's API prefix (the first 8 characters of your client id without `cli_`),
   * for `https://{prefix}.api[.sandbox].checkout.com`. Without it the legacy
   * `https://api[.sandbox].checkout.com` is used.
   */
  readonly subdomainPrefix?: string;
  /** Whole-request deadline in ms. Default 15 000, as the official SDK. */
  readonly timeoutMs?: number;
  /**
   * An undici dispatcher (Agent, Pool, MockAgent) to send through instead of a private pool.
   * With `oauth` it also carries the token requests: use an `Agent` when the token URL is on
   * another origin than `baseUrl`.
   */
  readonly dispatcher?: Dispatcher;
  /**
   * Card schemes for which `final: false` (`capture_type: NonFinal`, several captures) is
   * allowed, in any spelling `normalizeCardBrand` knows. Default
   * {@link CHECKOUT_MULTI_CAPTURE_BRANDS}: Visa, Mastercard, American Express and Discover
   * (Checkout.com's pages disagree on Discover; see the provider README). A payment of another
   * brand allows one capture, and preflight refuses `final: false` for it.
   */
  readonly multiCaptureBrands?: readonly string[];
}

/** {@link CheckoutSettings} after checking: what the adapter works with. */
interface ResolvedCheckoutSettings {
  /** The static `Authorization` value of a secret key; absent with `oauth`. */
  readonly authorization?: string;
  readonly oauth?: ResolvedCheckoutOAuth;
  readonly baseUrl: string;
  /** Normalized card brands that allow NonFinal captures. */
  readonly multiCaptureBrands: readonly string[];
  readonly webhookSecret?: string;
  readonly webhookAuthorization?: string;
  readonly timeoutMs?: number;
  readonly dispatcher?: Dispatcher;
}

const PREVIOUS_PLATFORM_KEY =
  /^sk_(test_)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BARE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURRENT_PLATFORM_KEY = /^sk_[A-Za-z0-9_*#$=-]{8,}$/;
const PREFIX = /^[a-z0-9]{1,63}$/;

/**
 * Builds the `Authorization` header value for a secret key: current-platform keys
 * (`sk_…`, `sk_sbox_…`) as `Bearer <key>`, previous-platform UUID-style keys bare (as the
 * official Node SDK does). Throws a `TypeError` naming `checkout({ secretKey })` for
 * anything else; the key itself never appears in the message.
 *
 * @example
 * ```ts
 * checkoutAuthorization('sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e'); // 'Bearer sk_sbox_m73dz…'
 * checkoutAuthorization('sk_test_0b9b5db6-f223-49d0-b68f-f6643dd4f808'); // sent bare
 * ```
 */
export function checkoutAuthorization(secretKey: unknown): string {
  if (typeof secretKey !== 'string' || secretKey.trim().length === 0) {
    throw new TypeError(
      'checkout({ secretKey }) is missing: pass your Checkout.com secret key (sk_… or sk_sbox_…).',
    );
  }
  if (secretKey !== secretKey.trim()) {
    throw new TypeError('checkout({ secretKey }) has leading or trailing whitespace: remove it.');
  }
  if (/^bearer\s/i.test(secretKey)) {
    throw new TypeError(
      'checkout({ secretKey }) starts with "Bearer ": pass the bare key; the adapter adds the scheme.',
    );
  }
  if (secretKey.startsWith('pk_')) {
    throw new TypeError(
      'checkout({ secretKey }) is a public key (pk_…): use the secret key (sk_…) from the Dashboard.',
    );
  }
  if (PREVIOUS_PLATFORM_KEY.test(secretKey) || BARE_UUID.test(secretKey)) return secretKey;
  if (CURRENT_PLATFORM_KEY.test(secretKey)) return `Bearer ${secretKey}`;
  throw new TypeError(
    'checkout({ secretKey }) must start with sk_ (live) or sk_sbox_ (sandbox), or be a previous-platform UUID-style key: check that you copied the whole secret key.',
  );
}

function isSandboxKey(secretKey: string): boolean {
  return secretKey.startsWith('sk_sbox_') || secretKey.startsWith('sk_test_');
}

/**
 * The default API origin: `https://{prefix}.api[.sandbox].checkout.com` with a prefix, else
 * the legacy `https://api[.sandbox].checkout.com`.
 *
 * @example
 * ```ts
 * checkoutBaseUrl('sandbox');             // 'https://api.sandbox.checkout.com'
 * checkoutBaseUrl('production', 'ab12cd34'); // 'https://ab12cd34.api.checkout.com'
 * ```
 */
export function checkoutBaseUrl(
  environment: 'sandbox' | 'production',
  subdomainPrefix?: string,
): string {
  const host = environment === 'sandbox' ? 'api.sandbox.checkout.com' : 'api.checkout.com';
  return subdomainPrefix ? `https://${subdomainPrefix}.${host}` : `https://${host}`;
}

/**
 * Strict: an unknown key (`webhookSecrets`) throws naming it instead of building an adapter
 * that refuses every webhook. Values checked below keep their own sentences, so they are
 * `unknown` here; only the shape is zod's.
 */
const parseShape = defineSettings(
  'checkout',
  z.object({
    secretKey: z.unknown().optional(),
    oauth: z.unknown().optional(),
    webhookSecret: z.unknown().optional(),
    webhookAuthorization: z.unknown().optional(),
    baseUrl: z.unknown().optional(),
    environment: z.unknown().optional(),
    subdomainPrefix: z.unknown().optional(),
    timeoutMs: z.unknown().optional(),
    dispatcher: z.unknown().optional(),
    multiCaptureBrands: z.unknown().optional(),
  }),
);

/**
 * Checks {@link CheckoutSettings}; throws a `TypeError` naming the setting at fault, never
 * its value.
 */
export function resolveCheckoutSettings(settings: CheckoutSettings): ResolvedCheckoutSettings {
  parseShape(settings);
  const { environment, subdomainPrefix, webhookSecret, webhookAuthorization } = settings;
  if (settings.secretKey !== undefined && settings.oauth !== undefined) {
    throw new TypeError(
      'checkout({ secretKey }) and checkout({ oauth }) are both set: give one way to authenticate, the secret key (sk_…) or the access key (oauth: { clientId, clientSecret }).',
    );
  }
  if (settings.secretKey === undefined && settings.oauth === undefined) {
    throw new TypeError(
      'checkout({ secretKey }) is missing: pass your secret key (sk_… or sk_sbox_…), or an access key as checkout({ oauth: { clientId, clientSecret } }).',
    );
  }
  const authorization =
    settings.oauth === undefined ? checkoutAuthorization(settings.secretKey) : undefined;
  if (environment !== undefined && environment !== 'sandbox' && environment !== 'production') {
    throw new TypeError("checkout({ environment }) must be 'sandbox' or 'production'.");
  }
  if (settings.oauth !== undefined && environment === undefined && settings.baseUrl === undefined) {
    throw new TypeError(
      "checkout({ oauth }) needs checkout({ environment: 'sandbox' | 'production' }) (or a baseUrl): an access key does not say which environment it belongs to.",
    );
  }
  const keyIsSandbox =
    typeof settings.secretKey === 'string' ? isSandboxKey(settings.secretKey) : false;
  if (environment === 'production' && keyIsSandbox) {
    throw new TypeError(
      "checkout({ environment: 'production' }) was given a sandbox secret key: use your live key (sk_…) or environment: 'sandbox'.",
    );
  }
  if (subdomainPrefix !== undefined && !PREFIX.test(subdomainPrefix)) {
    throw new TypeError(
      'checkout({ subdomainPrefix }) must be the lower-case letters and digits of your account prefix (the first 8 characters of your client id without cli_).',
    );
  }
  if (webhookSecret !== undefined && (typeof webhookSecret !== 'string' || webhookSecret === '')) {
    throw new TypeError(
      'checkout({ webhookSecret }) is empty: pass the webhook signature key from the Dashboard, or leave the setting out.',
    );
  }
  if (
    webhookAuthorization !== undefined &&
    (typeof webhookAuthorization !== 'string' || webhookAuthorization === '')
  ) {
    throw new TypeError(
      'checkout({ webhookAuthorization }) is empty: pass the Authorization header value configured on the webhook, or leave the setting out.',
    );
  }
  const { timeoutMs } = settings;
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) {
    throw new TypeError('checkout({ timeoutMs }) must be a positive whole number of milliseconds.');
  }
  const resolvedEnvironment = environment ?? (keyIsSandbox ? 'sandbox' : 'production');
  const baseUrl = settings.baseUrl ?? checkoutBaseUrl(resolvedEnvironment, subdomainPrefix);
  parseBaseUrl(baseUrl, 'checkout({ baseUrl })');
  const oauth =
    settings.oauth === undefined
      ? undefined
      : resolveOAuth(settings.oauth, settings.baseUrl !== undefined, () =>
          checkoutTokenUrl(resolvedEnvironment, subdomainPrefix),
        );
  return {
    ...(authorization !== undefined ? { authorization } : {}),
    ...(oauth !== undefined ? { oauth } : {}),
    baseUrl,
    multiCaptureBrands: resolveBrands(settings.multiCaptureBrands),
    ...(webhookSecret !== undefined ? { webhookSecret } : {}),
    ...(webhookAuthorization !== undefined ? { webhookAuthorization } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(settings.dispatcher !== undefined ? { dispatcher: settings.dispatcher } : {}),
  };
}

/** Normalizes `multiCaptureBrands`; throws naming the setting. */
function resolveBrands(brands: readonly string[] | undefined): readonly string[] {
  if (brands === undefined) return CHECKOUT_MULTI_CAPTURE_BRANDS;
  if (
    !Array.isArray(brands) ||
    !brands.every((brand) => typeof brand === 'string' && brand.trim() !== '')
  ) {
    throw new TypeError(
      "checkout({ multiCaptureBrands }) must be an array of card brand names, e.g. ['visa', 'mastercard', 'amex'] (an empty array turns multiple captures off).",
    );
  }
  return [...new Set(brands.map((brand) => normalizeCardBrand(brand.trim()) ?? brand))];
}

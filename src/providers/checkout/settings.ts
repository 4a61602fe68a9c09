import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { normalizeCardBrand } from '../../core/capabilities.js';
import { parseBaseUrl } from '../../core/transport.js';
import { defineSettings } from '../../provider-kit/define-settings.js';
import { CHECKOUT_MULTI_CAPTURE_BRANDS } from './capabilities.js';

/**
 * OAuth 2.0 client credentials (a Checkout.com "access key"), the alternative to
 * `secretKey`. The adapter exchanges them for a bearer token at the access endpoint, caches
 * it until shortly before it expires, and fetches a new one once when the API answers 401.
 * The secret and the token are only ever written into request headers.
 *
 * @example
 * ```ts
 * const oauth: CheckoutOAuthSettings = {
 *   clientId: process.env.CKO_ACCESS_KEY_ID!,        // ack_…
 *   clientSecret: process.env.CKO_ACCESS_KEY_SECRET!,
 *   scopes: ['gateway'],
 * };
 * const cko = checkout({ oauth, environment: 'sandbox', subdomainPrefix: '1a2b3c4d' });
 * ```
 */
export interface CheckoutOAuthSettings {
  /** The access key id (the OAuth client id, `ack_…`). */
  readonly clientId: string;
  /** The access key secret (the OAuth client secret). */
  readonly clientSecret: string;
  /** Scopes to request, sent space-separated. Default `['gateway']`. */
  readonly scopes?: readonly string[];
  /**
   * The token endpoint. Default: `https://[{prefix}.]access[.sandbox].checkout.com/connect/token`
   * from `environment` and `subdomainPrefix`. Required when `baseUrl` is set, so that
   * credentials meant for a simulator or proxy are never sent to Checkout.com by accident.
   */
  readonly tokenUrl?: string;
}

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

/** {@link CheckoutOAuthSettings} after checking. */
export interface ResolvedCheckoutOAuth {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly tokenUrl: string;
}

/** {@link CheckoutSettings} after checking: what the adapter works with. */
export interface ResolvedCheckoutSettings {
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
 * The default OAuth token endpoint: `https://{prefix}.access[.sandbox].checkout.com/connect/token`
 * with a prefix, else `https://access[.sandbox].checkout.com/connect/token` (as the official
 * Node SDK builds it).
 *
 * @example
 * ```ts
 * checkoutTokenUrl('sandbox');               // 'https://access.sandbox.checkout.com/connect/token'
 * checkoutTokenUrl('production', 'ab12cd34'); // 'https://ab12cd34.access.checkout.com/connect/token'
 * ```
 */
export function checkoutTokenUrl(
  environment: 'sandbox' | 'production',
  subdomainPrefix?: string,
): string {
  const host = environment === 'sandbox' ? 'access.sandbox.checkout.com' : 'access.checkout.com';
  return `https://${subdomainPrefix ? `${subdomainPrefix}.` : ''}${host}/connect/token`;
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

const OAUTH_KEYS = new Set(['clientId', 'clientSecret', 'scopes', 'tokenUrl']);
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Checks `oauth`; every message names the setting and never echoes a value. */
function resolveOAuth(
  oauth: CheckoutOAuthSettings,
  baseUrlIsSet: boolean,
  defaultTokenUrl: () => string,
): ResolvedCheckoutOAuth {
  if (!oauth || typeof oauth !== 'object' || Array.isArray(oauth)) {
    throw new TypeError(
      'checkout({ oauth }) must be an object { clientId, clientSecret, scopes?, tokenUrl? }.',
    );
  }
  const unknown = Object.keys(oauth).filter((key) => !OAUTH_KEYS.has(key));
  if (unknown.length > 0) {
    throw new TypeError(
      `checkout({ oauth }) has unknown setting(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}: it accepts clientId, clientSecret, scopes and tokenUrl.`,
    );
  }
  const { clientId, clientSecret, scopes, tokenUrl } = oauth;
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    throw new TypeError(
      'checkout({ oauth: { clientId } }) is missing: pass the access key id (ack_…) from Dashboard → Developers → Keys.',
    );
  }
  if (clientId !== clientId.trim() || /[\s:]/.test(clientId)) {
    throw new TypeError(
      'checkout({ oauth: { clientId } }) contains whitespace or a colon: copy the access key id exactly.',
    );
  }
  if (typeof clientSecret !== 'string' || clientSecret.trim() === '') {
    throw new TypeError(
      'checkout({ oauth: { clientSecret } }) is missing: pass the access key secret shown when the key was created.',
    );
  }
  if (clientSecret !== clientSecret.trim()) {
    throw new TypeError(
      'checkout({ oauth: { clientSecret } }) has leading or trailing whitespace: remove it.',
    );
  }
  if (
    scopes !== undefined &&
    (!Array.isArray(scopes) ||
      scopes.length === 0 ||
      !scopes.every((scope) => typeof scope === 'string' && SCOPE.test(scope)))
  ) {
    throw new TypeError(
      "checkout({ oauth: { scopes } }) must be a non-empty array of scope names without spaces, e.g. ['gateway'].",
    );
  }
  if (tokenUrl === undefined && baseUrlIsSet) {
    throw new TypeError(
      'checkout({ oauth: { tokenUrl } }) is required when checkout({ baseUrl }) is set: say where tokens come from (a simulator serves /connect/token), so the access key is never sent to Checkout.com by accident.',
    );
  }
  const url = tokenUrl ?? defaultTokenUrl();
  const parsed = parseBaseUrl(url, 'checkout({ oauth: { tokenUrl } })');
  if (parsed.pathname === '/' || parsed.pathname === '') {
    throw new TypeError(
      'checkout({ oauth: { tokenUrl } }) must be the full token endpoint, path included (…/connect/token).',
    );
  }
  return { clientId, clientSecret, scopes: scopes ?? ['gateway'], tokenUrl: url };
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

import { parseBaseUrl } from '../../provider-kit/transport.js';

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

/** {@link CheckoutOAuthSettings} after checking. */
export interface ResolvedCheckoutOAuth {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly tokenUrl: string;
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

const OAUTH_KEYS = new Set(['clientId', 'clientSecret', 'scopes', 'tokenUrl']);
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Checks `oauth`; every message names the setting and never echoes a value. */
export function resolveOAuth(
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

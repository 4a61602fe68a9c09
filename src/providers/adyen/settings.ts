import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { defineSettings } from '../../provider-kit/define-settings.js';
import { parseBaseUrl } from '../../provider-kit/transport.js';

/**
 * The Checkout API version the adapter speaks: `v71`. `baseUrl` never carries it; the
 * adapter adds it to every path. v71 is the version whose capture request and response the
 * provider README cites; the capture endpoint is the same in v72 (what `@adyen/api-library`
 * 32 sends), so the simulator answers both.
 *
 * @example
 * ```ts
 * `${baseUrl}/${ADYEN_API_VERSION}/payments/${psp}/captures`; // …/v71/payments/…/captures
 * ```
 */
export const ADYEN_API_VERSION = 'v71';

/**
 * Settings for {@link adyen}. Secrets (`apiKey`, `hmacKey`) are only used to authenticate
 * and verify; they never appear in errors, `raw` or diagnostics.
 *
 * @example
 * ```ts
 * const settings: AdyenSettings = {
 *   apiKey: process.env.ADYEN_API_KEY!,
 *   merchantAccount: 'ShopEU',
 *   hmacKey: process.env.ADYEN_HMAC_KEY!,
 *   environment: 'live',
 *   liveUrlPrefix: '1797a841fbb37ca7-AdyenDemo',
 * };
 * ```
 */
export interface AdyenSettings {
  /** The API key of your web service user, sent as `X-API-Key`. */
  readonly apiKey: string;
  /** The merchant account the payments were made on (sent as `merchantAccount`). */
  readonly merchantAccount: string;
  /**
   * The HMAC key of your standard webhook (Customer Area → Developers → Webhooks), a hex
   * string. Without it `parseWebhook` refuses every delivery.
   */
  readonly hmacKey?: string;
  /** `'test'` → `https://checkout-test.adyen.com`; `'live'` needs `liveUrlPrefix`. Required without `baseUrl`. */
  readonly environment?: 'test' | 'live';
  /**
   * Your live URL prefix (Customer Area → Developers → API URLs), for
   * `https://{prefix}-checkout-live.adyenpayments.com/checkout`.
   */
  readonly liveUrlPrefix?: string;
  /**
   * Overrides the API origin (proxies, simulators), WITHOUT the version: the adapter adds
   * `/v71`. Wins over `environment`.
   */
  readonly baseUrl?: string;
  /**
   * True when Adyen enabled multiple partial captures on your merchant account. Default
   * false: Adyen then cancels what a partial capture leaves uncaptured, so one capture per
   * payment, and preflight refuses `final: false`.
   */
  readonly multiplePartialCaptures?: boolean;
  /** Whole-request deadline in ms. Default 15 000. */
  readonly timeoutMs?: number;
  /** An undici dispatcher (Agent, Pool, MockAgent) to send through instead of a private pool. */
  readonly dispatcher?: Dispatcher;
}

/** {@link AdyenSettings} after checking. */
export interface ResolvedAdyenSettings {
  readonly apiKey: string;
  readonly merchantAccount: string;
  readonly hmacKey?: string;
  /** Origin plus path, without the version. */
  readonly baseUrl: string;
  readonly multiplePartialCaptures: boolean;
  readonly timeoutMs?: number;
  readonly dispatcher?: Dispatcher;
}

const parseShape = defineSettings(
  'adyen',
  z.object({
    apiKey: z.unknown().optional(),
    merchantAccount: z.unknown().optional(),
    hmacKey: z.unknown().optional(),
    environment: z.unknown().optional(),
    liveUrlPrefix: z.unknown().optional(),
    baseUrl: z.unknown().optional(),
    multiplePartialCaptures: z.unknown().optional(),
    timeoutMs: z.unknown().optional(),
    dispatcher: z.unknown().optional(),
  }),
);

const PREFIX = /^[A-Za-z0-9-]{1,100}$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const VERSION_SUFFIX = /\/v\d+\/?$/;

/**
 * The default API base (without the version) for an environment.
 *
 * @example
 * ```ts
 * adyenBaseUrl('test'); // 'https://checkout-test.adyen.com'
 * adyenBaseUrl('live', '1797a841fbb37ca7-AdyenDemo');
 * // 'https://1797a841fbb37ca7-AdyenDemo-checkout-live.adyenpayments.com/checkout'
 * ```
 */
export function adyenBaseUrl(environment: 'test' | 'live', liveUrlPrefix?: string): string {
  if (environment === 'test') return 'https://checkout-test.adyen.com';
  if (!liveUrlPrefix) {
    throw new TypeError(
      "adyen({ environment: 'live' }) needs adyen({ liveUrlPrefix }): copy the prefix from Customer Area → Developers → API URLs.",
    );
  }
  return `https://${liveUrlPrefix}-checkout-live.adyenpayments.com/checkout`;
}

function nonEmpty(value: unknown, name: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`adyen({ ${name} }) is missing: pass ${what}.`);
  }
  if (value !== value.trim()) {
    throw new TypeError(`adyen({ ${name} }) has leading or trailing whitespace: remove it.`);
  }
  return value;
}

/**
 * Checks {@link AdyenSettings}; throws a `TypeError` naming the setting at fault, never its
 * value.
 *
 * @example
 * ```ts
 * resolveAdyenSettings({ apiKey: 'AQE…', merchantAccount: 'ShopEU', environment: 'test' }).baseUrl;
 * // 'https://checkout-test.adyen.com'
 * ```
 */
export function resolveAdyenSettings(settings: AdyenSettings): ResolvedAdyenSettings {
  parseShape(settings);
  const apiKey = nonEmpty(
    settings.apiKey,
    'apiKey',
    'the API key of your web service user (Customer Area → Developers → API credentials)',
  );
  const merchantAccount = nonEmpty(
    settings.merchantAccount,
    'merchantAccount',
    'the merchant account the payments were made on',
  );
  const { hmacKey, environment, liveUrlPrefix, baseUrl, timeoutMs } = settings;
  if (hmacKey !== undefined && (typeof hmacKey !== 'string' || !HEX.test(hmacKey))) {
    throw new TypeError(
      'adyen({ hmacKey }) must be the hexadecimal HMAC key shown for your standard webhook in the Customer Area (an even number of 0-9/A-F characters), or left out.',
    );
  }
  if (environment !== undefined && environment !== 'test' && environment !== 'live') {
    throw new TypeError("adyen({ environment }) must be 'test' or 'live'.");
  }
  if (
    liveUrlPrefix !== undefined &&
    (typeof liveUrlPrefix !== 'string' || !PREFIX.test(liveUrlPrefix))
  ) {
    throw new TypeError(
      'adyen({ liveUrlPrefix }) must be the letters, digits and dashes of your live URL prefix (Customer Area → Developers → API URLs), without https:// or the domain.',
    );
  }
  if (baseUrl === undefined && environment === undefined) {
    throw new TypeError(
      "adyen({ environment }) is missing: pass 'test' or 'live' (with liveUrlPrefix), or a baseUrl.",
    );
  }
  if (baseUrl !== undefined) {
    if (typeof baseUrl !== 'string')
      throw new TypeError('adyen({ baseUrl }) must be a URL string.');
    if (VERSION_SUFFIX.test(parseBaseUrl(baseUrl, 'adyen({ baseUrl })').pathname)) {
      throw new TypeError(
        `adyen({ baseUrl }) ends with an API version: leave it out, the adapter adds /${ADYEN_API_VERSION} itself.`,
      );
    }
  }
  if (
    settings.multiplePartialCaptures !== undefined &&
    typeof settings.multiplePartialCaptures !== 'boolean'
  ) {
    throw new TypeError('adyen({ multiplePartialCaptures }) must be true or false.');
  }
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) {
    throw new TypeError('adyen({ timeoutMs }) must be a positive whole number of milliseconds.');
  }
  const resolvedBase = (baseUrl ?? adyenBaseUrl(environment ?? 'test', liveUrlPrefix)).replace(
    /\/+$/,
    '',
  );
  parseBaseUrl(resolvedBase, 'adyen({ baseUrl })');
  return {
    apiKey,
    merchantAccount,
    ...(hmacKey !== undefined ? { hmacKey } : {}),
    baseUrl: resolvedBase,
    multiplePartialCaptures: settings.multiplePartialCaptures ?? false,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(settings.dispatcher !== undefined ? { dispatcher: settings.dispatcher } : {}),
  };
}

import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { defineSettings } from '../../provider-kit/define-settings.js';

/**
 * Stripe's API origin; the adapter adds `/v1` itself.
 *
 * @example
 * ```ts
 * stripe({ secretKey, baseUrl: STRIPE_DEFAULT_BASE_URL }); // the default, spelled out
 * ```
 */
export const STRIPE_DEFAULT_BASE_URL = 'https://api.stripe.com';

/**
 * The `Stripe-Version` every request pins: the version the official `stripe` Node package
 * 23.1.0 pins too, so the adapter and the SDK a reader compares it with see the same shapes.
 * Pinning keeps an account's dashboard default version (which can change) from changing
 * the PaymentIntent fields the adapter reads.
 *
 * @example
 * ```ts
 * stripe({ secretKey, apiVersion: STRIPE_API_VERSION }); // the default, spelled out
 * ```
 */
export const STRIPE_API_VERSION = '2026-10-28.endive';

/**
 * Stripe's documented limit of captures on one PaymentIntent with multicapture
 * (docs.stripe.com/payments/multicapture, read 2026-12-01).
 *
 * @example
 * ```ts
 * stripe({ secretKey, maxCaptures: STRIPE_MAX_CAPTURES });
 * ```
 */
export const STRIPE_MAX_CAPTURES = 50;

/**
 * Stripe's recommended webhook timestamp tolerance, in seconds.
 *
 * @example
 * ```ts
 * stripe({ secretKey, webhookSecret, webhookToleranceSec: STRIPE_WEBHOOK_TOLERANCE_SEC });
 * ```
 */
export const STRIPE_WEBHOOK_TOLERANCE_SEC = 300;

/**
 * Settings for {@link stripe}. Secrets are only used to authenticate and verify; they never
 * appear in errors, `raw` or diagnostics.
 *
 * @example
 * ```ts
 * const settings: StripeSettings = {
 *   secretKey: process.env.STRIPE_SECRET_KEY!,       // sk_live_… / sk_test_… / rk_…
 *   webhookSecret: process.env.STRIPE_WEBHOOK_SECRET!, // whsec_…
 * };
 * ```
 */
export interface StripeSettings {
  /** Secret (`sk_…`) or restricted (`rk_…`) key, sent as `Authorization: Bearer <key>`. */
  readonly secretKey: string;
  /**
   * The endpoint's signing secret (`whsec_…`), or several during a rotation: a delivery
   * verifies when any of them matches one `v1` signature. Without it webhooks are refused.
   */
  readonly webhookSecret?: string | readonly string[];
  /** API origin WITHOUT `/v1` (proxies, simulators). Default `https://api.stripe.com`. */
  readonly baseUrl?: string;
  /** `Stripe-Version` to pin. Default {@link STRIPE_API_VERSION}. */
  readonly apiVersion?: string;
  /** Captures allowed on one multicapture PaymentIntent. Default {@link STRIPE_MAX_CAPTURES}. */
  readonly maxCaptures?: number;
  /** Whole-request deadline in ms. Default 15 000. */
  readonly timeoutMs?: number;
  /** Largest accepted age of a webhook's signed timestamp, in seconds. Default 300. */
  readonly webhookToleranceSec?: number;
  /** An undici dispatcher to send through instead of a private keep-alive pool. */
  readonly dispatcher?: Dispatcher;
}

/** {@link StripeSettings} after checking. */
export interface CheckedStripeSettings {
  readonly secretKey: string;
  readonly webhookSecrets: readonly string[];
  readonly baseUrl: string;
  readonly apiVersion: string;
  readonly maxCaptures: number;
  readonly timeoutMs: number | undefined;
  readonly webhookToleranceSec: number;
  readonly dispatcher?: Dispatcher;
}

/** Strict shape: an unknown key throws naming it. Values keep their own sentences below. */
const parseShape = defineSettings(
  'stripe',
  z.object({
    secretKey: z.unknown().optional(),
    webhookSecret: z.unknown().optional(),
    baseUrl: z.unknown().optional(),
    apiVersion: z.unknown().optional(),
    maxCaptures: z.unknown().optional(),
    timeoutMs: z.unknown().optional(),
    webhookToleranceSec: z.unknown().optional(),
    dispatcher: z.unknown().optional(),
  }),
);

const SECRET_KEY = /^(sk|rk)_(live|test)_[A-Za-z0-9]{8,}$/;

function positiveInteger(name: string, value: unknown, unit: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new TypeError(`stripe({ ${name} }) must be a positive whole number of ${unit}.`);
  }
  return value;
}

/**
 * Checks {@link StripeSettings}; throws a `TypeError` naming the setting, never its value.
 *
 * @example
 * ```ts
 * checkStripeSettings({ secretKey: 'pk_test_123' }); // TypeError: stripe({ secretKey }) is a publishable key …
 * ```
 */
export function checkStripeSettings(settings: StripeSettings): CheckedStripeSettings {
  parseShape(settings);
  const { secretKey } = settings;
  if (typeof secretKey !== 'string' || secretKey.length === 0) {
    throw new TypeError(
      'stripe({ secretKey }) is missing: pass your secret key (sk_live_… or sk_test_…) or a restricted key (rk_…) from the Dashboard.',
    );
  }
  if (secretKey.startsWith('pk_')) {
    throw new TypeError(
      'stripe({ secretKey }) is a publishable key (pk_…): captures need the secret key (sk_…) or a restricted key (rk_…) with PaymentIntents write access.',
    );
  }
  if (/^bearer\s/i.test(secretKey)) {
    throw new TypeError(
      'stripe({ secretKey }) starts with "Bearer ": pass the bare key; the adapter adds the scheme.',
    );
  }
  if (!SECRET_KEY.test(secretKey)) {
    throw new TypeError(
      'stripe({ secretKey }) must look like sk_live_…, sk_test_…, rk_live_… or rk_test_…: check that you copied the whole key.',
    );
  }
  const secrets =
    settings.webhookSecret === undefined
      ? []
      : typeof settings.webhookSecret === 'string'
        ? [settings.webhookSecret]
        : settings.webhookSecret;
  if (
    !Array.isArray(secrets) ||
    secrets.some((secret) => typeof secret !== 'string' || secret.length === 0)
  ) {
    throw new TypeError(
      "stripe({ webhookSecret }) must be the endpoint's signing secret (whsec_…), or a list of them during a rotation.",
    );
  }
  const baseUrl = settings.baseUrl ?? STRIPE_DEFAULT_BASE_URL;
  if (typeof baseUrl !== 'string' || baseUrl.length === 0) {
    throw new TypeError('stripe({ baseUrl }) must be a URL such as https://api.stripe.com.');
  }
  if (/\/v1\/?$/.test(baseUrl)) {
    throw new TypeError(
      'stripe({ baseUrl }) ends with /v1: give the origin only (https://api.stripe.com); the adapter adds /v1.',
    );
  }
  const apiVersion = settings.apiVersion ?? STRIPE_API_VERSION;
  if (typeof apiVersion !== 'string' || !/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(apiVersion)) {
    throw new TypeError(
      `stripe({ apiVersion }) must look like ${STRIPE_API_VERSION} (a date, optionally with its release name).`,
    );
  }
  const maxCaptures = positiveInteger('maxCaptures', settings.maxCaptures, 'captures');
  if (maxCaptures !== undefined && maxCaptures > STRIPE_MAX_CAPTURES) {
    throw new TypeError(
      `stripe({ maxCaptures }) can be at most ${STRIPE_MAX_CAPTURES}: Stripe allows no more captures on one PaymentIntent.`,
    );
  }
  return {
    secretKey,
    webhookSecrets: Object.freeze([...secrets]),
    baseUrl,
    apiVersion,
    maxCaptures: maxCaptures ?? STRIPE_MAX_CAPTURES,
    timeoutMs: positiveInteger('timeoutMs', settings.timeoutMs, 'milliseconds'),
    webhookToleranceSec:
      positiveInteger('webhookToleranceSec', settings.webhookToleranceSec, 'seconds') ??
      STRIPE_WEBHOOK_TOLERANCE_SEC,
    ...(settings.dispatcher !== undefined ? { dispatcher: settings.dispatcher } : {}),
  };
}

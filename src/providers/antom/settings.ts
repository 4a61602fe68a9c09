import type { KeyObject } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { defineSettings } from '../../provider-kit/define-settings.js';
import type { AntomContract } from './capabilities.js';

/**
 * Antom's documented gateways.
 *
 * @example
 * ```ts
 * ANTOM_REGIONS.asia; // 'https://open-sea-global.alipay.com'
 * ```
 */
export const ANTOM_REGIONS = {
  'north-america': 'https://open-na-global.alipay.com',
  asia: 'https://open-sea-global.alipay.com',
  europe: 'https://open-de-global.alipay.com',
  us: 'https://open.antglobal-us.com',
} as const;

/**
 * A key of {@link ANTOM_REGIONS}. `'us'` is the gateway for US merchants.
 *
 * @example
 * ```ts
 * const region: AntomRegion = 'europe';
 * const adapter = antom({ clientId, privateKey, antomPublicKey, region });
 * ```
 */
export type AntomRegion = keyof typeof ANTOM_REGIONS;

/**
 * Settings for {@link antom}. Keys are parsed once, here; a bad one throws naming the setting.
 *
 * @example
 * ```ts
 * const settings: AntomSettings = {
 *   clientId: 'SANDBOX_5YBZ0G2ZC0LE01234',
 *   privateKey: process.env.ANTOM_PRIVATE_KEY!,       // PEM or bare base64 PKCS#8
 *   antomPublicKey: process.env.ANTOM_PUBLIC_KEY!,    // PEM or bare base64 SPKI
 *   region: 'north-america',
 * };
 * ```
 */
export interface AntomSettings {
  /** Client id from the Antom Dashboard. A `SANDBOX_` id calls `/ams/sandbox/api/...`. */
  readonly clientId: string;
  /** The merchant's RSA private key: PEM, bare base64 PKCS#8, or a `KeyObject`. */
  readonly privateKey: string | KeyObject;
  /** Antom's RSA public key: PEM, bare base64 SPKI, or a `KeyObject`. Verifies answers and webhooks. */
  readonly antomPublicKey: string | KeyObject;
  /** Gateway origin (simulator, proxy). Wins over `region`; give one or the other. */
  readonly baseUrl?: string;
  /** Documented gateway to use. Default `'north-america'` when `baseUrl` is absent too. */
  readonly region?: AntomRegion;
  /** Version of the merchant key registered with Antom. Default 1. */
  readonly keyVersion?: number | string;
  /** Whole-request deadline in ms. Default 15 000. */
  readonly timeoutMs?: number;
  /** An undici dispatcher to send through instead of a private keep-alive pool. */
  readonly dispatcher?: Dispatcher;
  /** What your Antom contract allows beyond full capture. Default: full capture only. */
  readonly contract?: AntomContract;
  /**
   * Verify Antom's response signatures (default true). Only turn off for a gateway that
   * strips them and that you trust: an unverifiable answer is otherwise `outcome: 'unknown'`.
   */
  readonly verifyResponses?: boolean;
}

function fail(setting: string, problem: string): never {
  throw new TypeError(`antom({ ${setting} }) ${problem}`);
}

/**
 * Strict: an unknown key throws naming it. Values checked below keep their own sentences,
 * so they are `unknown` here; only the shape is zod's.
 */
const parseShape = defineSettings(
  'antom',
  z.object({
    clientId: z.unknown().optional(),
    privateKey: z.unknown().optional(),
    antomPublicKey: z.unknown().optional(),
    baseUrl: z.unknown().optional(),
    region: z.unknown().optional(),
    keyVersion: z.unknown().optional(),
    timeoutMs: z.unknown().optional(),
    dispatcher: z.unknown().optional(),
    contract: z.unknown().optional(),
    verifyResponses: z.unknown().optional(),
  }),
);

/** Checks {@link AntomSettings}; throws a `TypeError` naming the setting, never its value. */
export function checkAntomSettings(settings: AntomSettings): void {
  parseShape(settings);
  if (typeof settings.clientId !== 'string' || !/^[\x21-\x7E]{1,128}$/.test(settings.clientId)) {
    fail(
      'clientId',
      'must be the client id from the Antom Dashboard (printable ASCII, e.g. "SANDBOX_5YBZ0G2ZC0LE01234").',
    );
  }
  const { keyVersion } = settings;
  if (keyVersion !== undefined && !/^[1-9][0-9]{0,8}$/.test(String(keyVersion))) {
    fail('keyVersion', 'must be a positive whole number such as 1.');
  }
  if (settings.baseUrl !== undefined && settings.region !== undefined) {
    fail(
      'baseUrl, region',
      'are both set: give baseUrl (a simulator or proxy) or region, not both.',
    );
  }
  if (settings.region !== undefined && !Object.hasOwn(ANTOM_REGIONS, settings.region)) {
    fail(
      'region',
      `must be one of ${Object.keys(ANTOM_REGIONS)
        .map((r) => `"${r}"`)
        .join(', ')}.`,
    );
  }
  const contract = settings.contract;
  if (contract !== undefined) {
    if (!contract || typeof contract !== 'object')
      fail('contract', 'must be an object such as { partialCapture: true }.');
    for (const [key, value] of Object.entries(contract)) {
      if (key !== 'partialCapture' && key !== 'multipleCaptures') {
        fail(
          'contract',
          `has unknown field ${JSON.stringify(key)}: only partialCapture and multipleCaptures exist.`,
        );
      }
      if (typeof value !== 'boolean') fail(`contract.${key}`, 'must be true or false.');
    }
  }
  if (settings.verifyResponses !== undefined && typeof settings.verifyResponses !== 'boolean') {
    fail('verifyResponses', 'must be true or false.');
  }
}

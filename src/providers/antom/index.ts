/**
 * Antom v1 (also published as Alipay AMS v1 "Checkout Payment"): `capture`,
 * `inquiryPayment` for `resolve()`, and verified `notifyCapture` webhooks.
 *
 * @example
 * ```ts
 * import { createCaptureClient } from 'capture-kit';
 * import { antom } from 'capture-kit/antom';
 *
 * const client = createCaptureClient({
 *   providers: { antom: antom({ clientId, privateKey, antomPublicKey, region: 'asia' }) },
 * });
 * ```
 *
 * @module capture-kit/antom
 * @packageDocumentation
 */
import type { KeyObject } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { loadPrivateKey, loadPublicKey } from '../../core/rsa-signature.js';
import type { CaptureProviderV1 } from '../../core/spec.js';
import { createTransport } from '../../core/transport.js';
import { type AntomContract, antomCapabilities } from './capabilities.js';
import { antomCapture } from './capture.js';
import { createAntomExchange } from './exchange.js';
import { antomResolve } from './inquiry.js';
import { antomWebhookAck, parseAntomWebhook } from './webhook.js';

export type { AntomContract } from './capabilities.js';
export {
  ANTOM_RESULT_CODES,
  type AntomCodeMapping,
  type AntomResultStatus,
} from './map-antom-result.js';
export {
  type AntomProviderOptions,
  type AntomTransit,
  antomProviderOptionsSchema,
  antomTransitSchema,
} from './schemas.js';
export { ANTOM_WEBHOOK_ACK_BODY } from './webhook.js';

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

function checkSettings(settings: AntomSettings): void {
  if (!settings || typeof settings !== 'object') {
    throw new TypeError('antom(settings) needs { clientId, privateKey, antomPublicKey }.');
  }
  if (typeof settings.clientId !== 'string' || !/^[\x21-\x7E]{1,128}$/.test(settings.clientId)) {
    fail(
      'clientId',
      'must be the client id from the Antom Dashboard (printable ASCII, e.g. "SANDBOX_5YBZ0G2ZC0LE01234").',
    );
  }
  const { keyVersion } = settings;
  if (keyVersion !== undefined && !/^[1-9][0-9]{0,8}$/.test(String(keyVersion))) {
    fail(
      'keyVersion',
      `must be a positive whole number such as 1 (got ${JSON.stringify(keyVersion)}).`,
    );
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
        .join(', ')} (got ${JSON.stringify(settings.region)}).`,
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

/**
 * Creates the Antom adapter. Serves Antom v1 and its older name, Alipay AMS v1.
 *
 * - Signs exactly the bytes sent; verifies every answer's signature and fails closed
 *   (`signature_invalid`, `outcome: 'unknown'`).
 * - Antom requires `captureAmount`: when `capture()` omits `amount`, the adapter first reads
 *   the payment with `inquiryPayment` and captures what is left of it.
 * - `resolve()` reads `inquiryPayment` and matches `transactionRequestId` to the key.
 * - Full capture only, unless `contract` says otherwise.
 *
 * @example
 * ```ts
 * const adapter = antom({
 *   clientId: 'SANDBOX_5YBZ0G2ZC0LE01234',
 *   privateKey: process.env.ANTOM_PRIVATE_KEY!,
 *   antomPublicKey: process.env.ANTOM_PUBLIC_KEY!,
 *   region: 'north-america',
 *   contract: { partialCapture: true, multipleCaptures: true },
 * });
 * const client = createCaptureClient({ providers: { antom: adapter } });
 * ```
 */
export function antom(settings: AntomSettings): CaptureProviderV1 {
  checkSettings(settings);
  const privateKey = loadPrivateKey(settings.privateKey, 'antom({ privateKey })');
  const antomPublicKey = loadPublicKey(settings.antomPublicKey, 'antom({ antomPublicKey })');
  const transport = createTransport({
    baseUrl: settings.baseUrl ?? ANTOM_REGIONS[settings.region ?? 'north-america'],
    settingName: 'antom({ baseUrl })',
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...(settings.dispatcher ? { dispatcher: settings.dispatcher } : {}),
  });
  const contract: AntomContract = { ...settings.contract };
  const exchange = createAntomExchange({
    clientId: settings.clientId,
    privateKey,
    antomPublicKey,
    keyVersion: settings.keyVersion ?? 1,
    transport,
    verifyResponses: settings.verifyResponses ?? true,
    now: Date.now,
  });

  return {
    specificationVersion: 'v1',
    kind: 'antom',
    // The whole capture: an amount lookup (inquiryPayment) and the capture, each with the
    // transport deadline.
    timeoutMs: 2 * (settings.timeoutMs ?? 15_000),
    capabilities: (context) => antomCapabilities(context, contract),
    doCapture: (request) =>
      antomCapture(
        {
          exchange,
          multipleCaptures: antomCapabilities(request.context ?? {}, contract).multipleCaptures,
        },
        request,
      ),
    doResolve: (request) =>
      antomResolve(exchange, request, { multipleCaptures: contract.multipleCaptures === true }),
    doParseWebhook: async (request) =>
      parseAntomWebhook({ clientId: settings.clientId, antomPublicKey }, request),
    webhookAck: antomWebhookAck,
    close: () => transport.close(),
  };
}

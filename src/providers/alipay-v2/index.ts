/**
 * Alipay+ mini-program wallet API v2 (legacy): `POST {baseUrl}/v2/payments/capture`, with
 * multiple captures through `isLastCapture`.
 *
 * @example
 * ```ts
 * import { createCaptureClient } from 'capture-kit';
 * import { alipayV2 } from 'capture-kit/alipay-v2';
 *
 * const client = createCaptureClient({
 *   providers: {
 *     wallet: alipayV2({ clientId, privateKey, walletPublicKey, baseUrl: 'https://wallet.example/acl/api' }),
 *   },
 * });
 * ```
 *
 * @module capture-kit/alipay-v2
 * @packageDocumentation
 */
import type { KeyObject } from 'node:crypto';
import { err } from 'neverthrow';
import type { Dispatcher } from 'undici';
import { loadPrivateKey, loadPublicKey } from '../../core/rsa-signature.js';
import type { CaptureProviderV1 } from '../../core/spec.js';
import { createTransport } from '../../core/transport.js';
import { type AlipayV2Wallet, KNOWN_PREFIXES } from './call-wallet.js';
import { alipayV2Capabilities } from './capabilities.js';
import { resolveAlipayV2Capture } from './resolve-alipay-v2-capture.js';
import { sendAlipayV2Capture } from './send-alipay-v2-capture.js';
import { createAlipayV2Signer } from './signing.js';

export { alipayV2Capabilities } from './capabilities.js';
export {
  ALIPAY_V2_RESULT_CODES,
  ALIPAY_V2_SUCCESS_CODE,
  type AlipayV2CodeMapping,
  type AlipayV2Result,
  type AlipayV2ResultCode,
  type AlipayV2Verdict,
  mapAlipayV2Result,
} from './map-alipay-v2-result.js';
export { type AlipayV2Options, alipayV2OptionsSchema } from './schemas.js';

/**
 * Settings for {@link alipayV2}.
 *
 * @example
 * ```ts
 * const settings: AlipayV2Settings = {
 *   clientId: '2022012345678901',
 *   privateKey: process.env.WALLET_MERCHANT_PRIVATE_KEY!,
 *   walletPublicKey: process.env.WALLET_PUBLIC_KEY!,
 *   baseUrl: 'https://wallet.example/acl/api',
 * };
 * ```
 */
export interface AlipayV2Settings {
  /** `Client-Id` the wallet assigned to you. */
  readonly clientId: string;
  /** Your RSA private key: PEM, bare base64 PKCS#8, or a `KeyObject`. Never logged. */
  readonly privateKey: string | KeyObject;
  /** The wallet's RSA public key (PEM, bare base64 SPKI, or a `KeyObject`): verifies every answer. */
  readonly walletPublicKey: string | KeyObject;
  /**
   * The wallet's API base URL INCLUDING its prefix: `https://{host}/api`, `https://{host}/acl/api`
   * (TNGD) or `https://{host}/api/open` (Alipay Connect, Rebell). Required: it differs by wallet.
   */
  readonly baseUrl: string;
  /** `keyVersion` in the Signature header. Default 1. */
  readonly keyVersion?: number | string;
  /** Whole-request deadline in ms. Default 15 000. */
  readonly timeoutMs?: number;
  /** An undici dispatcher to use instead of a private keep-alive pool. */
  readonly dispatcher?: Dispatcher;
}

const SETTINGS = new Set([
  'clientId',
  'privateKey',
  'walletPublicKey',
  'baseUrl',
  'keyVersion',
  'timeoutMs',
  'dispatcher',
]);

/**
 * Creates the Alipay+ v2 adapter (kind `'alipayV2'`). Keys are parsed once, here; any
 * misconfiguration throws a `TypeError` naming the setting. At call time the adapter never
 * throws: a timeout after sending, a 5xx, a `U` result or an answer whose signature does
 * not verify is `outcome: 'unknown'` — resolve it with `client.resolve()` (inquiryPayment).
 *
 * Per capture: `final` becomes `isLastCapture` (sent as `false` only; the wallet's default is
 * true), an omitted amount sends no `captureAmount` (the wallet captures what remains), and
 * `providerOptions.alipayV2.extendInfo` is passed through. `reference` and `metadata` have
 * no v2 field and are not sent.
 *
 * @example
 * ```ts
 * const wallet = alipayV2({ clientId, privateKey, walletPublicKey, baseUrl: 'https://wallet.example/api/open' });
 * const client = createCaptureClient({ providers: { wallet } });
 * const first = await client.capture({ provider: 'wallet', paymentId,
 *   amount: { currency: 'USD', value: 3000n }, final: false });
 * const last = await client.capture({ provider: 'wallet', paymentId,
 *   amount: { currency: 'USD', value: 2000n }, final: true });
 * ```
 */
export function alipayV2(settings: AlipayV2Settings): CaptureProviderV1 {
  if (!settings || typeof settings !== 'object') {
    throw new TypeError(
      'alipayV2(settings): pass { clientId, privateKey, walletPublicKey, baseUrl }.',
    );
  }
  for (const key of Object.keys(settings)) {
    if (!SETTINGS.has(key)) {
      throw new TypeError(
        `alipayV2({ ${key} }) is not a setting; the settings are ${[...SETTINGS].join(', ')}.`,
      );
    }
  }
  const { clientId, baseUrl } = settings;
  if (typeof clientId !== 'string' || !/^[\x21-\x7E]{1,64}$/.test(clientId)) {
    throw new TypeError(
      'alipayV2({ clientId }) must be the Client-Id the wallet assigned: 1-64 printable characters without spaces.',
    );
  }
  if (typeof baseUrl !== 'string' || baseUrl.length === 0) {
    throw new TypeError(
      `alipayV2({ baseUrl }) is required: the wallet's API base URL including its prefix, e.g. https://wallet.example/acl/api. Known prefixes: ${KNOWN_PREFIXES}.`,
    );
  }
  const keyVersion = String(settings.keyVersion ?? 1);
  if (!/^[1-9][0-9]{0,8}$/.test(keyVersion)) {
    throw new TypeError('alipayV2({ keyVersion }) must be a positive whole number (default 1).');
  }
  const timeoutMs = settings.timeoutMs;
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) {
    throw new TypeError('alipayV2({ timeoutMs }) must be a positive whole number of milliseconds.');
  }
  const signer = createAlipayV2Signer({
    clientId,
    keyVersion,
    privateKey: loadPrivateKey(settings.privateKey, 'alipayV2({ privateKey })'),
    walletPublicKey: loadPublicKey(settings.walletPublicKey, 'alipayV2({ walletPublicKey })'),
  });
  const transport = createTransport({
    baseUrl,
    settingName: 'alipayV2({ baseUrl })',
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(settings.dispatcher ? { dispatcher: settings.dispatcher } : {}),
  });
  const wallet: AlipayV2Wallet = { transport, signer };

  return {
    specificationVersion: 'v1',
    kind: 'alipayV2',
    timeoutMs: timeoutMs ?? 15_000,
    capabilities: () => alipayV2Capabilities(),
    doCapture: (request) => sendAlipayV2Capture(wallet, request),
    doResolve: (request) => resolveAlipayV2Capture(wallet, request),
    doParseWebhook: async () =>
      err({
        code: 'unsupported',
        verified: false,
        kind: 'alipayV2',
        message:
          'Alipay+ v2 documents no capture webhook: capture results arrive in the capture response; call resolve() (inquiryPayment) to settle an unknown outcome.',
      }),
    webhookAck: () => ({ status: 200, headers: {}, body: '' }),
    close: () => transport.close(),
  };
}

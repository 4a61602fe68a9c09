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
import { err } from 'neverthrow';
import type { CaptureProviderV1 } from '../../core/spec.js';
import { loadPrivateKey, loadPublicKey } from '../../provider-kit/rsa-signature.js';
import { createTransport } from '../../provider-kit/transport.js';
import { alipayV2Capabilities } from './capabilities.js';
import type { AlipayV2Wallet } from './http.js';
import { resolveAlipayV2Capture } from './resolve-capture.js';
import { sendAlipayV2Capture } from './send-capture.js';
import { type AlipayV2Settings, checkAlipayV2Settings } from './settings.js';
import { createAlipayV2Signer } from './signing.js';
import { alipayV2NoWebhooks, alipayV2WebhookAck } from './webhook.js';

export { alipayV2Capabilities } from './capabilities.js';
export {
  type AlipayV2Result,
  type AlipayV2Verdict,
  mapAlipayV2Result,
} from './map-alipay-v2-result.js';
export {
  ALIPAY_V2_RESULT_CODES,
  ALIPAY_V2_SUCCESS_CODE,
  type AlipayV2CodeMapping,
  type AlipayV2ResultCode,
} from './result-codes.js';
export { type AlipayV2Options, alipayV2OptionsSchema } from './schemas.js';
export type { AlipayV2Settings } from './settings.js';

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
  const { clientId, baseUrl, keyVersion, timeoutMs } = checkAlipayV2Settings(settings);
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
    doParseWebhook: async () => err(alipayV2NoWebhooks()),
    webhookAck: alipayV2WebhookAck,
    close: () => transport.close(),
  };
}

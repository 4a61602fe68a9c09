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

import type { CaptureProviderV1 } from '../../core/spec.js';
import { parsesWebhooksNow, type WebhookParserNow } from '../../core/webhook-parser-now.js';
import { loadPrivateKey, loadPublicKey } from '../../provider-kit/rsa-signature.js';
import { createTransport } from '../../provider-kit/transport.js';
import { type AntomContract, antomCapabilities } from './capabilities.js';
import { createAntomExchange } from './http.js';
import { antomResolve } from './resolve-capture.js';
import { antomCapture } from './send-capture.js';
import { ANTOM_REGIONS, type AntomSettings, checkAntomSettings } from './settings.js';
import { antomWebhookAck, parseAntomWebhook } from './webhook.js';

export type { AntomContract } from './capabilities.js';
export {
  ANTOM_RESULT_CODES,
  type AntomCodeMapping,
  type AntomResultStatus,
} from './result-codes.js';
export { roundIdr } from './round-idr.js';
export {
  type AntomProviderOptions,
  type AntomTransit,
  antomProviderOptionsSchema,
  antomTransitSchema,
} from './schemas.js';
export { ANTOM_REGIONS, type AntomRegion, type AntomSettings } from './settings.js';
export { ANTOM_WEBHOOK_ACK_BODY } from './webhook.js';

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
  checkAntomSettings(settings);
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

  const parseWebhook: WebhookParserNow = (request) =>
    parseAntomWebhook({ clientId: settings.clientId, antomPublicKey }, request);
  // The client calls parseWebhook directly (webhook-parser-now.ts); doParseWebhook is the
  // same parse for everyone else.
  return parsesWebhooksNow(
    {
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
      doParseWebhook: async (request) => parseWebhook(request),
      webhookAck: antomWebhookAck,
      close: () => transport.close(),
    },
    parseWebhook,
  );
}

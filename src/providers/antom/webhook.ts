import type { KeyObject } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import type { WebhookError } from '../../core/errors.js';
import type { Mutable } from '../../core/mutable.js';
import {
  headerValue,
  type ProviderCaptureEvent,
  type WebhookAck,
  type WebhookRequest,
} from '../../core/webhook-types.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { fromAntomAmount } from './amount.js';
import { readNotifyCapture } from './read-capture-body.js';
import { verifyAntomMessage } from './signing.js';

/**
 * The body Antom expects in answer to every notification, whatever the capture result.
 * Anything else makes Antom deliver again (up to 8 times within 24 h).
 *
 * @example
 * ```ts
 * // A hand-written notifyCapture endpoint answers exactly this once the request verified:
 * res.writeHead(200, { 'content-type': 'application/json' }).end(ANTOM_WEBHOOK_ACK_BODY);
 * ```
 */
export const ANTOM_WEBHOOK_ACK_BODY =
  '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}';

/**
 * The answer to a verified notifyCapture: HTTP 200 with {@link ANTOM_WEBHOOK_ACK_BODY},
 * unsigned (Antom does not want the acknowledgement countersigned).
 *
 * @example
 * ```ts
 * const ack = antomWebhookAck(); // { status: 200, headers: { 'content-type': 'application/json' }, body: '{"result":…}' }
 * ```
 */
export function antomWebhookAck(): WebhookAck {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: ANTOM_WEBHOOK_ACK_BODY,
  };
}

/** What webhook verification needs from the adapter settings. */
interface AntomWebhookConfig {
  readonly clientId: string;
  readonly antomPublicKey: KeyObject;
}

function rejected(
  code: WebhookError['code'],
  message: string,
  verified = false,
  eventType?: string,
): WebhookError {
  return { code, message, verified, kind: 'antom', ...(eventType ? { eventType } : {}) };
}

/**
 * Verifies one notifyCapture delivery and turns it into a neutral event.
 *
 * The signature covers `<METHOD> <notify path>\n<client-id>.<request-time>.<raw body>`; the
 * path is the one the request arrived on (`request.path`), without its query string (as the
 * Java SDK's `getRequestURI()`), falling back to the path with the query string.
 *
 * The event `id` (dedupe key) is Antom's `captureId` when present, else
 * `<captureRequestId>:<resultStatus>` (failure notifications may carry no captureId).
 *
 * @example
 * ```ts
 * const event = parseAntomWebhook({ clientId, antomPublicKey }, { method: 'POST', path: '/notify/antom', headers, rawBody });
 * ```
 */
export function parseAntomWebhook(
  config: AntomWebhookConfig,
  request: WebhookRequest,
): Result<ProviderCaptureEvent, WebhookError> {
  const clientId = headerValue(request.headers, 'client-id');
  const time = headerValue(request.headers, 'request-time');
  const signature = headerValue(request.headers, 'signature');
  if (clientId !== config.clientId) {
    return err(
      rejected(
        'signature_invalid',
        `notifyCapture was addressed to client-id ${JSON.stringify(clientId ?? null)}, not antom({ clientId }); refused.`,
      ),
    );
  }
  // The path without its query string first; the path as it came only when that fails.
  const query = request.path.indexOf('?');
  const path = query === -1 ? request.path : request.path.slice(0, query);
  const message = { method: request.method, path, clientId, time, body: request.rawBody };
  const check = verifyAntomMessage(config.antomPublicKey, signature, message);
  const other =
    check === 'valid' || query === -1
      ? undefined
      : verifyAntomMessage(config.antomPublicKey, signature, { ...message, path: request.path });
  if (check !== 'valid' && other !== 'valid') {
    return err(
      rejected(
        'signature_invalid',
        check === 'invalid' || other === 'invalid'
          ? 'notifyCapture signature did not verify with antom({ antomPublicKey }) over the path it arrived on; refused.'
          : 'notifyCapture had no signature or request-time header; refused.',
      ),
    );
  }

  const json = readJsonBody(request.rawBody);
  if (json === undefined) {
    return err(rejected('invalid_payload', 'notifyCapture body is not JSON.', true));
  }
  const body = readNotifyCapture(json);
  if (!body)
    return err(rejected('invalid_payload', 'notifyCapture body has an unexpected shape.', true));
  const notifyType = body.notifyType ?? undefined;
  if (notifyType !== 'CAPTURE_RESULT') {
    return err(
      rejected(
        'event_ignored',
        `Antom notification ${notifyType ?? '(no notifyType)'} is not a capture result.`,
        true,
        notifyType,
      ),
    );
  }
  const status = body.result?.resultStatus;
  if (status !== 'S' && status !== 'F') {
    return err(
      rejected(
        'invalid_payload',
        `notifyCapture has result status ${JSON.stringify(status ?? null)}; expected S or F.`,
        true,
        notifyType,
      ),
    );
  }
  if (!body.paymentId || !(body.captureId || body.captureRequestId)) {
    return err(
      rejected(
        'invalid_payload',
        'notifyCapture lacks paymentId or both captureId and captureRequestId.',
        true,
        notifyType,
      ),
    );
  }
  const amount = fromAntomAmount(body.captureAmount);
  // Built field by field, in the order the fields always had, instead of an object literal
  // with conditional spreads: each spread was a runtime copy (bench/FINDINGS.md, webhooks).
  const event = {
    kind: 'antom',
    id: body.captureId ?? `${body.captureRequestId}:${status}`,
    type: status === 'S' ? 'capture.succeeded' : 'capture.failed',
    paymentId: body.paymentId,
  } as Mutable<ProviderCaptureEvent>;
  if (body.captureId) event.captureId = body.captureId;
  if (body.captureRequestId) event.idempotencyKey = body.captureRequestId;
  if (amount) event.amount = amount;
  event.occurredAt = body.captureTime ?? sentAtOrNow(time);
  if (status === 'F' && body.result?.resultCode) event.providerCode = body.result.resultCode;
  event.raw = json;
  return ok(event);
}

/** When a notification without `captureTime` was sent (its `request-time`), else now. */
function sentAtOrNow(time: string | undefined): string {
  const sentAt = time && /^\d+$/.test(time) ? Number(time) : Date.parse(time ?? '');
  return Number.isFinite(sentAt) && sentAt > 0
    ? new Date(sentAt).toISOString()
    : new Date().toISOString();
}

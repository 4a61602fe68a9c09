import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError } from '../../core/errors.js';
import { formatMinorUnits } from '../../core/money.js';
import { serializeRequestBody } from '../../core/serialize-request-body.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import { parseProviderOptions } from '../../provider-kit/parse-provider-options.js';
import {
  ALIPAY_V2_ENDPOINTS,
  type AlipayV2Wallet,
  callWallet,
  noReliableAnswer,
} from './call-wallet.js';
import { mapAlipayV2Result } from './map-alipay-v2-result.js';
import {
  type AlipayV2Options,
  alipayV2OptionsSchema,
  captureResponseSchema,
  readWireAmount,
} from './schemas.js';

/**
 * The capture body, fields in the seed sample's order. `captureAmount` only when an amount
 * is given (omitted = full remaining amount). `isLastCapture` is a JSON boolean and is sent
 * only when false: true is the wallet's default, and leaving it out keeps a final capture
 * byte-identical to the seed sample.
 *
 * @example
 * ```ts
 * captureRequestBody({ paymentId: 'p1', idempotencyKey: 'k1', final: false,
 *   amount: { currency: 'USD', value: 50n } }, {});
 * // '{"captureRequestId":"k1","paymentId":"p1","captureAmount":{"value":"50","currency":"USD"},"isLastCapture":false}'
 * ```
 */
export function captureRequestBody(
  request: Pick<ProviderCaptureRequest, 'paymentId' | 'idempotencyKey' | 'final' | 'amount'>,
  options: AlipayV2Options,
): string {
  return JSON.stringify(captureRequestFields(request, options));
}

/** The capture body as an object, fields in the seed sample's order. */
function captureRequestFields(
  request: Pick<ProviderCaptureRequest, 'paymentId' | 'idempotencyKey' | 'final' | 'amount'>,
  options: AlipayV2Options,
): Record<string, unknown> {
  return {
    captureRequestId: request.idempotencyKey,
    paymentId: request.paymentId,
    ...(request.amount
      ? {
          captureAmount: {
            value: formatMinorUnits(request.amount.value),
            currency: request.amount.currency,
          },
        }
      : {}),
    ...(request.final ? {} : { isLastCapture: false }),
    ...(options.extendInfo !== undefined ? { extendInfo: options.extendInfo } : {}),
  };
}

/** One capture: build, sign, send, verify, map. Never throws. */
export async function sendAlipayV2Capture(
  wallet: AlipayV2Wallet,
  request: ProviderCaptureRequest,
): Promise<Result<ProviderCapture, CaptureError>> {
  const options = parseProviderOptions('alipayV2', alipayV2OptionsSchema, request.providerOptions);
  if (options.isErr()) return err(options.error);
  // Serialized before anything is sent, so a body that cannot be JSON is refused by name.
  const body = serializeRequestBody(
    'alipayV2',
    captureRequestFields(request, options.value),
    request.providerOptions,
  );
  if (body.isErr()) return err(body.error);
  const answer = await callWallet(
    wallet,
    'capture',
    ALIPAY_V2_ENDPOINTS.capture,
    body.value,
    captureResponseSchema,
    request.signal,
  );
  if (answer.isErr()) return err(answer.error);
  const { httpStatus, json, data: response, wait } = answer.value;
  const verdict = mapAlipayV2Result(response.result);
  if (verdict.kind === 'error') {
    return err(captureError({ ...verdict.error, httpStatus, ...wait }));
  }
  if (response.captureRequestId && response.captureRequestId !== request.idempotencyKey) {
    return err(
      noReliableAnswer(
        'capture',
        'provider_error',
        `The wallet answered for captureRequestId ${response.captureRequestId}, not ${request.idempotencyKey}.`,
        { httpStatus },
      ),
    );
  }
  const amount = readWireAmount(response.captureAmount);
  if (amount.isErr()) {
    return err(
      noReliableAnswer(
        'capture',
        'provider_error',
        `The wallet's captureAmount is unreadable: ${amount.error}.`,
        { httpStatus },
      ),
    );
  }
  return ok({
    kind: 'alipayV2',
    status: verdict.kind,
    paymentId: response.paymentId ?? request.paymentId,
    idempotencyKey: request.idempotencyKey,
    final: request.final,
    ...(response.captureId ? { captureId: response.captureId } : {}),
    ...(amount.value ? { amount: amount.value } : {}),
    ...(response.captureTime ? { capturedAt: response.captureTime } : {}),
    providerMetadata: {
      ...(response.result.resultCode ? { resultCode: response.result.resultCode } : {}),
      ...(response.extendInfo ? { extendInfo: response.extendInfo } : {}),
    },
    raw: json,
  });
}

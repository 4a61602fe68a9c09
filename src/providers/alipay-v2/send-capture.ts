import { err, ok, type Result } from 'neverthrow';
import { match } from 'ts-pattern';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError } from '../../core/errors.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import { exchangeStop } from '../../provider-kit/exchange-stop.js';
import { parseProviderOptions } from '../../provider-kit/parse-provider-options.js';
import { buildCaptureBody } from './build-capture-body.js';
import { ALIPAY_V2_ENDPOINTS, type AlipayV2Wallet, callWallet, noReliableAnswer } from './http.js';
import { mapAlipayV2Result } from './map-alipay-v2-result.js';
import { alipayV2OptionsSchema, captureResponseSchema, readWireAmount } from './schemas.js';

/** One capture: build, sign, send, verify, map. Never throws. */
export async function sendAlipayV2Capture(
  wallet: AlipayV2Wallet,
  request: ProviderCaptureRequest,
): Promise<Result<ProviderCapture, CaptureError>> {
  const options = parseProviderOptions('alipayV2', alipayV2OptionsSchema, request.providerOptions);
  if (options.isErr()) return err(options.error);
  const body = buildCaptureBody(request, options.value);
  if (body.isErr()) return err(body.error);
  const answer = await callWallet(
    wallet,
    'capture',
    ALIPAY_V2_ENDPOINTS.capture,
    body.value,
    captureResponseSchema,
    exchangeStop(request),
  );
  if (answer.isErr()) return err(answer.error);
  const { httpStatus, json, data: response, wait } = answer.value;
  const verdict = mapAlipayV2Result(response.result);
  const status = match(verdict)
    .returnType<Result<'succeeded' | 'pending', CaptureError>>()
    .with({ kind: 'error' }, ({ error }) => err(captureError({ ...error, httpStatus, ...wait })))
    .with({ kind: 'succeeded' }, { kind: 'pending' }, ({ kind }) => ok(kind))
    .exhaustive();
  if (status.isErr()) return err(status.error);
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
    status: status.value,
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

import { err, ok, type Result } from 'neverthrow';
import { match, P } from 'ts-pattern';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError, captureNotFound } from '../../core/errors.js';
import type { ProviderResolveRequest } from '../../core/spec.js';
import {
  ALIPAY_V2_ENDPOINTS,
  type AlipayV2Wallet,
  callWallet,
  inquiryAware,
  noReliableAnswer,
} from './call-wallet.js';
import { lookupAlipayV2Code, mapAlipayV2Result } from './map-alipay-v2-result.js';
import { type InquiryTransaction, inquiryResponseSchema, readWireAmount } from './schemas.js';

const KIND = 'alipayV2';

/**
 * Asks `inquiryPayment` what became of the capture sent with `idempotencyKey`. The inquiry
 * fields are not documented for v2: they are ASSUMED to be AMS v1's (`transactions[]` with
 * `transactionType: 'CAPTURE'`, `transactionRequestId` = captureRequestId,
 * `transactionStatus` SUCCESS | FAIL | PROCESSING).
 */
export async function resolveAlipayV2Capture(
  wallet: AlipayV2Wallet,
  request: ProviderResolveRequest,
): Promise<Result<ProviderCapture, CaptureError>> {
  const answer = await callWallet(
    wallet,
    'resolve',
    ALIPAY_V2_ENDPOINTS.inquiry,
    JSON.stringify({ paymentId: request.paymentId }),
    inquiryResponseSchema,
    request.signal,
  );
  if (answer.isErr()) return err(answer.error);
  const { httpStatus, json, data: inquiry } = answer.value;
  const verdict = mapAlipayV2Result(inquiry.result);
  if (verdict.kind === 'error') {
    // An unknown payment cannot have been captured; any other refusal leaves the capture open.
    if (verdict.error.code === 'payment_not_found' && verdict.error.outcome === 'failed') {
      return err(captureError({ ...verdict.error, httpStatus }));
    }
    return err(inquiryAware('resolve', { ...verdict.error, httpStatus }));
  }
  if (verdict.kind === 'pending') {
    return err(
      noReliableAnswer(
        'resolve',
        'provider_error',
        'inquiryPayment is itself still processing.',
        httpStatus,
      ),
    );
  }
  const transaction = (inquiry.transactions ?? []).find(
    (t) =>
      t.transactionType === 'CAPTURE' &&
      (t.transactionRequestId === request.idempotencyKey ||
        (request.captureId !== undefined && t.transactionId === request.captureId)),
  );
  if (!transaction) {
    return err(
      captureNotFound({
        kind: KIND,
        provider: 'The wallet',
        field: 'captureRequestId',
        idempotencyKey: request.idempotencyKey,
        paymentId: request.paymentId,
        httpStatus,
      }),
    );
  }
  return fromTransaction(transaction, request, json, httpStatus);
}

function fromTransaction(
  transaction: InquiryTransaction,
  request: ProviderResolveRequest,
  raw: unknown,
  httpStatus: number,
): Result<ProviderCapture, CaptureError> {
  const amount = readWireAmount(transaction.transactionAmount);
  if (amount.isErr()) {
    return err(
      noReliableAnswer(
        'resolve',
        'provider_error',
        `The capture's transactionAmount is unreadable: ${amount.error}.`,
        httpStatus,
      ),
    );
  }
  const capture = (status: ProviderCapture['status']): Result<ProviderCapture, CaptureError> =>
    ok({
      kind: KIND,
      status,
      paymentId: request.paymentId,
      idempotencyKey: request.idempotencyKey,
      final: transaction.isLastCapture ?? true,
      ...(transaction.transactionId ? { captureId: transaction.transactionId } : {}),
      ...(amount.value ? { amount: amount.value } : {}),
      ...(status === 'succeeded' && transaction.transactionTime
        ? { capturedAt: transaction.transactionTime }
        : {}),
      providerMetadata: { transactionStatus: transaction.transactionStatus },
      raw,
    });
  return match(transaction.transactionStatus)
    .with('SUCCESS', () => capture('succeeded'))
    .with(P.union('PROCESSING', 'PENDING'), () => capture('pending'))
    .with(P.union('FAIL', 'CANCELLED'), (status) =>
      err(failedCapture(transaction, status, httpStatus)),
    )
    .otherwise((status) =>
      err(
        noReliableAnswer(
          'resolve',
          'provider_error',
          `The capture's transactionStatus ${JSON.stringify(status ?? null)} is not one this library knows.`,
          httpStatus,
        ),
      ),
    );
}

function failedCapture(
  transaction: InquiryTransaction,
  status: string,
  httpStatus: number,
): CaptureError {
  const result = transaction.transactionResult ?? {};
  const known = lookupAlipayV2Code(result.resultCode);
  const verdict = mapAlipayV2Result({ ...result, resultStatus: 'F' });
  if (known?.outcome === 'failed' && verdict.kind === 'error') {
    return captureError({ ...verdict.error, httpStatus });
  }
  return captureError({
    code: status === 'CANCELLED' ? 'authorization_cancelled' : 'provider_error',
    outcome: 'failed',
    kind: KIND,
    httpStatus,
    ...(result.resultCode ? { providerCode: result.resultCode } : {}),
    providerStatus: 'F',
    message: `The wallet reports the capture as ${status}${result.resultCode ? ` (${result.resultCode})` : ''}: nothing was captured under this key.`,
  });
}

import { err, ok, type Result } from 'neverthrow';
import { match, P } from 'ts-pattern';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError, captureNotFound } from '../../core/errors.js';
import type { ProviderResolveRequest } from '../../core/spec.js';
import { exchangeStop } from '../../provider-kit/exchange-stop.js';
import {
  ALIPAY_V2_ENDPOINTS,
  type AlipayV2Wallet,
  callWallet,
  inquiryAware,
  noReliableAnswer,
} from './http.js';
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
    exchangeStop(request),
  );
  if (answer.isErr()) return err(answer.error);
  const { httpStatus, json, data: inquiry, wait } = answer.value;
  const verdict = mapAlipayV2Result(inquiry.result);
  if (verdict.kind === 'error') {
    // An unknown payment cannot have been captured; any other refusal leaves the capture open.
    if (verdict.error.code === 'payment_not_found' && verdict.error.outcome === 'failed') {
      return err(captureError({ ...verdict.error, httpStatus }));
    }
    const advice = lookupAlipayV2Code(verdict.error.providerCode)?.advice;
    return err(
      inquiryAware(
        'resolve',
        { ...verdict.error, httpStatus, ...wait },
        advice && FIXABLE.has(verdict.error.code) ? advice.replace(/\.$/, '') : undefined,
      ),
    );
  }
  if (verdict.kind === 'pending') {
    return err(
      noReliableAnswer('resolve', 'provider_error', 'inquiryPayment is itself still processing.', {
        httpStatus,
        ...wait,
      }),
    );
  }
  const captures = (inquiry.transactions ?? []).filter((t) => t.transactionType === 'CAPTURE');
  let candidates = captures.filter((t) => t.transactionRequestId === request.idempotencyKey);
  if (request.captureId !== undefined) {
    const byId = captures.filter((t) => t.transactionId === request.captureId);
    const foreign = byId.find(
      (t) => t.transactionRequestId && t.transactionRequestId !== request.idempotencyKey,
    );
    if (foreign) {
      return err(
        noReliableAnswer(
          'resolve',
          'outcome_unknown',
          `captureId ${request.captureId} is listed for captureRequestId ${foreign.transactionRequestId}, not ${request.idempotencyKey}: the captureId and the key passed to resolve() disagree.`,
          { httpStatus },
        ),
      );
    }
    if (candidates.length === 0) candidates = byId;
  }
  const transaction = mostAdvanced(candidates);
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

// Refusals whose advice (naming a setting) also fits an inquiry; other advice is about a capture.
const FIXABLE = new Set(['authentication_failed', 'access_denied', 'invalid_request']);

const RANK: Readonly<Record<string, number>> = { SUCCESS: 0, PROCESSING: 1, PENDING: 1 };

/** One key, one fate: if any entry for it succeeded, money moved; then processing; then the rest. */
function mostAdvanced(transactions: readonly InquiryTransaction[]): InquiryTransaction | undefined {
  const rank = (t: InquiryTransaction) => RANK[t.transactionStatus ?? ''] ?? 2;
  return [...transactions].sort((a, b) => rank(a) - rank(b))[0];
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
        { httpStatus },
      ),
    );
  }
  const meant = request.amount;
  const listed = amount.value;
  if (
    meant &&
    listed &&
    transaction.transactionStatus !== 'FAIL' &&
    transaction.transactionStatus !== 'CANCELLED' &&
    (listed.currency !== meant.currency || listed.value !== meant.value)
  ) {
    return err(
      noReliableAnswer(
        'resolve',
        'provider_error',
        `The capture sent with this key is listed for ${listed.value} ${listed.currency}, but ${meant.value} ${meant.currency} was meant.`,
        { httpStatus },
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
          { httpStatus },
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

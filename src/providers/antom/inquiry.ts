import { err, ok, type Result } from 'neverthrow';
import { match } from 'ts-pattern';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError, captureNotFound } from '../../core/errors.js';
import type { Money } from '../../core/money.js';
import type { ProviderResolveRequest } from '../../core/spec.js';
import { fromAntomAmount } from './amount.js';
import type { AntomExchange, AntomOperation } from './exchange.js';
import { type AntomResult, lookupAntomCode, mapAntomResult } from './map-antom-result.js';
import {
  type AntomInquiryResponse,
  type AntomTransaction,
  antomInquiryResponseSchema,
} from './schemas.js';

/** The path of Antom's payment inquiry, after the `/ams/api/` prefix. */
export const INQUIRY_API = 'v1/payments/inquiryPayment';

/** A verified, parsed inquiry answer with `result.resultStatus` S. */
export interface AntomInquiry {
  readonly response: AntomInquiryResponse;
  readonly json: unknown;
}

/**
 * Calls `inquiryPayment` for one payment. Err when the call got no verified answer or
 * Antom's `result` is not S (mapped with the code table; the caller decides what that means
 * for the capture).
 */
export async function inquirePayment(
  exchange: AntomExchange,
  paymentId: string,
  operation: AntomOperation,
  signal?: AbortSignal,
): Promise<Result<AntomInquiry, CaptureError>> {
  const answer = await exchange.post(INQUIRY_API, { paymentId }, operation, signal);
  if (answer.isErr()) return err(answer.error);
  const parsed = antomInquiryResponseSchema.safeParse(answer.value.json);
  if (!parsed.success) {
    return err(
      captureError({
        code: 'provider_error',
        outcome: 'unknown',
        kind: 'antom',
        message:
          'Antom answered inquiryPayment with a body of an unexpected shape. Call resolve() again.',
        cause: parsed.error,
      }),
    );
  }
  const result = parsed.data.result ?? {};
  if (result.resultStatus !== 'S') return err(mapAntomResult(result));
  return ok({ response: parsed.data, json: answer.value.json });
}

const isCapture = (t: AntomTransaction) => t.transactionType?.toUpperCase() === 'CAPTURE';
const rank = (t: AntomTransaction) =>
  match(t.transactionStatus)
    .with('SUCCESS', () => 0)
    .with('PROCESSING', 'PENDING', () => 1)
    .otherwise(() => 2);

/** The CAPTURE transaction sent with `captureRequestId`, preferring a successful one. */
export function findCaptureTransaction(
  response: AntomInquiryResponse,
  captureRequestId: string,
): AntomTransaction | undefined {
  return (response.transactions ?? [])
    .filter((t) => isCapture(t) && t.transactionRequestId === captureRequestId)
    .sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * What is left to capture: the payment amount minus every capture that succeeded or is
 * still processing. `undefined` when the inquiry has no usable `paymentAmount`.
 */
export function remainingAmount(response: AntomInquiryResponse): Money | undefined {
  const authorized = fromAntomAmount(response.paymentAmount);
  if (!authorized) return undefined;
  let taken = 0n;
  for (const t of response.transactions ?? []) {
    if (!isCapture(t) || rank(t) > 1) continue;
    const amount = fromAntomAmount(t.transactionAmount);
    if (amount && amount.currency === authorized.currency) taken += amount.value;
  }
  return {
    currency: authorized.currency,
    value: authorized.value > taken ? authorized.value - taken : 0n,
  };
}

type CaptureVerdict = 'succeeded' | 'pending' | 'failed' | 'unclear';

function verdictOf(t: AntomTransaction): CaptureVerdict {
  return match(t.transactionStatus ?? t.transactionResult?.resultStatus)
    .with('SUCCESS', 'S', () => 'succeeded' as const)
    .with('PROCESSING', 'PENDING', 'U', () => 'pending' as const)
    .with('FAIL', 'CANCELLED', 'F', () => 'failed' as const)
    .otherwise(() => 'unclear' as const);
}

/** A transaction Antom marked failed: always `failed`, code from the table when listed. */
function failedCapture(
  result: AntomResult | null | undefined,
  transactionStatus: string,
): CaptureError {
  const listed = lookupAntomCode(result?.resultCode);
  const mapped = mapAntomResult({ ...(result ?? {}), resultStatus: 'F' });
  const definite = listed?.outcome === 'failed';
  return captureError({
    ...mapped,
    code: definite ? mapped.code : 'provider_error',
    outcome: 'failed',
    retryable: false,
    message: `inquiryPayment reports this capture as ${transactionStatus}. ${mapped.message} Money did not move; a new attempt needs a NEW idempotencyKey.`,
  });
}

/**
 * `resolve()` for Antom: `inquiryPayment { paymentId }`, then the CAPTURE transaction whose
 * `transactionRequestId` is the idempotency key.
 *
 * @example
 * ```ts
 * const result = await antomResolve(exchange, { paymentId, idempotencyKey }, { multipleCaptures: false });
 * ```
 */
export async function antomResolve(
  exchange: AntomExchange,
  request: ProviderResolveRequest,
  options: { readonly multipleCaptures: boolean },
): Promise<Result<ProviderCapture, CaptureError>> {
  const inquiry = await inquirePayment(exchange, request.paymentId, 'resolve', request.signal);
  if (inquiry.isErr()) {
    const e = inquiry.error;
    if (e.outcome !== 'failed' || e.code === 'payment_not_found') return err(e);
    // Antom refused the inquiry itself: that says nothing about the capture.
    return err(
      captureError({
        ...e,
        outcome: 'unknown',
        retryable: true,
        message: `inquiryPayment was refused, so the capture's fate is still unknown. ${e.message} Fix the cause and call resolve() again.`,
      }),
    );
  }
  const { response, json } = inquiry.value;
  const transaction = findCaptureTransaction(response, request.idempotencyKey);
  if (!transaction) {
    return err(
      captureNotFound({
        kind: 'antom',
        provider: 'Antom',
        field: 'captureRequestId',
        idempotencyKey: request.idempotencyKey,
      }),
    );
  }
  const verdict = verdictOf(transaction);
  const status =
    transaction.transactionStatus ?? transaction.transactionResult?.resultStatus ?? '?';
  if (verdict === 'failed') return err(failedCapture(transaction.transactionResult, status));
  if (verdict === 'unclear') {
    return err(
      captureError({
        code: 'outcome_unknown',
        outcome: 'unknown',
        kind: 'antom',
        message: `inquiryPayment reports the capture with an unexpected status ${JSON.stringify(status)}. Call resolve() again later.`,
      }),
    );
  }
  const amount = fromAntomAmount(transaction.transactionAmount);
  const remaining = remainingAmount(response);
  return ok({
    kind: 'antom',
    status: verdict,
    paymentId: response.paymentId ?? request.paymentId,
    ...(transaction.transactionId ? { captureId: transaction.transactionId } : {}),
    idempotencyKey: request.idempotencyKey,
    ...(amount ? { amount } : {}),
    final: !options.multipleCaptures || remaining?.value === 0n,
    ...(transaction.transactionTime ? { capturedAt: transaction.transactionTime } : {}),
    providerMetadata: {
      transactionStatus: transaction.transactionStatus ?? undefined,
      paymentStatus: response.paymentStatus ?? undefined,
      resultCode: transaction.transactionResult?.resultCode ?? undefined,
    },
    raw: json,
  });
}

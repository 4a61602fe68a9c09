import { err, ok, type Result } from 'neverthrow';
import { match } from 'ts-pattern';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError, captureNotFound } from '../../core/errors.js';
import { inquiryFailure } from '../../core/inquiry-failure.js';
import type { Money } from '../../core/money.js';
import { retryAfterFrom } from '../../core/parse-retry-after.js';
import type { ProviderResolveRequest } from '../../core/spec.js';
import { type ExchangeStop, exchangeStop } from '../../provider-kit/exchange-stop.js';
import { fromAntomAmount, readAntomAmount } from './amount.js';
import type { AntomExchange, AntomOperation } from './http.js';
import { type AntomResult, lookupAntomCode, mapAntomResult } from './map-antom-result.js';
import {
  type AntomInquiryResponse,
  type AntomTransaction,
  antomInquiryResponseSchema,
} from './schemas.js';

/** The path of Antom's payment inquiry, after the `/ams/api/` prefix. */
const INQUIRY_API = 'v1/payments/inquiryPayment';

/** A verified, parsed inquiry answer with `result.resultStatus` S. */
interface AntomInquiry {
  readonly response: AntomInquiryResponse;
  readonly json: unknown;
}

// Refusals whose advice (naming a setting) also fits an inquiry; other advice is about a capture.
const FIXABLE = new Set(['authentication_failed', 'access_denied', 'invalid_request']);

/**
 * Calls `inquiryPayment` for one payment. Err when the call got no verified answer or
 * Antom's `result` is not S. "No such payment" (`payment_not_found`) stays `failed`: nothing
 * can have been captured on it. Every other refusal of the inquiry says nothing about a
 * capture, so it is `unknown` ({@link inquiryFailure}), keeping Antom's code.
 */
export async function inquirePayment(
  exchange: AntomExchange,
  paymentId: string,
  operation: AntomOperation,
  stop?: ExchangeStop,
): Promise<Result<AntomInquiry, CaptureError>> {
  const answer = await exchange.post(INQUIRY_API, JSON.stringify({ paymentId }), operation, stop);
  if (answer.isErr()) return err(answer.error);
  const parsed = antomInquiryResponseSchema.safeParse(answer.value.json);
  if (!parsed.success) {
    return err(
      inquiryFailure({
        kind: 'antom',
        inquiry: 'inquiryPayment',
        code: 'provider_error',
        reason: 'Antom answered with a body of an unexpected shape',
        httpStatus: answer.value.status,
        cause: parsed.error,
      }),
    );
  }
  const result = parsed.data.result ?? {};
  if (result.resultStatus !== 'S') {
    const mapped = mapAntomResult(result);
    const extra = { httpStatus: answer.value.status, ...retryAfterFrom(answer.value.headers) };
    if (mapped.code === 'payment_not_found' && mapped.outcome === 'failed') {
      return err(captureError({ ...mapped, ...extra }));
    }
    const advice = lookupAntomCode(result.resultCode)?.advice;
    return err(
      inquiryFailure({
        kind: 'antom',
        inquiry: 'inquiryPayment',
        code: mapped.code,
        reason: `Antom answered ${result.resultCode ?? 'no result code'}/${result.resultStatus ?? '?'}${result.resultMessage ? ` (${result.resultMessage})` : ''}`,
        ...(advice && FIXABLE.has(mapped.code) ? { fix: advice.replace(/\.$/, '') } : {}),
        ...(mapped.providerCode ? { providerCode: mapped.providerCode } : {}),
        ...(mapped.providerStatus ? { providerStatus: mapped.providerStatus } : {}),
        ...extra,
      }),
    );
  }
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
  const inquiry = await inquirePayment(
    exchange,
    request.paymentId,
    'resolve',
    exchangeStop(request),
  );
  if (inquiry.isErr()) {
    const e = inquiry.error;
    // inquirePayment already made every failure of the inquiry `unknown`; "no such payment"
    // is the one authoritative answer (nothing can have been captured on it).
    if (e.outcome === 'unknown' || (e.outcome === 'failed' && e.code === 'payment_not_found')) {
      return err(e);
    }
    return err(
      inquiryFailure({
        kind: 'antom',
        inquiry: 'inquiryPayment',
        code: e.code,
        reason: e.message.replace(/\.$/, ''),
        ...(e.httpStatus !== undefined ? { httpStatus: e.httpStatus } : {}),
        ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
        ...(e.providerCode !== undefined ? { providerCode: e.providerCode } : {}),
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
  const read = readAntomAmount(transaction.transactionAmount);
  if (read.isErr()) {
    return err(
      inquiryFailure({
        kind: 'antom',
        inquiry: 'inquiryPayment',
        code: 'provider_error',
        reason: `it lists the capture as ${status}, but its transactionAmount cannot be read (${read.error})`,
      }),
    );
  }
  const amount = read.value;
  const meant = request.amount;
  if (amount && meant && (amount.currency !== meant.currency || amount.value !== meant.value)) {
    return err(
      inquiryFailure({
        kind: 'antom',
        inquiry: 'inquiryPayment',
        code: 'provider_error',
        reason: `it lists the capture sent with this key for ${amount.value} ${amount.currency}, but ${meant.value} ${meant.currency} was meant`,
        retryable: false,
      }),
    );
  }
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

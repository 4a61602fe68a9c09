import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError } from '../../core/errors.js';
import type { Money } from '../../core/money.js';
import { retryAfterFrom } from '../../core/parse-retry-after.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import { exchangeStop } from '../../provider-kit/exchange-stop.js';
import { noReliableAnswer } from '../../provider-kit/no-reliable-answer.js';
import { parseProviderOptions } from '../../provider-kit/parse-provider-options.js';
import { fromAntomAmount, readAntomAmount } from './amount.js';
import { buildCaptureBody } from './build-capture-body.js';
import type { AntomExchange } from './http.js';
import { mapAntomResult } from './map-antom-result.js';
import { parseCaptureResponse } from './read-capture-body.js';
import { findCaptureTransaction, inquirePayment, remainingAmount } from './resolve-capture.js';
import { antomProviderOptionsSchema } from './schemas.js';

/** The path of Antom's capture API, after the `/ams/api/` prefix. */
const CAPTURE_API = 'v1/payments/capture';

const kind = 'antom';

function notAttempted(code: CaptureError['code'], message: string, cause?: unknown): CaptureError {
  return captureError({
    code,
    outcome: 'not_attempted',
    kind,
    message,
    ...(cause ? { cause } : {}),
  });
}

function unknownAnswer(message: string, cause?: unknown): CaptureError {
  return noReliableAnswer({
    kind,
    operation: 'capture',
    inquiry: 'inquiryPayment',
    code: 'provider_error',
    what: message,
    ...(cause ? { cause } : {}),
  });
}

/**
 * Antom requires `captureAmount`. When the caller omitted it, read it from `inquiryPayment`:
 * the amount of an earlier attempt with the same key (so a retry is byte-identical and
 * replays instead of conflicting), else what is left of the payment amount. Any failure
 * means the capture was never sent.
 */
async function lookUpAmount(
  exchange: AntomExchange,
  request: ProviderCaptureRequest,
): Promise<Result<Money, CaptureError>> {
  const inquiry = await inquirePayment(
    exchange,
    request.paymentId,
    'resolve',
    exchangeStop(request),
  );
  if (inquiry.isErr()) {
    const e = inquiry.error;
    if (e.code === 'payment_not_found') return err(e);
    return err(
      captureError({
        code: e.code,
        outcome: 'not_attempted',
        retryable: true,
        kind,
        ...(e.providerCode ? { providerCode: e.providerCode } : {}),
        ...(e.httpStatus ? { httpStatus: e.httpStatus } : {}),
        ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
        message: `The capture was NOT sent: Antom requires captureAmount, and reading the authorized amount with inquiryPayment failed (${e.code}${e.providerCode ? ` ${e.providerCode}` : ''}). Pass amount explicitly, or call capture() again.`,
        cause: e,
      }),
    );
  }
  const { response } = inquiry.value;
  const earlier = fromAntomAmount(
    findCaptureTransaction(response, request.idempotencyKey)?.transactionAmount,
  );
  if (earlier) return ok(earlier);
  const remaining = remainingAmount(response);
  if (!remaining) {
    return err(
      notAttempted(
        'provider_error',
        'The capture was NOT sent: inquiryPayment returned no usable paymentAmount, and Antom requires captureAmount. Pass amount explicitly.',
      ),
    );
  }
  if (remaining.value === 0n) {
    return err(
      notAttempted(
        'invalid_payment_state',
        'The capture was NOT sent: inquiryPayment shows nothing left to capture on this payment (already captured in full, or a capture is still processing). Check it with resolve().',
      ),
    );
  }
  return ok(remaining);
}

/** What `antomCapture` needs besides the request. */
interface AntomCaptureContext {
  readonly exchange: AntomExchange;
  /** Whether the merchant's contract allows several captures (then `isLastCapture` is sent). */
  readonly multipleCaptures: boolean;
}

/**
 * One capture: validate `providerOptions.antom`, check the IDR rule, find the amount when
 * omitted, send `capture`, and map Antom's answer.
 *
 * @example
 * ```ts
 * const result = await antomCapture({ exchange, multipleCaptures: false }, request);
 * ```
 */
export async function antomCapture(
  context: AntomCaptureContext,
  request: ProviderCaptureRequest,
): Promise<Result<ProviderCapture, CaptureError>> {
  const options = parseProviderOptions(kind, antomProviderOptionsSchema, request.providerOptions);
  if (options.isErr()) return err(options.error);
  const { transit, captureType } = options.value;
  if (captureType === 'FINAL' && !request.final) {
    return err(
      notAttempted(
        'invalid_request',
        'providerOptions.antom.captureType "FINAL" contradicts final: false: drop captureType or send final: true.',
      ),
    );
  }
  if (request.amount?.currency === 'IDR' && request.amount.value % 100n !== 0n) {
    return err(
      notAttempted(
        'invalid_request',
        `amount.value ${request.amount.value} is not allowed for IDR: Antom requires the last two digits to be 00. Round it with roundIdr() from capture-kit/antom (banker's rounding) and capture that amount.`,
      ),
    );
  }

  let amount = request.amount;
  if (!amount) {
    const looked = await lookUpAmount(context.exchange, request);
    if (looked.isErr()) return err(looked.error);
    amount = looked.value;
  }

  const bytes = buildCaptureBody(request, {
    amount,
    ...(captureType ? { captureType } : {}),
    hasTransit: transit !== undefined,
    multipleCaptures: context.multipleCaptures,
  });
  if (bytes.isErr()) return err(bytes.error);
  const answer = await context.exchange.post(
    CAPTURE_API,
    bytes.value,
    'capture',
    exchangeStop(request),
  );
  if (answer.isErr()) return err(answer.error);

  const parsed = parseCaptureResponse(answer.value.json);
  if (!parsed.success)
    return err(
      unknownAnswer('Antom answered capture with a body of an unexpected shape.', parsed.error),
    );
  const response = parsed.data;
  const result = response.result ?? {};
  if (result.resultStatus !== 'S') {
    return err({
      ...mapAntomResult(result),
      httpStatus: answer.value.status,
      ...retryAfterFrom(answer.value.headers),
    });
  }

  if (response.captureRequestId && response.captureRequestId !== request.idempotencyKey) {
    return err(
      unknownAnswer(
        `Antom confirmed captureRequestId ${response.captureRequestId}, but ${request.idempotencyKey} was sent.`,
      ),
    );
  }
  const read = readAntomAmount(response.captureAmount);
  if (read.isErr()) {
    return err(
      unknownAnswer(
        `Antom confirmed the capture, but its captureAmount cannot be read (${read.error}), so how much was captured is not known.`,
      ),
    );
  }
  const captured = read.value;
  if (captured && (captured.currency !== amount.currency || captured.value !== amount.value)) {
    return err(
      unknownAnswer(
        `Antom reports ${captured.value} ${captured.currency} captured, but ${amount.value} ${amount.currency} was sent.`,
      ),
    );
  }
  return ok({
    kind,
    status: 'succeeded',
    paymentId: response.paymentId ?? request.paymentId,
    ...(response.captureId ? { captureId: response.captureId } : {}),
    idempotencyKey: request.idempotencyKey,
    amount: captured ?? amount,
    final: request.final,
    ...(response.captureTime ? { capturedAt: response.captureTime } : {}),
    providerMetadata: {
      ...(response.acquirerReferenceNo
        ? { acquirerReferenceNo: response.acquirerReferenceNo }
        : {}),
      resultCode: result.resultCode ?? undefined,
      ...(request.amount ? {} : { amountFromInquiry: true }),
    },
    raw: answer.value.json,
  });
}

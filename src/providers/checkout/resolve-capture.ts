import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../../core/capture.js';
import type { CaptureError } from '../../core/errors.js';
import { inquiryFailure } from '../../core/inquiry-failure.js';
import type { Money } from '../../core/money.js';
import { retryAfterFrom } from '../../core/parse-retry-after.js';
import type { ProviderResolveRequest } from '../../core/spec.js';
import { exchangeStop } from '../../provider-kit/exchange-stop.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { captureNotListed, pendingCapture } from './capture-not-listed.js';
import { findCaptureAction } from './find-capture-action.js';
import { type CheckoutHttp, checkoutSendFailureToCaptureError, paymentPath } from './http.js';
import { mapCheckoutDecline, mapCheckoutHttpError } from './map-checkout-result.js';
import { readPayment } from './read-payment.js';
import { type CheckoutPaymentAction, errorBodySchema, paymentActionsSchema } from './schemas.js';

const KIND = 'checkout';
const ACTIONS = 'GET /payments/{id}/actions';

/** A listed amount: `undefined` when absent, `Err` when present but not whole minor units. */
function readAmount(
  action: CheckoutPaymentAction,
  currency: string | undefined,
): Result<Money | undefined, string> {
  if (action.amount === undefined || action.amount === null) return ok(undefined);
  if (!Number.isSafeInteger(action.amount) || action.amount < 0) {
    return err(`amount ${action.amount} is not a whole number of minor units`);
  }
  return ok(currency ? { currency, value: BigInt(action.amount) } : undefined);
}

/**
 * Finds what became of one capture: reads `GET /payments/{id}/actions` and, alongside,
 * `GET /payments/{id}` (status, currency, balances), and answers about THE capture sent
 * with `idempotencyKey` — never about the inquiry (DESIGN §0, §3):
 *
 * - matched (see {@link findCaptureAction}) and `approved: true` → `Ok(succeeded)`;
 *   `approved: false` → `Err(failed)` from the response code; undecided → `Ok(pending)`;
 * - not listed with a known `captureId` (accepted by a 202) → `Ok(pending)`;
 * - not listed, payment `Expired` / `Voided` → `authorization_expired` /
 *   `authorization_cancelled` (failed); any other settled status → `capture_not_found`
 *   (failed, retryable: safe to send again with the SAME key);
 * - not listed while the payment is `Capture Pending` (or its status cannot be read) →
 *   `Err(unknown)`: the capture may still appear;
 * - 404 → `payment_not_found` (failed); any other failure of the inquiry (network, 401,
 *   403, 429, 5xx, unreadable body, an unreadable amount, an ambiguous match) →
 *   `Err(unknown)` keeping its own code, `httpStatus` and `retryAfterMs`.
 *
 * @example
 * ```ts
 * const result = await resolveCheckoutCapture(http, { paymentId: 'pay_…', idempotencyKey: 'k1' });
 * ```
 */
export async function resolveCheckoutCapture(
  http: CheckoutHttp,
  request: ProviderResolveRequest,
): Promise<Result<ProviderCapture, CaptureError>> {
  const [sent, payment] = await Promise.all([
    http.send({
      method: 'GET',
      path: `${paymentPath(request.paymentId)}/actions`,
      stop: exchangeStop(request),
    }),
    readPayment(http, request),
  ]);
  if (sent.isErr()) return err(checkoutSendFailureToCaptureError(sent.error, 'resolve'));
  const response = sent.value;
  const json = readJsonBody(response.body);
  if (response.status === 404) {
    // No such payment: nothing can have been captured on it.
    const body = errorBodySchema.safeParse(json);
    return err(mapCheckoutHttpError(404, body.success ? body.data : undefined, 'resolve'));
  }
  if (response.status !== 200) {
    const body = errorBodySchema.safeParse(json);
    const mapped = mapCheckoutHttpError(response.status, body.success ? body.data : undefined);
    const codes =
      body.success && body.data.error_codes?.length ? ` (${body.data.error_codes.join(', ')})` : '';
    const code =
      response.status === 403
        ? 'access_denied'
        : response.status >= 500
          ? 'provider_error'
          : mapped.code;
    return err(
      inquiryFailure({
        kind: KIND,
        inquiry: ACTIONS,
        code,
        reason: `Checkout.com answered HTTP ${response.status}${codes}`,
        ...(response.status === 401
          ? { fix: 'Check checkout({ secretKey }) is a valid key for this environment and baseUrl' }
          : response.status === 403
            ? {
                fix: 'Give checkout({ secretKey }) the permission to read payments (gateway scope)',
              }
            : {}),
        httpStatus: response.status,
        ...retryAfterFrom(response.headers),
        ...(mapped.providerCode ? { providerCode: mapped.providerCode } : {}),
        cause: { httpStatus: response.status, body: json },
      }),
    );
  }
  const actions = paymentActionsSchema.safeParse(json);
  if (!actions.success) {
    return err(
      inquiryFailure({
        kind: KIND,
        inquiry: ACTIONS,
        code: 'provider_error',
        reason: 'it answered 200 with a body that is not a list of actions',
        httpStatus: 200,
        cause: { body: json },
      }),
    );
  }
  const details = payment.ok ? payment.details : undefined;
  const status = details?.status ?? undefined;
  const currency = details?.currency ?? undefined;
  const match = findCaptureAction(actions.data, request, currency);
  if (match.unproven !== undefined) {
    return err(
      inquiryFailure({
        kind: KIND,
        inquiry: ACTIONS,
        code: 'outcome_unknown',
        reason: match.unproven,
        fix: "Pass the capture's amount (and its exact reference) to resolve(), or its captureId",
        retryable: false,
      }),
    );
  }
  const action = match.action;
  if (!action) return captureNotListed(request, payment, status);

  if (action.approved === false) {
    return err(
      mapCheckoutDecline(action.response_code ?? undefined, action.response_summary ?? undefined),
    );
  }
  const amount = readAmount(action, currency);
  if (amount.isErr()) {
    return err(
      inquiryFailure({
        kind: KIND,
        inquiry: ACTIONS,
        code: 'provider_error',
        reason: `the capture ${action.id} is listed, but its ${amount.error}`,
        cause: { action },
      }),
    );
  }
  if (
    match.by !== 'reference+amount' &&
    request.amount &&
    typeof action.amount === 'number' &&
    (action.amount !== Number(request.amount.value) ||
      (currency !== undefined && currency !== request.amount.currency))
  ) {
    return err(
      inquiryFailure({
        kind: KIND,
        inquiry: ACTIONS,
        code: 'provider_error',
        reason: `the capture ${action.id} sent with this key is listed for ${action.amount}${currency ? ` ${currency}` : ''}, but ${request.amount.value} ${request.amount.currency} was meant`,
        retryable: false,
        cause: { action },
      }),
    );
  }
  if (action.approved !== true) return ok(pendingCapture(request, action.id, status));
  const remaining = details?.balances?.available_to_capture;
  return ok({
    kind: KIND,
    status: 'succeeded',
    paymentId: request.paymentId,
    captureId: action.id,
    idempotencyKey: request.idempotencyKey,
    ...(amount.value ? { amount: amount.value } : {}),
    // Capture actions do not say Final / NonFinal; nothing left to capture means final.
    final: typeof remaining === 'number' ? remaining === 0 : true,
    ...(action.processed_on ? { capturedAt: action.processed_on } : {}),
    providerMetadata: {
      actionId: action.id,
      matchedBy: match.by,
      ...(action.response_code ? { responseCode: action.response_code } : {}),
      ...(action.response_summary ? { responseSummary: action.response_summary } : {}),
      ...(action.reference ? { reference: action.reference } : {}),
      ...(status ? { paymentStatus: status } : {}),
      ...(details?.balances ? { balances: details.balances } : {}),
    },
    raw: {
      action: (json as unknown[]).find((a) => (a as { id?: unknown })?.id === action.id),
      payment: payment.ok ? payment.raw : undefined,
    },
  });
}

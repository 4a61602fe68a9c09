import { err, ok, type Result } from 'neverthrow';
import type { ProviderCapture } from '../../core/capture.js';
import { type CaptureError, captureError } from '../../core/errors.js';
import { inquiryFailure } from '../../core/inquiry-failure.js';
import type { Money } from '../../core/money.js';
import { retryAfterFrom } from '../../core/parse-retry-after.js';
import type { ProviderResolveRequest } from '../../core/spec.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { CHECKOUT_IDEMPOTENCY_METADATA_KEY } from './build-capture-body.js';
import { type CheckoutHttp, checkoutSendFailureToCaptureError, paymentPath } from './http.js';
import { mapCheckoutDecline, mapCheckoutHttpError } from './map-checkout-result.js';
import {
  type CheckoutPaymentAction,
  type CheckoutPaymentDetails,
  errorBodySchema,
  paymentActionsSchema,
  paymentDetailsSchema,
} from './schemas.js';

const KIND = 'checkout';
const ACTIONS = 'GET /payments/{id}/actions';

/**
 * Payment statuses under which an unlisted capture is authoritatively absent: nothing is
 * being processed. Any other status (`Capture Pending`, `Pending`, one this adapter does not
 * know) may still turn into a listed capture, so "not listed" proves nothing there.
 */
const SETTLED_STATUSES: ReadonlySet<string> = new Set([
  'Authorized',
  'Card Verified',
  'Partially Captured',
  'Captured',
  'Partially Refunded',
  'Refunded',
  'Declined',
  'Canceled',
  'Expired',
  'Voided',
]);

function failed(
  code: 'capture_not_found' | 'authorization_expired' | 'authorization_cancelled',
  message: string,
  status: string | undefined,
): CaptureError {
  return captureError({
    code,
    outcome: 'failed',
    retryable: code === 'capture_not_found',
    kind: KIND,
    message,
    ...(status ? { providerStatus: status } : {}),
  });
}

type PaymentRead =
  | { readonly ok: true; readonly details: CheckoutPaymentDetails; readonly raw: unknown }
  | { readonly ok: false; readonly why: string };

/** Reads `GET /payments/{id}`: its status decides whether "not listed" means "absent". */
async function readPayment(
  http: CheckoutHttp,
  request: ProviderResolveRequest,
): Promise<PaymentRead> {
  const sent = await http.send({
    method: 'GET',
    path: paymentPath(request.paymentId),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  if (sent.isErr()) return { ok: false, why: sent.error.message.replace(/\.$/, '') };
  if (sent.value.status !== 200) {
    return { ok: false, why: `GET /payments/{id} answered HTTP ${sent.value.status}` };
  }
  const raw = readJsonBody(sent.value.body);
  const parsed = paymentDetailsSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, details: parsed.data, raw }
    : { ok: false, why: 'GET /payments/{id} answered 200 with a body that is not a payment' };
}

/** The idempotency key an action carries in its metadata, when it carries one. */
function keyOf(action: CheckoutPaymentAction): string | undefined {
  const metadata = action.metadata;
  if (!metadata || typeof metadata !== 'object') return undefined;
  const value = (metadata as Record<string, unknown>)[CHECKOUT_IDEMPOTENCY_METADATA_KEY];
  return typeof value === 'string' ? value : undefined;
}

/** Approved first, then undecided, then declined: one key, one fate, the money wins. */
function mostAdvanced(actions: readonly CheckoutPaymentAction[]): CheckoutPaymentAction {
  const rank = (a: CheckoutPaymentAction) =>
    a.approved === true ? 0 : a.approved === false ? 2 : 1;
  return [...actions].sort((a, b) => rank(a) - rank(b))[0] as CheckoutPaymentAction;
}

/** Found, proven absent from the list (`{}`), or not provable either way (`unproven`). */
interface Match {
  readonly action?: CheckoutPaymentAction;
  readonly by?: 'captureId' | 'idempotencyKey' | 'reference' | 'reference+amount';
  readonly unproven?: string;
}

/**
 * Finds THE capture sent with this key, or proves there is none. Strong matches: the action
 * id from the 202 (`captureId`), the key in the action's metadata, or the key itself as
 * `reference` (the adapter sends it there when the caller gave none). A caller's reference
 * can be shared by several captures (`ORD-${order.id}`), so it identifies one only together
 * with the amount, and only among actions that carry no other key; several candidates are
 * refused, never guessed.
 */
function findCapture(
  actions: readonly CheckoutPaymentAction[],
  request: ProviderResolveRequest,
  currency: string | undefined,
): Match {
  const captures = actions.filter((action) => action.type === 'Capture');
  if (request.captureId !== undefined) {
    const byId = captures.find((a) => a.id === request.captureId);
    if (!byId) return {};
    const carried = keyOf(byId);
    if (carried !== undefined && carried !== request.idempotencyKey) {
      return {
        unproven: `action ${byId.id} carries idempotency key ${JSON.stringify(carried)} in its metadata, not ${JSON.stringify(request.idempotencyKey)}: the captureId and the key passed to resolve() disagree`,
      };
    }
    return { action: byId, by: 'captureId' };
  }
  const byKey = captures.filter((a) => keyOf(a) === request.idempotencyKey);
  if (byKey.length > 0) return { action: mostAdvanced(byKey), by: 'idempotencyKey' };

  const reference = request.reference ?? request.idempotencyKey;
  const byReference = captures.filter((a) => a.reference === reference && keyOf(a) === undefined);
  if (byReference.length === 0) return {};
  if (reference === request.idempotencyKey) {
    return { action: mostAdvanced(byReference), by: 'reference' };
  }
  const quoted = JSON.stringify(reference);
  if (!request.amount) {
    return {
      unproven: `${byReference.length} capture(s) with reference ${quoted} carry no idempotency key (sent before the adapter put it in metadata, or by another integration), and a reference may be shared by several captures: without the amount of this capture none of them can be claimed as this one`,
    };
  }
  const amount = request.amount;
  if (currency !== undefined && currency !== amount.currency) return {};
  const same = byReference.filter((a) => a.amount === Number(amount.value));
  if (same.length === 0) return {};
  if (same.length > 1) {
    return {
      unproven: `${same.length} captures have reference ${quoted} and amount ${amount.value} ${amount.currency}, and none carries this idempotency key: which one (if any) is this capture cannot be told`,
    };
  }
  return { action: same[0] as CheckoutPaymentAction, by: 'reference+amount' };
}

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
 * - matched (see {@link findCapture}) and `approved: true` → `Ok(succeeded)`;
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
      ...(request.signal ? { signal: request.signal } : {}),
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
  const match = findCapture(actions.data, request, currency);
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
  if (!action) return notListed(request, payment, status);

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

/** No listed capture is this one: absent only if the payment says nothing is in progress. */
function notListed(
  request: ProviderResolveRequest,
  payment: PaymentRead,
  status: string | undefined,
): Result<ProviderCapture, CaptureError> {
  // Accepted by a 202 (the action id came from it), just not listed yet.
  if (request.captureId !== undefined) {
    return ok(pendingCapture(request, request.captureId, status));
  }
  if (!payment.ok || status === undefined) {
    return err(
      inquiryFailure({
        kind: KIND,
        inquiry: 'GET /payments/{id}',
        code: 'provider_error',
        reason: `no capture is listed for this key, but ${payment.ok ? 'the payment has no status' : payment.why}, so a capture still being processed cannot be ruled out`,
      }),
    );
  }
  if (status === 'Expired') {
    return err(
      failed(
        'authorization_expired',
        'No capture was found for this request and the authorization has expired (Checkout.com voids authorizations not captured within 7 days): the payment cannot be captured any more.',
        status,
      ),
    );
  }
  if (status === 'Voided') {
    return err(
      failed(
        'authorization_cancelled',
        'No capture was found for this request and the payment was voided: it cannot be captured any more.',
        status,
      ),
    );
  }
  if (!SETTLED_STATUSES.has(status)) {
    return err(
      captureError({
        code: status === 'Capture Pending' ? 'capture_in_progress' : 'outcome_unknown',
        outcome: 'unknown',
        retryable: true,
        kind: KIND,
        providerStatus: status,
        message: `No capture is listed for this key yet, but the payment is ${JSON.stringify(status)}: a capture is being processed and may be this one, so its state is still unknown. Call resolve() again shortly (or wait for the webhook); do not capture again with a new idempotency key meanwhile.`,
      }),
    );
  }
  const quoted = JSON.stringify(request.reference ?? request.idempotencyKey);
  return err(
    failed(
      'capture_not_found',
      `Checkout.com lists no capture with idempotency key ${JSON.stringify(request.idempotencyKey)} (in metadata) or reference ${quoted} on this payment, and nothing is being processed (status ${status}): nothing was captured under this key. It is safe to send the capture again with the SAME idempotency key (and the same reference, if it had one).`,
      status,
    ),
  );
}

function pendingCapture(
  request: ProviderResolveRequest,
  actionId: string,
  paymentStatus: string | undefined,
): ProviderCapture {
  return {
    kind: KIND,
    status: 'pending',
    paymentId: request.paymentId,
    captureId: actionId,
    idempotencyKey: request.idempotencyKey,
    final: true,
    providerMetadata: { actionId, ...(paymentStatus ? { paymentStatus } : {}) },
    raw: { actionId, paymentStatus },
  };
}

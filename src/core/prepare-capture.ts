import { ok, type Result } from 'neverthrow';
import { type CapabilityContext, preflight } from './capabilities.js';
import { type CaptureRequest, captureRequestSchema, describeIssues } from './capture-request.js';
import type { CaptureError } from './errors.js';
import { type Money, toMoney } from './money.js';
import { describe } from './peek.js';
import type { FailWith } from './pipeline-context.js';
import type { CaptureProviderV1, ProviderCaptureRequest } from './spec.js';

/** A capture request after validation: money as `bigint`, the key fixed, the adapter found. */
export interface PreparedCapture {
  readonly provider: string;
  readonly adapter: CaptureProviderV1;
  readonly key: string;
  readonly wire: ProviderCaptureRequest;
  readonly context: CapabilityContext;
  readonly ignoreUnresolved: boolean;
  readonly providerOptions?: unknown;
  /** The request's `context` as given (the journal keeps it for a re-send). */
  readonly requestContext?: CapabilityContext;
}

/** Step 1: the caller's request, checked field by field (never a rejection). */
export function validateCapture(input: CaptureRequest, fail: FailWith) {
  try {
    const parsed = captureRequestSchema.safeParse(input);
    if (parsed.success) return ok(parsed.data);
    return fail({
      code: 'invalid_request',
      outcome: 'not_attempted',
      message: `Invalid capture request: ${describeIssues(parsed.error)}.`,
    });
  } catch (error) {
    // A request whose getters throw still ends as an Err, never a rejection.
    return fail({
      code: 'invalid_request',
      outcome: 'not_attempted',
      message: `Invalid capture request: it could not be read (${describe(error)}); pass a plain object.`,
      cause: error,
    });
  }
}

type ValidRequest = ReturnType<typeof captureRequestSchema.parse>;

/** Step 3: money as `bigint`, the key fixed, the adapter's options picked. */
export function prepareCapture(
  request: ValidRequest,
  adapter: CaptureProviderV1,
  key: string,
  fail: FailWith,
): Result<PreparedCapture, CaptureError> {
  const base = { provider: request.provider, kind: adapter.kind, paymentId: request.paymentId };
  const money: { amount?: Money; authorizedAmount?: Money } = {};
  for (const field of ['amount', 'authorizedAmount'] as const) {
    const value = request[field];
    if (!value) continue;
    const converted = toMoney(value, adapter.currencyExponents);
    if (converted.isErr()) {
      return fail({
        ...base,
        code: 'invalid_request',
        outcome: 'not_attempted',
        message: `${field}.${converted.error}.`,
      });
    }
    if (converted.value.value === 0n) {
      return fail({
        ...base,
        code: 'invalid_request',
        outcome: 'not_attempted',
        message: `${field}.value must be greater than 0.`,
      });
    }
    money[field] = converted.value;
  }
  const final = request.final ?? true;
  if (!final && !money.amount) {
    return fail({
      ...base,
      code: 'invalid_request',
      outcome: 'not_attempted',
      message:
        'amount is required when final is false: a non-final capture must say how much it takes.',
    });
  }
  const context = {
    ...(request.context ?? {}),
    ...(request.context?.currency === undefined && money.amount
      ? { currency: money.amount.currency }
      : {}),
  } as CapabilityContext;
  const options = request.providerOptions;
  // Own keys only: a kind such as 'constructor' must not pick up Object.prototype.
  const providerOptions =
    options && Object.hasOwn(options, adapter.kind) ? options[adapter.kind] : undefined;
  const wire: ProviderCaptureRequest = {
    paymentId: request.paymentId,
    final,
    idempotencyKey: key,
    ...money,
    ...(request.reference !== undefined ? { reference: request.reference } : {}),
    ...(request.metadata !== undefined ? { metadata: request.metadata } : {}),
    ...(request.context !== undefined ? { context } : {}),
    ...(providerOptions !== undefined ? { providerOptions } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  };
  return ok({
    provider: request.provider,
    adapter,
    key,
    wire,
    context,
    ignoreUnresolved: request.dangerouslyIgnoreUnresolved === true,
    ...(providerOptions !== undefined ? { providerOptions } : {}),
    ...(request.context !== undefined
      ? { requestContext: request.context as CapabilityContext }
      : {}),
  });
}

/** Step 4: what the adapter says it allows for this payment (nothing is sent yet). */
export function preflightCapture(
  prepared: PreparedCapture,
  fail: FailWith,
): Result<void, CaptureError> {
  const { adapter, wire } = prepared;
  const base = { provider: prepared.provider, kind: adapter.kind, paymentId: wire.paymentId };
  try {
    const caps = adapter.capabilities(prepared.context);
    const verdict = preflight(
      {
        final: wire.final,
        ...(wire.amount ? { amount: wire.amount } : {}),
        ...(wire.authorizedAmount ? { authorizedAmount: wire.authorizedAmount } : {}),
      },
      caps,
    );
    return verdict.isErr() ? fail({ ...verdict.error, ...base }) : ok(undefined);
  } catch (error) {
    return fail({
      ...base,
      code: 'provider_error',
      outcome: 'not_attempted',
      message: `The ${adapter.kind} adapter's capabilities() threw (${describe(error)}); nothing was sent.`,
      cause: error,
    });
  }
}

import { ok, type Result } from 'neverthrow';
import { type CapabilityContext, preflight } from './capabilities.js';
import { type CaptureRequest, captureRequestSchema, describeIssues } from './capture-request.js';
import type { CaptureError } from './errors.js';
import { fastCaptureRequest } from './fast-capture-request.js';
import { type Money, toMoney } from './money.js';
import type { Mutable } from './mutable.js';
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
    const fast = fastCaptureRequest(input);
    if (fast) return ok(fast);
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
  // The currency is part of what the adapter's capabilities depend on.
  const context = { ...request.context } as Mutable<CapabilityContext>;
  if (request.context?.currency === undefined && money.amount) {
    context.currency = money.amount.currency;
  }
  const options = request.providerOptions;
  // Own keys only: a kind such as 'constructor' must not pick up Object.prototype.
  const providerOptions =
    options && Object.hasOwn(options, adapter.kind) ? options[adapter.kind] : undefined;
  // Field by field rather than conditional spreads: this runs on every capture.
  const wire: Mutable<ProviderCaptureRequest> = {
    paymentId: request.paymentId,
    final,
    idempotencyKey: key,
  };
  if (money.amount) wire.amount = money.amount;
  if (money.authorizedAmount) wire.authorizedAmount = money.authorizedAmount;
  if (request.reference !== undefined) wire.reference = request.reference;
  if (request.metadata !== undefined) wire.metadata = request.metadata;
  if (request.context !== undefined) wire.context = context;
  if (providerOptions !== undefined) wire.providerOptions = providerOptions;
  if (request.signal) wire.signal = request.signal;
  const prepared: Mutable<PreparedCapture> = {
    provider: request.provider,
    adapter,
    key,
    wire,
    context,
    ignoreUnresolved: request.dangerouslyIgnoreUnresolved === true,
  };
  if (providerOptions !== undefined) prepared.providerOptions = providerOptions;
  if (request.context !== undefined) prepared.requestContext = request.context as CapabilityContext;
  return ok(prepared);
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
    const verdict = preflight(wire, caps);
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

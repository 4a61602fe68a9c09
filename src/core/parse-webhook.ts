import { err, type Ok, ok, type Result } from 'neverthrow';
import type { WebhookError } from './errors.js';
import type { CaptureIntent } from './intents.js';
import { type JournalNow, journalNow } from './journal-now.js';
import type { Mutable } from './mutable.js';
import { ownCopy } from './own-copy.js';
import { describe } from './peek.js';
import type { PipelineContext } from './pipeline-context.js';
import type { CaptureProviderV1 } from './spec.js';
import {
  intentsOfPayment,
  isAnswered,
  matchIntent,
  settleFromWebhook,
  settleIntent,
  settleNow,
} from './webhook-intents.js';
import { type WebhookParserNow, webhookParserNow } from './webhook-parser-now.js';
import type { CaptureEvent, ProviderCaptureEvent, WebhookRequest } from './webhook-types.js';

/**
 * `client.parseWebhook()`: the first event of {@link runParseWebhookBatch}. A delivery that
 * batches several capture events (Adyen) still settles every one of them.
 */
export function runParseWebhook(
  ctx: PipelineContext,
  providerName: string,
  request: WebhookRequest,
): Promise<Result<CaptureEvent, WebhookError>> {
  // An adapter with one event per delivery (all but Adyen) goes the short way: no list built
  // only to be taken apart, and no async layer that only passes a promise on (each costs
  // microtask turns; bench/FINDINGS.md, webhooks 2026-12-01).
  const adapter = ctx.providers.get(providerName);
  if (adapter === undefined || !oneEventPerDelivery(adapter)) {
    return firstOfBatch(ctx, providerName, request);
  }
  // A first-party adapter's parser and the memory journal both answer in the same turn: the
  // delivery is verified, parsed and settled now, and only the answer is a promise (no async
  // call at all; bench/FINDINGS.md, session 6).
  const parse = webhookParserNow(adapter);
  const journal = journalNow(ctx.journal);
  return parse !== undefined && journal !== undefined
    ? Promise.resolve(parseOneEventNow(ctx, providerName, adapter, request, parse, journal))
    : parseOneEvent(ctx, providerName, adapter, request);
}

/** No `doParseWebhookBatch`; an adapter whose property cannot be read takes the batch path, which refuses it. */
function oneEventPerDelivery(adapter: CaptureProviderV1): boolean {
  try {
    return adapter.doParseWebhookBatch === undefined;
  } catch {
    return false;
  }
}

async function firstOfBatch(
  ctx: PipelineContext,
  providerName: string,
  request: WebhookRequest,
): Promise<Result<CaptureEvent, WebhookError>> {
  const batch = await runParseWebhookBatch(ctx, providerName, request);
  if (batch.isErr()) return err(batch.error);
  const [first] = batch.value;
  return first
    ? ok(first)
    : err({
        code: 'invalid_payload',
        verified: false,
        provider: providerName,
        message: `The ${providerName} adapter returned no event for a delivery it accepted; refused.`,
      });
}

/**
 * {@link runParseWebhookBatch} for an adapter without `doParseWebhookBatch`, where the
 * batch is always the one event of `doParseWebhook`: the same checks, errors and settling.
 */
async function parseOneEvent(
  ctx: PipelineContext,
  providerName: string,
  adapter: CaptureProviderV1,
  request: WebhookRequest,
): Promise<Result<CaptureEvent, WebhookError>> {
  let event: CaptureEvent;
  try {
    if (!isRawBytes(request)) return err(notRawBytes(providerName, adapter));
    const result = eventOf(await adapter.doParseWebhook(request), providerName, adapter);
    if (result.isErr()) return result;
    event = result.value;
  } catch (error) {
    return err(adapterThrew(providerName, adapter, error));
  }
  // settleFromWebhook, with its lookup done here: one asynchronous layer fewer, and no wait at
  // all for a journal that answers in the same turn. The match stays inside the try, as it
  // always was: a journal answer it cannot read is best effort too.
  let intent: CaptureIntent | undefined;
  try {
    const found = intentsOfPayment(ctx, event);
    intent = matchIntent(isAnswered(found) ? found : await found, event);
  } catch {
    return ok(event); // Left open: resolve() or reconcile() will ask the provider.
  }
  const settling = intent && settleIntent(ctx, intent, event);
  if (settling) await settling;
  return ok(event);
}

/** {@link parseOneEvent} with a parser and a journal that answer in the same turn. */
function parseOneEventNow(
  ctx: PipelineContext,
  providerName: string,
  adapter: CaptureProviderV1,
  request: WebhookRequest,
  parse: WebhookParserNow,
  journal: JournalNow,
): Result<CaptureEvent, WebhookError> {
  let answer: Ok<CaptureEvent, WebhookError>;
  try {
    if (!isRawBytes(request)) return err(notRawBytes(providerName, adapter));
    const result = parse(request);
    if (result.isErr()) return err({ ...result.error, provider: providerName, kind: adapter.kind });
    // The parser's event is new on every call (webhook-parser-now.ts): the client takes it
    // over and names the provider on it, where an adapter's own event is copied first.
    (result.value as Mutable<CaptureEvent>).provider = providerName;
    answer = result as Ok<ProviderCaptureEvent, WebhookError> as Ok<CaptureEvent, WebhookError>;
  } catch (error) {
    return err(adapterThrew(providerName, adapter, error));
  }
  settleNow(ctx, journal, answer.value);
  return answer;
}

/**
 * One event as a batch of one. Its parameter is named as {@link eventOf}'s, so an adapter
 * that answers something other than a `Result` fails with the same message either way.
 */
function asBatch(
  result: Result<ProviderCaptureEvent, WebhookError>,
): Result<readonly ProviderCaptureEvent[], WebhookError> {
  return result.map((event) => [event]);
}

/** The request carries the bytes received (a parsed object cannot be verified). */
function isRawBytes(request: WebhookRequest | undefined): boolean {
  return (
    request !== undefined &&
    request !== null &&
    (typeof request.rawBody === 'string' || Buffer.isBuffer(request.rawBody))
  );
}

/**
 * The adapter's answer as the client's: the event with the provider's name, or its refusal
 * naming the provider. Called inside the caller's `try`, with the batch path's expression,
 * so an adapter that answers something other than a `Result` fails closed the same way.
 */
function eventOf(
  result: Result<ProviderCaptureEvent, WebhookError>,
  providerName: string,
  adapter: CaptureProviderV1,
): Result<CaptureEvent, WebhookError> {
  const mapped = result.map((parsed) => withProvider(parsed, providerName));
  if (mapped.isErr()) return err({ ...mapped.error, provider: providerName, kind: adapter.kind });
  return mapped;
}

/** `{ ...event, provider }`, without the spread ({@link ownCopy} says why). */
function withProvider(event: ProviderCaptureEvent, provider: string): CaptureEvent {
  const copy = ownCopy(event) as Mutable<CaptureEvent>;
  copy.provider = provider;
  return copy;
}

function notRawBytes(providerName: string, adapter: CaptureProviderV1): WebhookError {
  return {
    code: 'invalid_payload',
    verified: false,
    provider: providerName,
    kind: adapter.kind,
    message:
      'rawBody must be the exact bytes received, as a Buffer or string (not a parsed object).',
  };
}

/** Fail closed: an adapter bug must never turn into an accepted webhook. */
function adapterThrew(
  providerName: string,
  adapter: CaptureProviderV1,
  error: unknown,
): WebhookError {
  return {
    code: 'invalid_payload',
    verified: false,
    provider: providerName,
    kind: adapter.kind,
    message: `The ${adapter.kind} adapter could not parse the webhook (${describe(error)}).`,
    cause: error,
  };
}

/**
 * `client.parseWebhookBatch()`: verifies and parses one delivery with the named adapter into
 * every capture event it carries, then settles the intent each is about. Fails closed: an
 * adapter that throws, or accepts a delivery without naming an event, never yields one.
 */
export async function runParseWebhookBatch(
  ctx: PipelineContext,
  providerName: string,
  request: WebhookRequest,
): Promise<Result<readonly CaptureEvent[], WebhookError>> {
  const adapter = ctx.providers.get(providerName);
  if (!adapter) {
    return err({
      code: 'unknown_provider',
      verified: false,
      message: `provider ${JSON.stringify(providerName)} is not registered; registered: ${[...ctx.providers.keys()].join(', ')}.`,
    });
  }
  let events: readonly CaptureEvent[];
  try {
    if (!isRawBytes(request)) return err(notRawBytes(providerName, adapter));
    const result = adapter.doParseWebhookBatch
      ? await adapter.doParseWebhookBatch(request)
      : asBatch(await adapter.doParseWebhook(request));
    if (result.isErr()) return err({ ...result.error, provider: providerName, kind: adapter.kind });
    if (result.value.length === 0) {
      // Fail closed: an accepted delivery must name what it accepted.
      return err({
        code: 'invalid_payload',
        verified: false,
        provider: providerName,
        kind: adapter.kind,
        message: `The ${adapter.kind} adapter returned an empty event list; refused.`,
      });
    }
    events = result.value.map((event) => withProvider(event, providerName));
  } catch (error) {
    return err(adapterThrew(providerName, adapter, error));
  }
  // A verified event is the provider's word about a capture: settle its intent.
  for (const event of events) await settleFromWebhook(ctx, event);
  return ok(events);
}

import type { CaptureIntent, IntentEvent } from './intents.js';
import type { IntentQuery } from './journal.js';
import { type JournalNow, journalNow } from './journal-now.js';
import type { Mutable } from './mutable.js';
import type { PipelineContext } from './pipeline-context.js';
import type { CaptureEvent } from './webhook-types.js';

/**
 * Finds the intent a verified webhook event is about: by idempotency key where the
 * provider echoes it, else by capture id. An event that names a key or capture id the
 * journal does not hold matches nothing (it may be about an evicted or foreign capture).
 * Only an event that names neither may match by amount, and only a `pending` intent (one
 * the provider acknowledged) that is the single candidate: an amount never settles an
 * intent whose fate is unknown.
 */
export function matchIntent(
  intents: readonly CaptureIntent[],
  event: CaptureEvent,
): CaptureIntent | undefined {
  if (event.idempotencyKey !== undefined) {
    return intents.find((intent) => intent.idempotencyKey === event.idempotencyKey);
  }
  if (event.captureId !== undefined) {
    return intents.find((intent) => intent.captureId === event.captureId);
  }
  const amount = event.amount;
  if (!amount) return undefined;
  const candidates = intents.filter(
    (intent) =>
      intent.state === 'pending' &&
      intent.captureId === undefined &&
      intent.amount !== undefined &&
      intent.amount.currency === amount.currency &&
      intent.amount.value === amount.value,
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * Applies a verified capture event to its intent. Best effort: a journal that cannot be
 * read or written leaves the intent open for `resolve()` / `reconcile()`, and the event
 * still reaches the caller.
 */
export async function settleFromWebhook(ctx: PipelineContext, event: CaptureEvent): Promise<void> {
  let intent: CaptureIntent | undefined;
  try {
    intent = matchIntent(await intentsOfPayment(ctx, event), event);
  } catch {
    return; // Left open: resolve() or reconcile() will ask the provider.
  }
  if (intent) await settleIntent(ctx, intent, event);
}

/**
 * {@link settleFromWebhook} with a journal that answers in the same turn (journal-now.ts):
 * nothing to await, and equally best effort.
 */
export function settleNow(ctx: PipelineContext, journal: JournalNow, event: CaptureEvent): void {
  let intent: CaptureIntent | undefined;
  try {
    intent = matchIntent(journal.list(paymentQuery(event)), event);
  } catch {
    return; // Left open: resolve() or reconcile() will ask the provider.
  }
  if (intent) applyNow(ctx, journal, intent, event);
}

/** A lookup {@link intentsOfPayment} answered in the same turn (no promise to await). */
export function isAnswered(
  found: readonly CaptureIntent[] | Promise<readonly CaptureIntent[]>,
): found is readonly CaptureIntent[] {
  return Array.isArray(found);
}

/**
 * The journal's intents for the event's payment: what {@link matchIntent} chooses from.
 * Exported with {@link settleIntent} so `parseWebhook` can await the lookup itself: one
 * asynchronous layer fewer per event (bench/FINDINGS.md, session 5).
 */
export function intentsOfPayment(
  ctx: PipelineContext,
  event: CaptureEvent,
): readonly CaptureIntent[] | Promise<readonly CaptureIntent[]> {
  const now = journalNow(ctx.journal);
  return now ? now.list(paymentQuery(event)) : ctx.journal.list(paymentQuery(event));
}

/** Every intent of the event's payment (a payment has a handful; 1 000 bounds a bad one). */
function paymentQuery(event: CaptureEvent): IntentQuery {
  return { provider: event.provider, paymentId: event.paymentId, limit: 1_000 };
}

/**
 * Applies the event to the intent {@link matchIntent} chose; best effort, as
 * {@link settleFromWebhook}. Done in the same turn (`undefined`) when the journal answers
 * in it; otherwise the promise to await.
 */
export function settleIntent(
  ctx: PipelineContext,
  intent: CaptureIntent,
  event: CaptureEvent,
): Promise<void> | undefined {
  const now = journalNow(ctx.journal);
  if (now === undefined) return settleAwaited(ctx, intent, event);
  applyNow(ctx, now, intent, event);
  return undefined;
}

/** The event applied through the journal's same-turn face; best effort. */
function applyNow(
  ctx: PipelineContext,
  journal: JournalNow,
  intent: CaptureIntent,
  event: CaptureEvent,
): void {
  try {
    journal.apply(intent.provider, intent.idempotencyKey, webhookIntentEvent(ctx, event));
  } catch {
    // Left open: resolve() or reconcile() will ask the provider.
  }
}

async function settleAwaited(
  ctx: PipelineContext,
  intent: CaptureIntent,
  event: CaptureEvent,
): Promise<void> {
  try {
    await ctx.journal.apply(intent.provider, intent.idempotencyKey, webhookIntentEvent(ctx, event));
  } catch {
    // Left open: resolve() or reconcile() will ask the provider.
  }
}

/**
 * What a verified event tells the journal. Built field by field, in the order the fields
 * always had, instead of an object literal with conditional spreads (each spread was a
 * runtime copy; bench/FINDINGS.md, webhooks 2026-12-01).
 */
function webhookIntentEvent(ctx: PipelineContext, event: CaptureEvent): IntentEvent {
  const succeeded = event.type === 'capture.succeeded';
  const applied: Mutable<IntentEvent> = {
    source: 'webhook',
    verdict: succeeded ? 'succeeded' : 'failed',
    at: ctx.now(),
  };
  if (event.captureId !== undefined) applied.captureId = event.captureId;
  if (event.amount && succeeded) applied.capturedAmount = event.amount;
  if (succeeded) applied.capturedAt = event.occurredAt;
  if (event.providerCode !== undefined) applied.providerCode = event.providerCode;
  // A normalized code only where the adapter mapped the provider's reason (Adyen);
  // otherwise resolve() asks for it.
  if (event.type === 'capture.failed' && event.code !== undefined) applied.code = event.code;
  if (event.type === 'capture.failed') {
    applied.message = `The provider reported this capture failed (webhook ${event.id}).`;
  }
  return applied;
}

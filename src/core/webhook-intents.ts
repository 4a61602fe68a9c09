import type { CaptureIntent } from './intents.js';
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
      intent.amount?.currency === amount.currency &&
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
  try {
    const intents = await ctx.journal.list({
      provider: event.provider,
      paymentId: event.paymentId,
      limit: 1_000,
    });
    const intent = matchIntent(intents, event);
    if (!intent) return;
    await ctx.journal.apply(intent.provider, intent.idempotencyKey, {
      source: 'webhook',
      verdict: event.type === 'capture.succeeded' ? 'succeeded' : 'failed',
      at: ctx.now(),
      ...(event.captureId !== undefined ? { captureId: event.captureId } : {}),
      ...(event.amount && event.type === 'capture.succeeded'
        ? { capturedAmount: event.amount }
        : {}),
      ...(event.type === 'capture.succeeded' ? { capturedAt: event.occurredAt } : {}),
      ...(event.providerCode !== undefined ? { providerCode: event.providerCode } : {}),
      // A normalized code only where the adapter mapped the provider's reason (Adyen);
      // otherwise resolve() asks for it.
      ...(event.type === 'capture.failed' && event.code !== undefined ? { code: event.code } : {}),
      ...(event.type === 'capture.failed'
        ? { message: `The provider reported this capture failed (webhook ${event.id}).` }
        : {}),
    });
  } catch {
    // Left open: resolve() or reconcile() will ask the provider.
  }
}

import { randomUUID } from 'node:crypto';
import { traced } from './diagnostics.js';
import type { CaptureIntent, IntentState } from './intents.js';
import { type PipelineContext, runCapture } from './pipeline.js';
import { inquire } from './resolve-pipeline.js';

/**
 * Settings for `client.reconcile()`.
 *
 * @example
 * ```ts
 * const options: ReconcileOptions = { limit: 200, olderThanMs: 60_000 };
 * const report = await client.reconcile(options);
 * ```
 */
export interface ReconcileOptions {
  /** At most this many intents per call. Default 100. */
  readonly limit?: number;
  /** Only intents not updated for at least this long (every state). Default 0. */
  readonly olderThanMs?: number;
  /** Stops claiming and asking when aborted; what was claimed is released. */
  readonly signal?: AbortSignal;
  /** How long a claimed intent is kept from other reconcilers. Default 60 s. */
  readonly leaseMs?: number;
  /** Inquiries in flight at once. Default 4. */
  readonly concurrency?: number;
}

/**
 * What happened to one claimed intent.
 *
 * @example
 * ```ts
 * const resent = report.items.filter((item) => item.resent);
 * ```
 */
export interface ReconcileItem {
  readonly provider: string;
  readonly idempotencyKey: string;
  readonly paymentId: string;
  /** The state it was claimed in. */
  readonly from: IntentState;
  /** The state it ended in; `absent` when the provider had no capture under its key. */
  readonly to: IntentState | 'absent';
  /** True when it was absent and the capture was sent again with the SAME key. */
  readonly resent: boolean;
  /** The code of the last error, when the item did not end settled. */
  readonly code?: string;
  readonly message?: string;
}

/**
 * What `client.reconcile()` did.
 *
 * @example
 * ```ts
 * const report = await client.reconcile();
 * console.log(`${report.claimed} claimed, ${report.stillOpen} still open`, report.resolved);
 * ```
 */
export interface ReconcileReport {
  readonly claimed: number;
  /** Intents that ended, by how. */
  readonly resolved: {
    readonly succeeded: number;
    readonly failed: number;
    readonly absent: number;
  };
  /** Absent intents sent again with the same key. */
  readonly resent: number;
  /** Still `sending`, `unknown` or `pending` after this pass. */
  readonly stillOpen: number;
  /** Items whose inquiry (or re-send) failed; they stay open for the next pass. */
  readonly errors: readonly ReconcileItem[];
  readonly items: readonly ReconcileItem[];
}

/**
 * Claims open intents, asks the provider about each, settles them and, where the provider
 * authoritatively has no capture under the key, sends it again with the SAME key.
 */
export async function runReconcile(
  ctx: PipelineContext,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const limit = wholeNumber(options.limit, 'limit', 100);
  const olderThanMs = wholeNumber(options.olderThanMs, 'olderThanMs', 0);
  const leaseMs = wholeNumber(options.leaseMs, 'leaseMs', 60_000);
  const concurrency = Math.max(1, wholeNumber(options.concurrency, 'concurrency', 4));
  const owner = `reconcile-${randomUUID()}`;
  const claimed = await ctx.journal.claim({
    now: ctx.now(),
    limit,
    olderThanMs,
    leaseMs,
    owner,
    providers: [...ctx.providers.keys()],
  });
  const items: ReconcileItem[] = [];
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const intent = claimed[next++] as CaptureIntent;
      try {
        if (!options.signal?.aborted) {
          const item = await traced(
            'reconcile',
            () => ({
              provider: intent.provider,
              kind: intent.kind,
              paymentId: intent.paymentId,
              idempotencyKey: intent.idempotencyKey,
              attempt: intent.attempts,
            }),
            () => reconcileOne(ctx, intent, options.signal),
            (done, trace) => {
              trace.outcome =
                done.to === 'absent' ? 'failed' : done.to === 'sending' ? 'unknown' : done.to;
              if (done.code !== undefined) trace.code = done.code;
            },
          );
          items.push(item);
        }
      } finally {
        await ctx.journal.release(intent.provider, intent.idempotencyKey, owner).catch(() => {});
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
  const count = (to: ReconcileItem['to']) => items.filter((item) => item.to === to).length;
  return {
    claimed: claimed.length,
    resolved: { succeeded: count('succeeded'), failed: count('failed'), absent: count('absent') },
    resent: items.filter((item) => item.resent).length,
    stillOpen: items.filter((i) => i.to === 'sending' || i.to === 'unknown' || i.to === 'pending')
      .length,
    errors: items.filter((item) => item.code !== undefined),
    items,
  };
}

async function reconcileOne(
  ctx: PipelineContext,
  intent: CaptureIntent,
  signal: AbortSignal | undefined,
): Promise<ReconcileItem> {
  const started = performance.now();
  const base = {
    provider: intent.provider,
    idempotencyKey: intent.idempotencyKey,
    paymentId: intent.paymentId,
    from: intent.state,
  };
  const adapter = ctx.providers.get(intent.provider);
  if (!adapter) {
    return {
      ...base,
      to: intent.state,
      resent: false,
      code: 'unknown_provider',
      message: `provider ${intent.provider} is not registered with this client.`,
    };
  }
  const answer = await inquire(ctx, {
    provider: intent.provider,
    adapter,
    intent,
    request: {
      paymentId: intent.paymentId,
      idempotencyKey: intent.idempotencyKey,
      ...(intent.captureId !== undefined ? { captureId: intent.captureId } : {}),
      ...(intent.reference !== undefined ? { reference: intent.reference } : {}),
      ...(intent.amount ? { amount: intent.amount } : {}),
      ...(signal ? { signal } : {}),
    },
  });
  const after = await ctx.journal.get(intent.provider, intent.idempotencyKey).catch(() => intent);
  let item: ReconcileItem;
  if (after) {
    item = {
      ...base,
      to: after.state,
      resent: false,
      ...(answer.isErr() && after.state !== 'failed'
        ? { code: answer.error.code, message: answer.error.message }
        : {}),
    };
  } else if (answer.isErr() && answer.error.code === 'capture_not_found') {
    // Authoritatively absent: sending it again with the SAME key cannot capture twice. It is
    // the original request, field for field (context and authorizedAmount change what the
    // adapter sends and what preflight allows), so the provider sees the same capture.
    const again = await runCapture(ctx, {
      provider: intent.provider,
      paymentId: intent.paymentId,
      idempotencyKey: intent.idempotencyKey,
      final: intent.final,
      ...(intent.amount ? { amount: intent.amount } : {}),
      ...(intent.reference !== undefined ? { reference: intent.reference } : {}),
      ...(intent.metadata !== undefined ? { metadata: intent.metadata } : {}),
      ...(intent.authorizedAmount ? { authorizedAmount: intent.authorizedAmount } : {}),
      ...(intent.context !== undefined ? { context: intent.context } : {}),
      ...(intent.providerOptions !== undefined
        ? { providerOptions: { [adapter.kind]: intent.providerOptions } }
        : {}),
      ...(signal ? { signal } : {}),
    });
    const resentIntent = await ctx.journal
      .get(intent.provider, intent.idempotencyKey)
      .catch(() => undefined);
    item = {
      ...base,
      to: resentIntent?.state ?? 'absent',
      resent: true,
      ...(again.isErr() ? { code: again.error.code, message: again.error.message } : {}),
    };
  } else {
    item = { ...base, to: 'absent', resent: false };
  }
  ctx.publish({
    operation: 'reconcile',
    provider: intent.provider,
    kind: intent.kind,
    paymentId: intent.paymentId,
    idempotencyKey: intent.idempotencyKey,
    result:
      item.to === 'succeeded' || item.to === 'pending'
        ? item.to
        : item.to === 'failed' || item.to === 'absent'
          ? 'failed'
          : 'unknown',
    ...(item.code ? { code: item.code } : {}),
    durationMs: performance.now() - started,
  });
  return item;
}

function wholeNumber(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`reconcile({ ${name} }) must be a whole number ≥ 0; got ${String(value)}.`);
  }
  return value;
}

import type {
  BeginDecision,
  BeginOptions,
  CaptureIntent,
  IntentDraft,
  IntentEvent,
  IntentState,
} from './intents.js';

export { type MemoryJournalOptions, memoryJournal } from './memory-journal.js';

/**
 * Which intents {@link CaptureJournal.list} returns, oldest first.
 *
 * @example
 * ```ts
 * const query: IntentQuery = { paymentId: 'pay_123', state: ['sending', 'unknown'], limit: 10 };
 * ```
 */
export interface IntentQuery {
  readonly provider?: string;
  readonly paymentId?: string;
  readonly state?: IntentState | readonly IntentState[];
  readonly captureId?: string;
  /** Default 100. */
  readonly limit?: number;
}

/**
 * What {@link CaptureJournal.claim} leases for `reconcile()`.
 *
 * @example
 * ```ts
 * const claim: ClaimQuery = { now: Date.now(), limit: 50, olderThanMs: 0, leaseMs: 60_000, owner: 'worker-1' };
 * ```
 */
export interface ClaimQuery {
  readonly now: number;
  readonly limit: number;
  /** Only intents not updated for at least this long. */
  readonly olderThanMs: number;
  /** How long the lease keeps other reconcilers away. */
  readonly leaseMs: number;
  /** Who holds the lease (one id per `reconcile()` call). */
  readonly owner: string;
  /** Only these providers (the client's names); all when absent. */
  readonly providers?: readonly string[];
}

/**
 * Where capture intents live (DESIGN §8). Every method is one atomic step: a journal shared
 * by many processes (Postgres) must make `begin` — the "same key?" and "another unresolved
 * key on this payment?" checks plus the write — indivisible, and `apply` a read, the pure
 * transition and a write under one lock. The rules themselves are the pure functions
 * `decideBegin` and `applyIntentEvent`; a journal only stores and locks.
 *
 * A journal that cannot do what is asked rejects (throws); the client then answers
 * `journal_unavailable` and, before a capture, sends nothing.
 *
 * @example
 * ```ts
 * const client = createCaptureClient({ providers, journal: memoryJournal() });
 * const open = await client.intents({ state: 'unknown' });
 * ```
 */
export interface CaptureJournal {
  /** For messages: `'memory'`, `'postgres'`, `'pglite'`. */
  readonly name: string;
  /** Applies `decideBegin` to the stored intents and writes what it decided. */
  begin(draft: IntentDraft, options: BeginOptions): Promise<BeginDecision>;
  /**
   * Applies `applyIntentEvent` to the intent under `provider` + `idempotencyKey` and
   * stores the result (deleting it when the result is `undefined`). Resolves to the new
   * intent, or `undefined` when there is none.
   */
  apply(
    provider: string,
    idempotencyKey: string,
    event: IntentEvent,
  ): Promise<CaptureIntent | undefined>;
  get(provider: string, idempotencyKey: string): Promise<CaptureIntent | undefined>;
  list(query: IntentQuery): Promise<readonly CaptureIntent[]>;
  /**
   * Leases open intents for reconciliation: `sending` and `unknown` whose in-flight
   * deadline passed, and `pending`; never one another owner holds an unexpired lease on.
   */
  claim(query: ClaimQuery): Promise<readonly CaptureIntent[]>;
  /** Gives up `owner`'s lease on one intent (a no-op if it holds none). */
  release(provider: string, idempotencyKey: string, owner: string): Promise<void>;
  /** Whether a verified webhook event id was already handled. */
  hasEvent(provider: string, eventId: string): Promise<boolean>;
  /** Remembers that a webhook event id was handled (after `onEvent` resolved). */
  rememberEvent(provider: string, eventId: string, at: number): Promise<void>;
  close(): Promise<void>;
}

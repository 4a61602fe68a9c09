import { applyIntentEvent } from './apply-intent-event.js';
import { decideBegin } from './decide-begin.js';
import { ExpiryQueue } from './expiry-queue.js';
import { type CaptureIntent, type IntentState, isInFlight, isOpen } from './intents.js';
import type { CaptureJournal } from './journal.js';
import { answersNow, type JournalNow } from './journal-now.js';

/**
 * Settings for {@link memoryJournal}.
 *
 * @example
 * ```ts
 * const journal = memoryJournal({ settledTtlMs: 3_600_000, maxSettled: 50_000 });
 * ```
 */
export interface MemoryJournalOptions {
  /** How long a settled (`succeeded`, `failed`) intent is kept. Default 24 h. */
  readonly settledTtlMs?: number;
  /** At most this many settled intents are kept; the oldest go first. Default 10,000. */
  readonly maxSettled?: number;
  /**
   * At most this many open (`sending`, `unknown`, `pending`) intents; they are never
   * dropped, so past this a new capture is refused with `journal_unavailable`. Settle them
   * with webhooks or `client.reconcile()`. Default 100,000.
   */
  readonly maxOpen?: number;
  /** How long a webhook event id is remembered. Default 48 h (providers retry for 24 h). */
  readonly eventTtlMs?: number;
  /** At most this many webhook event ids. Default 100,000. */
  readonly maxEvents?: number;
  /** The clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

interface Leased {
  readonly owner: string;
  readonly until: number;
}

const DAY_MS = 86_400_000;
const NONE: readonly CaptureIntent[] = Object.freeze([]);

/**
 * The default journal: in-process, so every promise of DESIGN §0 holds while the process
 * lives, and nothing survives it (use `postgresJournal()` from `capture-kit/journal/postgres`
 * for that). Each client created without a `journal` gets its own. Bounded: settled intents
 * expire by age and count; open ones are never dropped.
 *
 * @example
 * ```ts
 * import { createCaptureClient, memoryJournal } from 'capture-kit';
 * const client = createCaptureClient({ providers, journal: memoryJournal({ maxSettled: 50_000 }) });
 * ```
 */
export function memoryJournal(options: MemoryJournalOptions = {}): CaptureJournal {
  const settledTtlMs = positive(options.settledTtlMs, 'settledTtlMs', DAY_MS);
  const maxSettled = positive(options.maxSettled, 'maxSettled', 10_000);
  const maxOpen = positive(options.maxOpen, 'maxOpen', 100_000);
  const eventTtlMs = positive(options.eventTtlMs, 'eventTtlMs', 2 * DAY_MS);
  const maxEvents = positive(options.maxEvents, 'maxEvents', 100_000);
  const clock = options.now ?? Date.now;

  const intents = new Map<string, CaptureIntent>();
  /**
   * provider → paymentId → the key of that payment's intent, or a set of keys once it has
   * several (most payments have one capture: no `Set` per capture). Nested rather than keyed
   * by a joined string: a lookup (every capture's begin, every webhook) then hashes the
   * payment id as it came, with no string built and flattened first.
   */
  const byPayment = new Map<string, Map<string, string | Set<string>>>();
  /** Settled intent → when it settled; `settledOrder` holds the same, oldest first. */
  const settledAt = new Map<string, number>();
  const settledOrder = new ExpiryQueue();
  const leases = new Map<string, Leased>();
  const events = new Map<string, number>();
  const eventOrder = new ExpiryQueue();
  let openCount = 0;

  const id = (provider: string, key: string) => `${provider}\u0000${key}`;

  /** `key` is `id(next.provider, next.idempotencyKey)`, which the caller already has. */
  function store(key: string, next: CaptureIntent, previous: CaptureIntent | undefined): void {
    const open = isOpen(next);
    if (previous && isOpen(previous)) openCount -= 1;
    if (open) openCount += 1;
    intents.set(key, next);
    if (!previous) addToPayment(next.provider, next.paymentId, key);
    // Only final intents may expire; open ones (sending, unknown, pending) never do.
    if (open) {
      if (previous && !isOpen(previous)) settledAt.delete(key);
    } else if (settledAt.get(key) !== next.updatedAt) {
      settledAt.set(key, next.updatedAt);
      settledOrder.push(key, next.updatedAt);
    }
  }

  function addToPayment(provider: string, paymentId: string, key: string): void {
    let payments = byPayment.get(provider);
    if (payments === undefined) {
      payments = new Map();
      byPayment.set(provider, payments);
    }
    const keys = payments.get(paymentId);
    if (keys === undefined) payments.set(paymentId, key);
    else if (typeof keys === 'string') {
      if (keys !== key) payments.set(paymentId, new Set([keys, key]));
    } else keys.add(key);
  }

  function removeFromPayment(provider: string, paymentId: string, key: string): void {
    const payments = byPayment.get(provider);
    const keys = payments?.get(paymentId);
    if (payments === undefined || keys === undefined) return;
    if (keys === key) payments.delete(paymentId);
    else if (typeof keys === 'object') {
      keys.delete(key);
      if (keys.size === 0) payments.delete(paymentId);
    }
    if (payments.size === 0) byPayment.delete(provider);
  }

  function forget(key: string): void {
    const intent = intents.get(key);
    if (!intent) return;
    if (isOpen(intent)) openCount -= 1;
    intents.delete(key);
    settledAt.delete(key);
    leases.delete(key);
    removeFromPayment(intent.provider, intent.paymentId, key);
  }

  const settledLive = (key: string, at: number) => settledAt.get(key) === at;
  const settledExpired = (key: string, at: number) => {
    if (settledAt.size <= maxSettled && at > lastEvictAt - settledTtlMs) return false;
    forget(key);
    return true;
  };
  const eventLive = (key: string, at: number) => events.get(key) === at;
  const eventExpired = (key: string, at: number) => {
    if (events.size <= maxEvents && at > lastEvictAt - eventTtlMs) return false;
    events.delete(key);
    return true;
  };
  let lastEvictAt = 0;

  function evict(now: number): void {
    lastEvictAt = now;
    settledOrder.evict(settledLive, settledExpired, settledAt.size);
    eventOrder.evict(eventLive, eventExpired, events.size);
  }

  function samePayment(provider: string, paymentId: string): readonly CaptureIntent[] {
    const keys = byPayment.get(provider)?.get(paymentId);
    // Most captures are a payment's first: no array for them.
    if (keys === undefined) return NONE;
    if (typeof keys === 'string') {
      const intent = intents.get(keys);
      return intent ? [intent] : [];
    }
    const found: CaptureIntent[] = [];
    for (const key of keys) {
      const intent = intents.get(key);
      if (intent) found.push(intent);
    }
    return found;
  }

  // The steps themselves, synchronous: the journal's methods resolve what these return, and
  // the client calls them directly through journalNow() (journal-now.ts).
  const now: JournalNow = {
    begin(draft, beginOptions) {
      const key = id(draft.provider, draft.idempotencyKey);
      const existing = intents.get(key);
      const decision = decideBegin(
        existing,
        existing ? NONE : samePayment(draft.provider, draft.paymentId),
        draft,
        beginOptions,
      );
      if (decision.action !== 'send') return decision;
      if (!existing && openCount >= maxOpen) {
        throw new Error(
          `the memory journal holds ${openCount} open captures (sending, unknown or pending; maxOpen): settle them with client.reconcile() or webhooks, or raise memoryJournal({ maxOpen })`,
        );
      }
      store(key, decision.intent, existing);
      evict(beginOptions.now);
      return decision;
    },
    apply(provider, idempotencyKey, event) {
      const key = id(provider, idempotencyKey);
      const existing = intents.get(key);
      if (!existing) return undefined;
      const next = applyIntentEvent(existing, event);
      if (next === existing) return existing;
      if (next) store(key, next, existing);
      else forget(key);
      evict(event.at);
      return next;
    },
    list(query) {
      // A webhook for a payment this process never captured (most, with several instances
      // behind one endpoint) asks about a payment with no intent: answer before building
      // the filter, sort and slice of the general case.
      if (
        query.provider !== undefined &&
        query.paymentId !== undefined &&
        byPayment.get(query.provider)?.has(query.paymentId) !== true
      ) {
        return NONE;
      }
      const states =
        query.state === undefined ? undefined : ([] as IntentState[]).concat(query.state);
      const limit = query.limit ?? 100;
      const pool =
        query.provider !== undefined && query.paymentId !== undefined
          ? samePayment(query.provider, query.paymentId)
          : [...intents.values()];
      return pool
        .filter(
          (intent) =>
            (query.provider === undefined || intent.provider === query.provider) &&
            (query.paymentId === undefined || intent.paymentId === query.paymentId) &&
            (query.captureId === undefined || intent.captureId === query.captureId) &&
            (states === undefined || states.includes(intent.state)),
        )
        .sort((a, b) => a.createdAt - b.createdAt)
        .slice(0, limit);
    },
  };

  const journal: CaptureJournal = {
    name: 'memory',
    async begin(draft, beginOptions) {
      return now.begin(draft, beginOptions);
    },
    async apply(provider, idempotencyKey, event) {
      return now.apply(provider, idempotencyKey, event);
    },
    async get(provider, idempotencyKey) {
      return intents.get(id(provider, idempotencyKey));
    },
    async list(query) {
      // The face's shared empty answer is frozen; a caller of list() gets an array of its own.
      const found = now.list(query);
      return found === NONE ? [] : found;
    },
    async claim(query) {
      const claimed: CaptureIntent[] = [];
      for (const [key, intent] of intents) {
        if (claimed.length >= query.limit) break;
        if (!isOpen(intent) || isInFlight(intent, query.now)) continue;
        if (intent.updatedAt > query.now - query.olderThanMs) continue;
        if (query.providers && !query.providers.includes(intent.provider)) continue;
        const lease = leases.get(key);
        if (lease && lease.until > query.now && lease.owner !== query.owner) continue;
        leases.set(key, { owner: query.owner, until: query.now + query.leaseMs });
        claimed.push(intent);
      }
      return claimed;
    },
    async release(provider, idempotencyKey, owner) {
      const key = id(provider, idempotencyKey);
      if (leases.get(key)?.owner === owner) leases.delete(key);
    },
    async hasEvent(provider, eventId) {
      const at = events.get(id(provider, eventId));
      return at !== undefined && at > clock() - eventTtlMs;
    },
    async rememberEvent(provider, eventId, at) {
      const key = id(provider, eventId);
      events.set(key, at);
      eventOrder.push(key, at);
      evict(at);
    },
    async close() {},
  };
  answersNow(journal, now);
  return journal;
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(
      `memoryJournal({ ${name} }) must be a positive whole number; got ${String(value)}.`,
    );
  }
  return value;
}

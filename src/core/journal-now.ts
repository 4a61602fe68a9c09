import type {
  BeginDecision,
  BeginOptions,
  CaptureIntent,
  IntentDraft,
  IntentEvent,
} from './intents.js';
import type { CaptureJournal, IntentQuery } from './journal.js';

/**
 * The same-turn face of a journal whose every step is already synchronous (the memory
 * journal): `begin`, `apply` and `list` with the same rules and answers, returned instead
 * of resolved. The client uses it on the capture and webhook paths, where each awaited
 * journal step would otherwise cost an async call and a microtask turn per capture for a
 * journal that never waits (bench/FINDINGS.md, session 6). Internal: a custom journal is
 * always awaited, and a journal wrapped by anything else (instrumentation, a test double)
 * loses its face, so it is awaited too.
 *
 * @example
 * ```ts
 * const now = journalNow(ctx.journal);
 * const next = now ? now.apply(provider, key, event) : await ctx.journal.apply(provider, key, event);
 * ```
 */
export interface JournalNow {
  begin(draft: IntentDraft, options: BeginOptions): BeginDecision;
  apply(provider: string, idempotencyKey: string, event: IntentEvent): CaptureIntent | undefined;
  list(query: IntentQuery): readonly CaptureIntent[];
}

/** The face, and the methods it stands for as they were when it was registered. */
interface Registered {
  readonly face: JournalNow;
  readonly begin: CaptureJournal['begin'];
  readonly apply: CaptureJournal['apply'];
  readonly list: CaptureJournal['list'];
}

const faces = new WeakMap<CaptureJournal, Registered>();

/**
 * Registers `face` as `journal`'s same-turn face; only for a journal whose methods are the
 * face's answers resolved (each `async` method returns what the face returns, and throws
 * what it throws).
 *
 * @example
 * ```ts
 * answersNow(journal, { begin: beginNow, apply: applyNow, list: listNow });
 * ```
 */
export function answersNow(journal: CaptureJournal, face: JournalNow): void {
  faces.set(journal, { face, begin: journal.begin, apply: journal.apply, list: journal.list });
}

/**
 * `journal`'s same-turn face, or `undefined` when its steps must be awaited. Asked on every
 * call: a method replaced since the face was registered (a spy, a wrapper patched onto the
 * object) is then called instead, as it would be for any other journal.
 *
 * @example
 * ```ts
 * journalNow(memoryJournal()) !== undefined; // true
 * ```
 */
export function journalNow(journal: CaptureJournal): JournalNow | undefined {
  const entry = faces.get(journal);
  if (entry === undefined) return undefined;
  try {
    return journal.begin === entry.begin &&
      journal.apply === entry.apply &&
      journal.list === entry.list
      ? entry.face
      : undefined;
  } catch {
    // A method that cannot be read (a throwing getter patched on): the awaited path reads it
    // again inside its own `try` and answers as for any journal that fails.
    return undefined;
  }
}

import type { CaptureIntent } from '../../core/intents.js';

/** Intents this process wrote and may soon apply an answer to. */
const MAX_WRITTEN = 10_000;

/** An intent as this process last wrote it, with the revision that write got. */
export interface WrittenIntent {
  readonly intent: CaptureIntent;
  readonly revision: number;
}

/**
 * The open intents a journal last wrote, with their revision. `apply` after `begin` (the
 * answer to a capture this process sent) then needs no read: it computes the next state from
 * this copy and writes it with a compare-and-set on the revision — ONE statement, atomic by
 * itself. When any other writer touched the row since (another process, a reconciler; even a
 * delete and a new insert, since revisions come from a sequence and never repeat), the
 * revision differs, nothing is written, and apply takes the locked path. A stale or missing
 * copy costs a round trip, never correctness. Bounded: the oldest copies go first.
 */
export class WrittenIntents {
  readonly #copies = new Map<string, WrittenIntent>();

  /** Removes and returns the copy of `provider` + `key`: whatever apply does next replaces it. */
  take(provider: string, key: string): WrittenIntent | undefined {
    const id = WrittenIntents.#id(provider, key);
    const copy = this.#copies.get(id);
    this.#copies.delete(id);
    return copy;
  }

  /** Keeps what was just written (nothing for a settled or deleted intent). */
  remember(
    provider: string,
    key: string,
    intent: CaptureIntent | undefined,
    revision: number,
  ): void {
    const id = WrittenIntents.#id(provider, key);
    this.#copies.delete(id);
    if (!intent || intent.state === 'succeeded' || intent.state === 'failed') return;
    this.#copies.set(id, { intent, revision });
    if (this.#copies.size > MAX_WRITTEN) {
      const oldest = this.#copies.keys().next().value;
      if (oldest !== undefined) this.#copies.delete(oldest);
    }
  }

  static #id(provider: string, key: string): string {
    return `${provider}\u0000${key}`;
  }
}

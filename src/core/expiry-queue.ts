/**
 * Keys in the order they were added, each with its time, for oldest-first eviction. The
 * memory journal used a `Map` for this and walked it from the front: V8 keeps a deleted
 * entry's slot until the table is rebuilt, so with entries always deleted at the front
 * every walk first skipped thousands of holes — O(evicted) per capture, the largest self
 * time in the capture path's profile (bench/FINDINGS.md).
 *
 * `live` decides whether an entry still counts (the owner's map still holds the key with
 * that time); stale entries are dropped when they reach the front, or in one pass when
 * they outnumber the live ones (`liveSize`, the owner's map size) four to one.
 */
export class ExpiryQueue {
  #keys: string[] = [];
  #times: number[] = [];
  #head = 0;

  /** Entries not yet dropped, stale ones included. */
  get length(): number {
    return this.#keys.length - this.#head;
  }

  push(key: string, at: number): void {
    this.#keys.push(key);
    this.#times.push(at);
  }

  /**
   * Drops entries from the front while `expired(key, at)` says so, skipping stale ones
   * (`live(key, at)` false) without asking. `expired` may change what `live` answers.
   */
  evict(
    live: (key: string, at: number) => boolean,
    expired: (key: string, at: number) => boolean,
    liveSize: number,
  ): void {
    while (this.#head < this.#keys.length) {
      const key = this.#keys[this.#head] as string;
      const at = this.#times[this.#head] as number;
      if (live(key, at) && !expired(key, at)) break;
      this.#head += 1;
    }
    this.#compact(live, liveSize);
  }

  /** Amortized O(1): the arrays are rebuilt only once half of them is dead weight. */
  #compact(live: (key: string, at: number) => boolean, liveSize: number): void {
    if (this.#head >= 1024 && this.#head * 2 >= this.#keys.length) {
      this.#keys = this.#keys.slice(this.#head);
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
    // Stale entries behind a live front (a key added again): filter once they dominate.
    if (this.length > 4 * liveSize + 4096) {
      const keys: string[] = [];
      const times: number[] = [];
      for (let i = this.#head; i < this.#keys.length; i++) {
        const key = this.#keys[i] as string;
        const at = this.#times[i] as number;
        if (live(key, at)) {
          keys.push(key);
          times.push(at);
        }
      }
      this.#keys = keys;
      this.#times = times;
      this.#head = 0;
    }
  }
}

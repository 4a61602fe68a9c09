/**
 * A clock the tests move by hand, so rules like "capture within 7 days" are tested
 * without waiting and without wall-clock luck.
 *
 * @example
 * ```ts
 * const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
 * clock.advance(8 * 24 * 60 * 60 * 1000);
 * ```
 */
export interface ManualClock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Moves the clock forward by `ms` (negative values are refused). */
  advance(ms: number): void;
}

/**
 * Creates a {@link ManualClock} starting at `start` (default: the real time once, at creation).
 *
 * @example
 * ```ts
 * const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
 * const sim = await startCheckoutSimulator({ clock });
 * clock.advance(8 * DAY_MS);
 * new Date(clock.now()).toISOString(); // '2026-01-09T00:00:00.000Z'
 * ```
 */
export function createManualClock(start: number = Date.now()): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError('advance(ms): ms must be a non-negative number');
      current += ms;
    },
  };
}

/**
 * Milliseconds in one day, for `advance(8 * DAY_MS)`.
 *
 * @example
 * ```ts
 * sim.advanceClock(8 * DAY_MS); // past the 7-day capture window
 * ```
 */
export const DAY_MS = 24 * 60 * 60 * 1000;

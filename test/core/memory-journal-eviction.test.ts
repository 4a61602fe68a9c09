import { describe, expect, it } from 'vitest';
import type { IntentDraft } from '../../src/core/intents.js';
import { memoryJournal } from '../../src/core/memory-journal.js';

const T = 1_800_000_000_000;

function draft(key: string, paymentId = `pay-${key}`): IntentDraft {
  return { provider: 'p', kind: 'k', idempotencyKey: key, paymentId, final: true, inFlightMs: 1 };
}

/** Begins and settles one capture at `at`. */
async function settle(
  journal: ReturnType<typeof memoryJournal>,
  key: string,
  at: number,
  paymentId?: string,
) {
  await journal.begin(draft(key, paymentId), { now: at, ignoreUnresolved: false });
  await journal.apply('p', key, { source: 'capture', verdict: 'succeeded', at });
}

describe('memoryJournal eviction (oldest first, O(1) per capture)', () => {
  it('keeps the newest maxSettled settled intents across many rounds of churn', async () => {
    const journal = memoryJournal({ maxSettled: 100 });
    for (let i = 0; i < 5_000; i++) await settle(journal, `k${i}`, T + i);
    const kept = await journal.list({ limit: 1_000 });
    expect(kept.map((intent) => intent.idempotencyKey)).toEqual(
      Array.from({ length: 100 }, (_, i) => `k${4_900 + i}`),
    );
    expect(await journal.get('p', 'k4899')).toBeUndefined();
  });

  it('expires settled intents by age, and keeps open ones whatever their age', async () => {
    const journal = memoryJournal({ settledTtlMs: 1_000 });
    await journal.begin(draft('open'), { now: T, ignoreUnresolved: false });
    await settle(journal, 'old', T);
    await settle(journal, 'new', T + 1_500);
    expect(await journal.get('p', 'old')).toBeUndefined();
    expect((await journal.get('p', 'new'))?.state).toBe('succeeded');
    expect((await journal.get('p', 'open'))?.state).toBe('sending');
  });

  it('a payment with several keys keeps the others when one is evicted', async () => {
    const journal = memoryJournal({ maxSettled: 1 });
    await settle(journal, 'a', T, 'pay-shared');
    await settle(journal, 'b', T + 1, 'pay-shared');
    await journal.begin(draft('c', 'pay-shared'), { now: T + 2, ignoreUnresolved: false });
    const onPayment = await journal.list({ provider: 'p', paymentId: 'pay-shared' });
    expect(onPayment.map((intent) => intent.idempotencyKey)).toEqual(['b', 'c']);
  });

  it('a payment lookup is per provider, and forgets a payment once its last intent goes', async () => {
    const journal = memoryJournal({ maxSettled: 1 });
    await settle(journal, 'a', T, 'pay-1');
    await journal.begin(
      { ...draft('q-a', 'pay-1'), provider: 'q' },
      { now: T, ignoreUnresolved: false },
    );
    expect(
      (await journal.list({ provider: 'p', paymentId: 'pay-1' })).map((i) => i.idempotencyKey),
    ).toEqual(['a']);
    expect(
      (await journal.list({ provider: 'q', paymentId: 'pay-1' })).map((i) => i.idempotencyKey),
    ).toEqual(['q-a']);
    // 'a' is evicted by 'b' (maxSettled 1): pay-1 is then unknown to provider p only.
    await settle(journal, 'b', T + 1, 'pay-2');
    expect(await journal.list({ provider: 'p', paymentId: 'pay-1' })).toEqual([]);
    expect(await journal.list({ provider: 'q', paymentId: 'pay-1' })).toHaveLength(1);
    // An unknown payment's answer is the caller's own array, as every other answer is.
    const none = await journal.list({ provider: 'p', paymentId: 'pay-unknown' });
    expect(Object.isFrozen(none)).toBe(false);
    // The payment can be captured again, and is found again.
    await settle(journal, 'c', T + 2, 'pay-1');
    expect(
      (await journal.list({ provider: 'p', paymentId: 'pay-1' })).map((i) => i.idempotencyKey),
    ).toEqual(['c']);
  });

  it('webhook event ids expire by count and age; remembering one again renews it', async () => {
    const journal = memoryJournal({ maxEvents: 3, eventTtlMs: 1_000, now: () => T + 10 });
    for (const [id, at] of [
      ['e1', T],
      ['e2', T + 1],
      ['e3', T + 2],
    ] as const) {
      await journal.rememberEvent('p', id, at);
    }
    await journal.rememberEvent('p', 'e1', T + 3); // renewed: e2 is now the oldest
    await journal.rememberEvent('p', 'e4', T + 4);
    expect(await journal.hasEvent('p', 'e1')).toBe(true);
    expect(await journal.hasEvent('p', 'e2')).toBe(false);
    expect(await journal.hasEvent('p', 'e3')).toBe(true);
    expect(await journal.hasEvent('p', 'e4')).toBe(true);
    // Renewed 10,000 times: the stale queue entries are dropped, the id stays remembered.
    for (let i = 0; i < 10_000; i++) await journal.rememberEvent('p', 'e4', T + 5 + i);
    expect(await journal.hasEvent('p', 'e4')).toBe(true);
    // The renewals' times moved the journal's clock 10 s on: e3 aged out meanwhile.
    expect(await journal.hasEvent('p', 'e3')).toBe(false);
  });
});

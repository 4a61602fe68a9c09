import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  BeginDecision,
  CaptureIntent,
  IntentDraft,
  IntentEvent,
} from '../../src/core/intents.js';
import type { CaptureJournal } from '../../src/core/journal.js';

/**
 * The one contract every `CaptureJournal` passes: memoryJournal, pgliteJournal and
 * postgresJournal run the same tests. Each test gets a journal of its own (`create`) and
 * uses its own provider name, so tests never see each other's rows.
 */
export interface JournalHarness {
  /** A fresh, empty journal nobody else writes to. */
  create(): Promise<CaptureJournal>;
  /** How many intents the claim race uses (500 unless a slow journal asks for fewer). */
  readonly raceIntents?: number;
  /**
   * Two journals over the same storage, like two processes sharing one database (durable
   * journals only).
   */
  twoInstances?(): Promise<readonly [CaptureJournal, CaptureJournal]>;
}

/** A fixed, far-from-now clock: journals must use the times they are given. */
const T = 1_800_000_000_000;
const IN_FLIGHT_MS = 10_000;

export function journalContract(name: string, harness: JournalHarness): void {
  describe(`${name}: CaptureJournal contract`, () => {
    let journal: CaptureJournal;
    let provider: string;
    let counter = 0;

    beforeEach(async () => {
      journal = await harness.create();
      provider = `psp-${randomUUID().slice(0, 8)}`;
    });
    afterEach(async () => {
      await journal.close();
    });

    function draft(overrides: Partial<IntentDraft> = {}): IntentDraft {
      counter += 1;
      return {
        provider,
        kind: 'checkout',
        idempotencyKey: `key-${counter}`,
        paymentId: `pay-${counter}`,
        amount: { currency: 'EUR', value: 3_500n },
        final: true,
        inFlightMs: IN_FLIGHT_MS,
        ...overrides,
      };
    }

    const begin = (d: IntentDraft, now = T, ignoreUnresolved = false) =>
      journal.begin(d, { now, ignoreUnresolved });

    async function sent(d: IntentDraft, now = T): Promise<CaptureIntent> {
      const decision = await begin(d, now);
      expect(decision.action).toBe('send');
      return decision.intent;
    }

    const event = (
      overrides: Partial<IntentEvent> & Pick<IntentEvent, 'verdict'>,
    ): IntentEvent => ({
      source: 'capture',
      at: T + 1,
      ...overrides,
    });

    async function settle(d: IntentDraft, verdict: IntentEvent['verdict']) {
      await sent(d);
      return journal.apply(d.provider, d.idempotencyKey, event({ verdict }));
    }

    describe('begin', () => {
      it('a new key: send, and the intent is stored as written', async () => {
        const d = draft({ reference: 'order-1' });
        const decision = await begin(d);
        expect(decision).toEqual({
          action: 'send',
          intent: {
            provider,
            kind: 'checkout',
            idempotencyKey: d.idempotencyKey,
            paymentId: d.paymentId,
            amount: { currency: 'EUR', value: 3_500n },
            final: true,
            reference: 'order-1',
            state: 'sending',
            attempts: 1,
            createdAt: T,
            updatedAt: T,
            inFlightUntil: T + IN_FLIGHT_MS,
          },
        });
        expect(await journal.get(provider, d.idempotencyKey)).toEqual(decision.intent);
      });

      it('stores every field exactly: bigint amounts, JSON, quotes, backslashes, unicode', async () => {
        const d = draft({
          idempotencyKey: `it's a \\ key ${'é漢🙂'}`,
          paymentId: "pay_'; DROP TABLE x; --",
          amount: { currency: 'IDR', value: 123_456_789_012_345_678_901_234_567_890n },
          final: false,
          reference: 'ref "quoted" \\n not a newline',
          metadata: { order: 'A-1', items: 3, gift: false, quote: "it's" },
          providerOptions: { checkout: { metadata: { a: [1, 'two', null] } }, empty: {} },
          authorizedAmount: { currency: 'IDR', value: 223_456_789_012_345_678_901_234_567_890n },
          context: { cardBrand: "visa's", issuerCountry: 'FR', currency: 'IDR' },
        });
        const written = await sent(d);
        expect(written).toMatchObject({
          authorizedAmount: d.authorizedAmount,
          context: d.context,
        });
        expect(await journal.get(provider, d.idempotencyKey)).toEqual(written);
        const settled = await journal.apply(provider, d.idempotencyKey, {
          source: 'inquiry',
          verdict: 'succeeded',
          at: T + 5,
          captureId: 'act_123',
          capturedAmount: { currency: 'IDR', value: 9_007_199_254_740_993n },
          capturedAt: '2027-01-15T10:00:00Z',
          providerMetadata: { actionId: 'act_123', nested: { deep: [true] } },
          providerStatus: 'Captured',
          httpStatus: 200,
        });
        expect(settled?.state).toBe('succeeded');
        const stored = await journal.get(provider, d.idempotencyKey);
        expect(stored).toEqual(settled);
        expect(stored?.amount?.value).toBe(123_456_789_012_345_678_901_234_567_890n);
        expect(stored?.capturedAmount?.value).toBe(9_007_199_254_740_993n);
      });

      it('a capture without an amount (the full remaining amount) stays without one', async () => {
        const { amount: _amount, ...rest } = draft();
        const intent = await sent(rest);
        expect(intent.amount).toBeUndefined();
        expect(await journal.get(provider, rest.idempotencyKey)).toEqual(intent);
      });

      it.each([
        ['succeeded', 'succeeded'],
        ['failed', 'failed'],
        ['pending', 'pending'],
      ] as const)(
        'replay: the key already %s returns the stored intent',
        async (verdict, state) => {
          const d = draft();
          const stored = await settle(d, verdict);
          expect(stored?.state).toBe(state);
          const again = await begin(d, T + 100_000);
          expect(again).toEqual({ action: 'replay', intent: stored });
          expect(await journal.get(provider, d.idempotencyKey)).toEqual(stored);
        },
      );

      it.each([
        [
          'another amount',
          (d: IntentDraft): IntentDraft => ({ ...d, amount: { currency: 'EUR', value: 3_501n } }),
        ],
        [
          'another currency',
          (d: IntentDraft): IntentDraft => ({ ...d, amount: { currency: 'USD', value: 3_500n } }),
        ],
        ['another final', (d: IntentDraft): IntentDraft => ({ ...d, final: false })],
        ['no amount', ({ amount: _amount, ...d }: IntentDraft): IntentDraft => d],
      ] as const)('conflict: the same key with %s', async (_label, change) => {
        const d = draft();
        const first = await sent(d);
        expect(await begin(change(d), T + 1)).toEqual({ action: 'conflict', intent: first });
        expect(await journal.get(provider, d.idempotencyKey)).toEqual(first);
      });

      it('conflict: the same key on another payment', async () => {
        const d = draft();
        const first = await sent(d);
        expect(await begin({ ...d, paymentId: 'another-payment' }, T + 1)).toEqual({
          action: 'conflict',
          intent: first,
        });
        expect(await journal.list({ provider, paymentId: 'another-payment' })).toEqual([]);
      });

      it('in_flight: the same key while its attempt may still travel', async () => {
        const d = draft();
        const first = await sent(d);
        expect(await begin(d, T + IN_FLIGHT_MS - 1)).toEqual({
          action: 'in_flight',
          intent: first,
        });
      });

      it('send again: the same key once the attempt is past its deadline (process died)', async () => {
        const d = draft();
        await sent(d);
        const later = T + IN_FLIGHT_MS + 1;
        const decision = await begin(d, later);
        expect(decision.action).toBe('send');
        expect(decision.intent).toMatchObject({
          state: 'unknown',
          attempts: 2,
          updatedAt: later,
          inFlightUntil: later + IN_FLIGHT_MS,
          createdAt: T,
        });
        expect(await journal.get(provider, d.idempotencyKey)).toEqual(decision.intent);
        // Once unknown, another same-key attempt may go out even while one travels: the
        // provider de-duplicates the key, and the intent stays unknown whatever it hears.
        const again = await begin(d, later + 1);
        expect(again.action).toBe('send');
        expect(again.intent).toMatchObject({ state: 'unknown', attempts: 3 });
      });

      it('send again: the same key after an unknown outcome', async () => {
        const d = draft();
        await sent(d);
        const unknown = await journal.apply(
          provider,
          d.idempotencyKey,
          event({ verdict: 'unknown' }),
        );
        expect(unknown?.state).toBe('unknown');
        const decision = await begin(d, T + 2);
        expect(decision.action).toBe('send');
        expect(decision.intent).toMatchObject({ state: 'unknown', attempts: 2 });
      });

      it('unresolved: another key on the payment is sending or unknown', async () => {
        const first = draft();
        const blocking = await sent(first);
        const second = draft({ paymentId: first.paymentId });
        expect(await begin(second, T + 1)).toEqual({ action: 'unresolved', intent: blocking });
        expect(await journal.get(provider, second.idempotencyKey)).toBeUndefined();

        const unknown = await journal.apply(
          provider,
          first.idempotencyKey,
          event({ verdict: 'unknown' }),
        );
        expect(await begin(second, T + 2)).toEqual({ action: 'unresolved', intent: unknown });
      });

      it('unresolved can be overridden (dangerouslyIgnoreUnresolved)', async () => {
        const first = draft();
        await sent(first);
        const second = draft({ paymentId: first.paymentId });
        const decision = await begin(second, T + 1, true);
        expect(decision.action).toBe('send');
        expect(await journal.list({ provider, paymentId: first.paymentId })).toHaveLength(2);
        // Both are unresolved now: a third key is blocked by one of them.
        expect((await begin(draft({ paymentId: first.paymentId }), T + 2)).action).toBe(
          'unresolved',
        );
      });

      it('a pending, succeeded or failed key does not block another key; another provider never does', async () => {
        for (const verdict of ['pending', 'succeeded', 'failed'] as const) {
          const first = draft({ final: false });
          await settle(first, verdict);
          const second = draft({ paymentId: first.paymentId, final: false });
          expect((await begin(second, T + 2)).action).toBe('send');
        }
        const busy = draft();
        await sent(busy);
        const elsewhere = draft({ provider: `${provider}-other`, paymentId: busy.paymentId });
        expect((await begin(elsewhere, T + 1)).action).toBe('send');
      });

      it('one payment, many keys at once: exactly one send, the others unresolved', async () => {
        const paymentId = `pay-race-${randomUUID()}`;
        const drafts = Array.from({ length: 12 }, () => draft({ paymentId }));
        const decisions = await Promise.all(drafts.map((d) => begin(d)));
        const sends = decisions.filter((d) => d.action === 'send');
        expect(sends).toHaveLength(1);
        for (const decision of decisions.filter((d) => d.action !== 'send')) {
          expect(decision).toEqual({ action: 'unresolved', intent: sends[0]?.intent });
        }
        expect(await journal.list({ provider, paymentId })).toHaveLength(1);
      });

      it('the same key with two payment ids at once: one send, one conflict', async () => {
        for (let round = 0; round < 10; round++) {
          const a = draft();
          const b = { ...a, paymentId: `${a.paymentId}-b` };
          const decisions: BeginDecision[] = await Promise.all([begin(a), begin(b)]);
          expect(decisions.map((d) => d.action).sort()).toEqual(['conflict', 'send']);
          const winner = decisions.find((d) => d.action === 'send')?.intent;
          expect(decisions.find((d) => d.action === 'conflict')?.intent).toEqual(winner);
          expect(await journal.get(provider, a.idempotencyKey)).toEqual(winner);
        }
      });

      it('the same key many times at once: one send, the others in_flight', async () => {
        const d = draft();
        const decisions = await Promise.all(Array.from({ length: 8 }, () => begin(d)));
        expect(decisions.filter((x) => x.action === 'send')).toHaveLength(1);
        expect(decisions.filter((x) => x.action === 'in_flight')).toHaveLength(7);
      });
    });

    describe('apply', () => {
      it('an unknown key: undefined, nothing stored', async () => {
        expect(
          await journal.apply(provider, 'nope', event({ verdict: 'succeeded' })),
        ).toBeUndefined();
        expect(await journal.get(provider, 'nope')).toBeUndefined();
      });

      it('sending → succeeded is stored, with the answer', async () => {
        const d = draft();
        await sent(d);
        const next = await journal.apply(
          provider,
          d.idempotencyKey,
          event({ verdict: 'succeeded', captureId: 'cap_1' }),
        );
        expect(next).toMatchObject({ state: 'succeeded', captureId: 'cap_1', updatedAt: T + 1 });
        expect(next?.inFlightUntil).toBeUndefined();
        expect(await journal.get(provider, d.idempotencyKey)).toEqual(next);
      });

      it('nothing was sent: the intent is deleted and the key is free again', async () => {
        const d = draft();
        await sent(d);
        expect(
          await journal.apply(provider, d.idempotencyKey, event({ verdict: 'not_sent' })),
        ).toBeUndefined();
        expect(await journal.get(provider, d.idempotencyKey)).toBeUndefined();
        expect(await journal.list({ provider, paymentId: d.paymentId })).toEqual([]);
        const again = await begin(d, T + 2);
        expect(again.action).toBe('send');
        expect(again.intent.attempts).toBe(1);
      });

      it('unknown + an inquiry that finds no capture (after the deadline): deleted', async () => {
        const d = draft();
        await sent(d);
        await journal.apply(provider, d.idempotencyKey, event({ verdict: 'unknown' }));
        const absent = await journal.apply(
          provider,
          d.idempotencyKey,
          event({ source: 'inquiry', verdict: 'absent', at: T + IN_FLIGHT_MS + 5 }),
        );
        expect(absent).toBeUndefined();
        expect(await journal.get(provider, d.idempotencyKey)).toBeUndefined();
      });

      it('unknown stays unknown after a same-key decline', async () => {
        const d = draft();
        await sent(d);
        await journal.apply(provider, d.idempotencyKey, event({ verdict: 'unknown' }));
        const declined = await journal.apply(
          provider,
          d.idempotencyKey,
          event({ verdict: 'failed', code: 'amount_exceeds_authorized', at: T + 3 }),
        );
        expect(declined).toMatchObject({ state: 'unknown', code: 'amount_exceeds_authorized' });
        expect(await journal.get(provider, d.idempotencyKey)).toEqual(declined);
      });

      it('a final intent does not move', async () => {
        const d = draft();
        const done = await settle(d, 'succeeded');
        const after = await journal.apply(
          provider,
          d.idempotencyKey,
          event({ source: 'webhook', verdict: 'failed', at: T + 9 }),
        );
        expect(after).toEqual(done);
        expect(await journal.get(provider, d.idempotencyKey)).toEqual(done);
      });

      it('two answers at once: applied one after the other, the first final one wins', async () => {
        for (let round = 0; round < 5; round++) {
          const d = draft();
          await sent(d);
          const [a, b] = await Promise.all([
            journal.apply(
              provider,
              d.idempotencyKey,
              event({ source: 'webhook', verdict: 'succeeded', captureId: 'x' }),
            ),
            journal.apply(
              provider,
              d.idempotencyKey,
              event({ source: 'webhook', verdict: 'failed', at: T + 2 }),
            ),
          ]);
          expect(a?.state).toBe(b?.state);
          expect(await journal.get(provider, d.idempotencyKey)).toEqual(
            a?.state === 'succeeded' ? a : b,
          );
        }
      });
    });

    describe('list', () => {
      it('filters by provider, payment, state(s) and capture id; oldest first; limited', async () => {
        const paymentId = `pay-list-${randomUUID()}`;
        const a = draft({ paymentId, final: false });
        const b = draft({ paymentId, final: false });
        const c = draft({ final: false });
        await begin(a, T);
        await journal.apply(
          provider,
          a.idempotencyKey,
          event({ verdict: 'succeeded', captureId: 'cap-a' }),
        );
        await begin(b, T + 10);
        await begin(c, T + 20);
        const otherProvider = draft({ provider: `${provider}-x`, paymentId });
        await begin(otherProvider, T + 5);

        const keys = (intents: readonly CaptureIntent[]) => intents.map((i) => i.idempotencyKey);
        expect(keys(await journal.list({ provider }))).toEqual([
          a.idempotencyKey,
          b.idempotencyKey,
          c.idempotencyKey,
        ]);
        expect(keys(await journal.list({ provider, paymentId }))).toEqual([
          a.idempotencyKey,
          b.idempotencyKey,
        ]);
        expect(keys(await journal.list({ provider, state: 'sending' }))).toEqual([
          b.idempotencyKey,
          c.idempotencyKey,
        ]);
        expect(keys(await journal.list({ provider, state: ['succeeded', 'unknown'] }))).toEqual([
          a.idempotencyKey,
        ]);
        expect(keys(await journal.list({ provider, state: [] }))).toEqual([]);
        expect(keys(await journal.list({ provider, captureId: 'cap-a' }))).toEqual([
          a.idempotencyKey,
        ]);
        expect(keys(await journal.list({ provider, limit: 2 }))).toEqual([
          a.idempotencyKey,
          b.idempotencyKey,
        ]);
        expect(keys(await journal.list({ paymentId }))).toEqual([
          a.idempotencyKey,
          otherProvider.idempotencyKey,
          b.idempotencyKey,
        ]);
      });
    });

    describe('claim', () => {
      const claim = (
        owner: string,
        now: number,
        more: { limit?: number; olderThanMs?: number; leaseMs?: number } = {},
      ) =>
        journal.claim({
          now,
          owner,
          limit: more.limit ?? 100,
          olderThanMs: more.olderThanMs ?? 0,
          leaseMs: more.leaseMs ?? 60_000,
          providers: [provider],
        });
      const keys = (intents: readonly CaptureIntent[]) =>
        intents.map((i) => i.idempotencyKey).sort();

      it('claims open intents: sending/unknown only past their deadline, pending, never final ones', async () => {
        const inFlight = draft();
        await sent(inFlight, T);
        const stale = draft();
        await sent(stale, T - 2 * IN_FLIGHT_MS);
        const unknown = draft();
        await sent(unknown, T - 2 * IN_FLIGHT_MS);
        await journal.apply(
          provider,
          unknown.idempotencyKey,
          event({ verdict: 'unknown', at: T - 2 * IN_FLIGHT_MS + 1 }),
        );
        const pending = draft();
        await settle(pending, 'pending');
        const done = draft();
        await settle(done, 'succeeded');
        const failed = draft();
        await settle(failed, 'failed');

        const claimed = await claim('r1', T + 10);
        expect(keys(claimed)).toEqual(
          [stale, unknown, pending].map((d) => d.idempotencyKey).sort(),
        );
        expect(claimed.find((i) => i.idempotencyKey === pending.idempotencyKey)).toEqual(
          await journal.get(provider, pending.idempotencyKey),
        );
      });

      it('olderThanMs: only intents not updated for that long; limit; providers', async () => {
        const old = draft();
        await sent(old, T - 100_000);
        const young = draft();
        await sent(young, T - 20_000);
        expect(keys(await claim('r1', T, { olderThanMs: 50_000 }))).toEqual([old.idempotencyKey]);
        expect(await claim('r2', T, { limit: 0 })).toEqual([]);
        expect(
          await journal.claim({
            now: T,
            owner: 'r3',
            limit: 10,
            olderThanMs: 0,
            leaseMs: 1,
            providers: ['nobody'],
          }),
        ).toEqual([]);
      });

      it('a live lease keeps other owners away; its owner may claim again; expiry and release free it', async () => {
        const d = draft();
        await sent(d, T - 2 * IN_FLIGHT_MS);
        expect(keys(await claim('r1', T, { leaseMs: 1_000 }))).toEqual([d.idempotencyKey]);
        expect(await claim('r2', T + 999)).toEqual([]);
        expect(keys(await claim('r1', T + 999, { leaseMs: 1_000 }))).toEqual([d.idempotencyKey]);
        // r1's second claim extended the lease to T + 1999.
        expect(await claim('r2', T + 1_998)).toEqual([]);
        expect(keys(await claim('r2', T + 1_999, { leaseMs: 1_000 }))).toEqual([d.idempotencyKey]);
        await journal.release(provider, d.idempotencyKey, 'r1'); // not r1's any more: no-op
        expect(await claim('r3', T + 2_000)).toEqual([]);
        await journal.release(provider, d.idempotencyKey, 'r2');
        expect(keys(await claim('r3', T + 2_000))).toEqual([d.idempotencyKey]);
      });

      it('two claimers at once over many open intents: each intent to exactly one of them', async () => {
        const count = harness.raceIntents ?? 500;
        const drafts = Array.from({ length: count }, () => draft());
        for (let i = 0; i < drafts.length; i += 50) {
          await Promise.all(drafts.slice(i, i + 50).map((d) => begin(d, T - 2 * IN_FLIGHT_MS)));
        }
        // Like reconcile(): every call is a new owner, and a call that finds nothing ends it.
        const drain = async (name: string) => {
          const mine: string[] = [];
          for (let call = 0; ; call++) {
            const batch = await claim(`${name}-${call}`, T, { limit: 25 });
            if (batch.length === 0) return mine;
            mine.push(...batch.map((i) => i.idempotencyKey));
          }
        };
        const [a, b] = await Promise.all([drain('reconciler-a'), drain('reconciler-b')]);
        expect(new Set(a).size).toBe(a.length);
        expect(new Set(b).size).toBe(b.length);
        expect(a.filter((key) => b.includes(key))).toEqual([]);
        expect(a.length + b.length).toBe(count);
        // Leases still live: nobody else gets any of them.
        expect(await claim('reconciler-c', T + 1)).toEqual([]);
        // Expired: claimable again.
        expect(await claim('reconciler-c', T + 60_001, { limit: count })).toHaveLength(count);
      });
    });

    describe.runIf(harness.twoInstances)('two instances over the same storage', () => {
      const pair = async () => {
        const journals = await harness.twoInstances?.();
        if (!journals) throw new Error('twoInstances missing');
        return journals;
      };

      it("an answer applied by one instance is not overwritten by the other's stale copy", async () => {
        const [a, b] = await pair();
        try {
          const d = draft();
          expect((await a.begin(d, { now: T, ignoreUnresolved: false })).action).toBe('send');
          const failed = await b.apply(
            provider,
            d.idempotencyKey,
            event({ source: 'inquiry', verdict: 'failed', at: T + 2 }),
          );
          expect(failed?.state).toBe('failed');
          // a still holds the `sending` intent it wrote; the row moved on without it.
          const after = await a.apply(
            provider,
            d.idempotencyKey,
            event({ verdict: 'succeeded', at: T + 3 }),
          );
          expect(after).toEqual(failed);
          expect(await b.get(provider, d.idempotencyKey)).toEqual(failed);

          const gone = draft();
          await a.begin(gone, { now: T, ignoreUnresolved: false });
          expect(
            await b.apply(provider, gone.idempotencyKey, event({ verdict: 'not_sent' })),
          ).toBeUndefined();
          expect(
            await a.apply(provider, gone.idempotencyKey, event({ verdict: 'succeeded' })),
          ).toBeUndefined();
          expect(await a.get(provider, gone.idempotencyKey)).toBeUndefined();
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      });

      it('a key deleted and begun again: a copy from before the delete passes no compare-and-set', async () => {
        const [a, b] = await pair();
        try {
          const d = draft({ reference: 'first' });
          // a wrote the intent and keeps its copy for the answer it awaits.
          expect((await a.begin(d, { now: T, ignoreUnresolved: false })).action).toBe('send');
          // b: past the window an inquiry finds nothing under the key: the row is deleted…
          const late = T + IN_FLIGHT_MS + 1;
          expect(
            await b.apply(
              provider,
              d.idempotencyKey,
              event({ source: 'inquiry', verdict: 'absent', at: late }),
            ),
          ).toBeUndefined();
          // …and the key is begun again (the same capture sent again), a new row.
          const again = await b.begin(
            { ...d, reference: 'second' },
            { now: late + 1, ignoreUnresolved: false },
          );
          expect(again.action).toBe('send');
          // a's answer lands on the row as it is now, not on a's copy of the deleted one.
          const after = await a.apply(
            provider,
            d.idempotencyKey,
            event({ verdict: 'unknown', at: late + 2 }),
          );
          expect(after).toMatchObject({ reference: 'second', createdAt: late + 1 });
          expect(after).toEqual(await b.get(provider, d.idempotencyKey));
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      });

      it("each sees the other's intents: unresolved across instances, replay across instances", async () => {
        const [a, b] = await pair();
        try {
          const first = draft();
          const sentByA = await a.begin(first, { now: T, ignoreUnresolved: false });
          const second = draft({ paymentId: first.paymentId });
          expect(await b.begin(second, { now: T + 1, ignoreUnresolved: false })).toEqual({
            action: 'unresolved',
            intent: sentByA.intent,
          });
          const done = await a.apply(
            provider,
            first.idempotencyKey,
            event({ verdict: 'succeeded' }),
          );
          expect(await b.begin(first, { now: T + 5, ignoreUnresolved: false })).toEqual({
            action: 'replay',
            intent: done,
          });
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      });
    });

    describe('webhook events', () => {
      it('remembers handled event ids per provider, for eventTtlMs', async () => {
        expect(await journal.hasEvent(provider, 'evt_1')).toBe(false);
        await journal.rememberEvent(provider, 'evt_1', Date.now());
        expect(await journal.hasEvent(provider, 'evt_1')).toBe(true);
        expect(await journal.hasEvent(`${provider}-other`, 'evt_1')).toBe(false);
        // Seen three days ago: past the 48 h default, forgotten.
        await journal.rememberEvent(provider, 'evt_old', Date.now() - 3 * 86_400_000);
        expect(await journal.hasEvent(provider, 'evt_old')).toBe(false);
      });
    });
  });
}

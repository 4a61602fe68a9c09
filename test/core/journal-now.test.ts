import fc from 'fast-check';
import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createCaptureClient } from '../../src/core/client.js';
import type { IntentDraft, IntentEvent } from '../../src/core/intents.js';
import type { CaptureJournal } from '../../src/core/journal.js';
import { journalNow } from '../../src/core/journal-now.js';
import { memoryJournal } from '../../src/core/memory-journal.js';
import {
  ANY_DELIVERY,
  awaitedOnly,
  eventSourceArb,
  ONE_EVENT,
  oneEventAdapter,
  verdictArb,
} from './core-fixtures.js';
import { scriptedProvider } from './scripted-provider.js';

/**
 * The memory journal's same-turn face (src/core/journal-now.ts) must be the journal itself,
 * answered without a promise: the oracle is the same journal's awaited methods, which every
 * custom journal's caller uses.
 */

const T = 1_800_000_000_000;

type Step =
  | {
      readonly op: 'begin';
      readonly key: string;
      readonly payment: string;
      readonly at: number;
      readonly ignore: boolean;
    }
  | { readonly op: 'apply'; readonly key: string; readonly event: IntentEvent }
  | { readonly op: 'list'; readonly payment: string };

const keyArb = fc.constantFrom('k1', 'k2', 'k3', 'k4');
const paymentArb = fc.constantFrom('pay_1', 'pay_2', 'pay_3');
const eventArb: fc.Arbitrary<IntentEvent> = fc.record(
  {
    source: eventSourceArb,
    verdict: verdictArb,
    at: fc.integer({ min: T, max: T + 5_000 }),
    transient: fc.boolean(),
    captureId: fc.constantFrom('cap_1', 'cap_2'),
  },
  { requiredKeys: ['source', 'verdict', 'at'] },
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('begin' as const),
    key: keyArb,
    payment: paymentArb,
    at: fc.integer({ min: T, max: T + 5_000 }),
    ignore: fc.boolean(),
  }),
  fc.record({ op: fc.constant('apply' as const), key: keyArb, event: eventArb }),
  fc.record({ op: fc.constant('list' as const), payment: paymentArb }),
);

function draftOf(key: string, payment: string): IntentDraft {
  return {
    provider: 'p',
    kind: 'k',
    idempotencyKey: key,
    paymentId: payment,
    final: true,
    amount: { currency: 'EUR', value: 100n },
    inFlightMs: 1_000,
  };
}

/** What one step answers, through the face or through the awaited method. */
async function run(journal: CaptureJournal, step: Step, sameTurn: boolean): Promise<unknown> {
  const face = sameTurn ? journalNow(journal) : undefined;
  if (sameTurn && face === undefined) throw new Error('the memory journal has no face');
  try {
    if (step.op === 'begin') {
      const draft = draftOf(step.key, step.payment);
      const options = { now: step.at, ignoreUnresolved: step.ignore };
      return face ? face.begin(draft, options) : await journal.begin(draft, options);
    }
    if (step.op === 'apply') {
      return face
        ? face.apply('p', step.key, step.event)
        : await journal.apply('p', step.key, step.event);
    }
    const query = { provider: 'p', paymentId: step.payment, limit: 1_000 };
    return face ? [...face.list(query)] : await journal.list(query);
  } catch (error) {
    return { threw: String(error) };
  }
}

describe('journalNow: the memory journal answered in the same turn', () => {
  it('exists for memoryJournal() only: a custom or wrapped journal is awaited', () => {
    const journal = memoryJournal();
    expect(journalNow(journal)).toBeDefined();
    expect(journalNow(awaitedOnly(journal))).toBeUndefined();
    expect(journalNow({ ...journal })).toBeUndefined();
  });

  it('a method replaced on the journal object is called, not the face', async () => {
    const journal = memoryJournal();
    const calls: string[] = [];
    const { begin, apply } = journal;
    journal.begin = (draft, options) => {
      calls.push('begin');
      return begin(draft, options);
    };
    expect(journalNow(journal)).toBeUndefined();
    journal.begin = begin;
    expect(journalNow(journal)).toBeDefined();
    journal.apply = (provider, key, event) => {
      calls.push('apply');
      return apply(provider, key, event);
    };
    const client = createCaptureClient({
      providers: { t: scriptedProvider({ captures: [{ status: 'succeeded' }] }) },
      journal,
    });
    const captured = await client.capture({
      provider: 't',
      paymentId: 'pay_1',
      amount: { currency: 'EUR', value: 100n },
      idempotencyKey: 'k1',
    });
    expect(captured.isOk()).toBe(true);
    expect(calls).toEqual(['apply']);
  });

  it('answers every begin, apply and payment lookup as the awaited methods do', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        async (steps, maxOpen) => {
          const awaited = memoryJournal({ maxOpen, maxSettled: 2, now: () => T });
          const sameTurn = memoryJournal({ maxOpen, maxSettled: 2, now: () => T });
          for (const step of steps) {
            expect(await run(sameTurn, step, true)).toEqual(await run(awaited, step, false));
          }
          expect(await sameTurn.list({ limit: 1_000 })).toEqual(
            await awaited.list({ limit: 1_000 }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a payment lookup with nothing found hands list() callers an array of their own', async () => {
    const journal = memoryJournal();
    const face = journalNow(journal);
    expect(Object.isFrozen(face?.list({ provider: 'p', paymentId: 'pay_x' }))).toBe(true);
    const listed = await journal.list({ provider: 'p', paymentId: 'pay_x' });
    expect(Object.isFrozen(listed)).toBe(false);
    expect(listed).toEqual([]);
  });

  it('a client gives the same results and leaves the same intents with or without the face', async () => {
    const outcomes = async (journal: CaptureJournal) => {
      const adapter = scriptedProvider({
        captures: [
          { status: 'pending' },
          { status: 'succeeded' },
          { code: 'timeout', outcome: 'unknown' },
          { status: 'pending' },
        ],
      });
      const client = createCaptureClient({ providers: { t: adapter }, journal, now: () => T });
      const results = [];
      for (const [i, paymentId] of ['pay_a', 'pay_b', 'pay_c', 'pay_c', 'pay_d'].entries()) {
        const result = await client.capture({
          provider: 't',
          paymentId,
          amount: { currency: 'EUR', value: 100n },
          idempotencyKey: `k${i}`,
        });
        results.push(result.isOk() ? result.value : { ...result.error, cause: undefined });
      }
      return { results, intents: await client.intents({ limit: 100 }) };
    };
    expect(await outcomes(memoryJournal())).toEqual(await outcomes(awaitedOnly(memoryJournal())));
  });

  it('a webhook settles its intent through the face as through the awaited journal', async () => {
    const settle = async (journal: CaptureJournal) => {
      const adapter = oneEventAdapter(async () => ok(ONE_EVENT), 'cap_1');
      const client = createCaptureClient({ providers: { t: adapter }, journal, now: () => T });
      const captured = await client.capture({
        provider: 't',
        paymentId: ONE_EVENT.paymentId,
        amount: { currency: 'EUR', value: 100n },
        idempotencyKey: 'k1',
      });
      const event = await client.parseWebhook('t', ANY_DELIVERY);
      return {
        captured: captured.isOk(),
        event: event.isOk(),
        intent: await journal.get('t', 'k1'),
      };
    };
    const withFace = await settle(memoryJournal());
    expect(withFace.intent?.state).toBe('succeeded');
    expect(withFace).toEqual(await settle(awaitedOnly(memoryJournal())));
  });
});

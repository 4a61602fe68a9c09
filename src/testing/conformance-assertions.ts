import type { CaptureCapabilities } from '../core/capabilities.js';
import type { SimulatedCapture, SimulatedPaymentState } from './harness.js';

/**
 * What {@link assertSingleCapture} expects to find at the simulator.
 *
 * @example
 * ```ts
 * const expected: ExpectedCapture = { idempotencyKey: 'order-5023-capture-1', amount: 6540n, status: 'succeeded' };
 * ```
 */
export interface ExpectedCapture {
  readonly idempotencyKey: string;
  /** Minor units. */
  readonly amount: bigint;
  /** When set, the one capture must have this status. */
  readonly status?: SimulatedCapture['status'];
}

/**
 * The money-safety check at the end of every conformance scenario: the simulator (the
 * ground truth) holds exactly ONE live capture (succeeded or processing) for the key, for
 * exactly the intended amount. Throws an `Error` that says what it found otherwise, so a
 * provider that double-captures on retry cannot pass.
 *
 * @returns The one capture found.
 * @example
 * ```ts
 * const trace = await resolveUntilFinal(client, request, { settle: () => sim.settle() });
 * assertSingleCapture(await sim.payment(paymentId), { idempotencyKey: request.idempotencyKey, amount: 6540n });
 * ```
 */
export function assertSingleCapture(
  state: SimulatedPaymentState,
  expected: ExpectedCapture,
): SimulatedCapture {
  const live = state.captures.filter(
    (capture) => capture.idempotencyKey === expected.idempotencyKey && capture.status !== 'failed',
  );
  const where = `idempotency key ${JSON.stringify(expected.idempotencyKey)} on payment ${state.paymentId}`;
  const [only] = live;
  if (live.length !== 1 || only === undefined) {
    const amounts = live.map((capture) => `${capture.amount} (${capture.status})`).join(', ');
    throw new Error(
      `Expected exactly one capture with ${where}, found ${live.length}${amounts ? `: ${amounts}` : ''}. ` +
        'A retry with the same key must never capture twice.',
    );
  }
  if (only.amount !== expected.amount) {
    throw new Error(
      `The capture with ${where} took ${only.amount} ${state.authorized.currency}, but ${expected.amount} was intended.`,
    );
  }
  if (expected.status !== undefined && only.status !== expected.status) {
    throw new Error(
      `The capture with ${where} is ${only.status} at the provider, but ${expected.status} was reported.`,
    );
  }
  return only;
}

/**
 * Asserts that nothing was captured on the payment (a refusal, a preflight `unsupported`, a
 * `not_attempted` error): no live capture and a captured total of zero.
 *
 * @example
 * ```ts
 * assertNoCapture(await sim.payment(paymentId));
 * ```
 */
export function assertNoCapture(state: SimulatedPaymentState): void {
  const live = state.captures.filter((capture) => capture.status !== 'failed');
  if (live.length > 0 || state.capturedTotal !== 0n) {
    throw new Error(
      `Expected no capture on payment ${state.paymentId}, found ${live.length} (captured total ${state.capturedTotal}).`,
    );
  }
}

/** Words that must appear in a reason explaining each flag that can be off. */
const FLAG_WORDS: Readonly<Record<string, RegExp>> = {
  fullCapture: /full/i,
  partialCapture: /partial/i,
  multipleCaptures: /multiple|more than one|several|non-?final/i,
  finalCaptureFlag: /final|last/i,
  webhooks: /webhook|notif/i,
};

/**
 * Checks the shape of a {@link CaptureCapabilities} answer and that every flag that is off
 * is explained by a reason naming it (the preflight quotes that reason to the caller).
 *
 * @returns One sentence per problem; empty when the answer is sound.
 * @example
 * ```ts
 * const problems = capabilityProblems(client.capabilities('antom', { cardBrand: 'visa' }));
 * if (problems.length > 0) throw new Error(problems.join('\n'));
 * ```
 */
export function capabilityProblems(caps: CaptureCapabilities): string[] {
  const problems: string[] = [];
  const flags = [
    'fullCapture',
    'partialCapture',
    'multipleCaptures',
    'finalCaptureFlag',
    'amountRequired',
    'webhooks',
  ] as const;
  for (const flag of flags) {
    if (typeof caps[flag] !== 'boolean') problems.push(`${flag} must be a boolean.`);
  }
  if (caps.resultDelivery !== 'synchronous' && caps.resultDelivery !== 'asynchronous') {
    problems.push(`resultDelivery must be 'synchronous' or 'asynchronous'.`);
  }
  for (const field of ['maxCaptures', 'captureWindowDays'] as const) {
    const value = caps[field];
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      problems.push(`${field} must be a positive integer when set.`);
    }
  }
  if (!Array.isArray(caps.reasons)) return [...problems, 'reasons must be an array of sentences.'];
  if (caps.reasons.some((reason) => typeof reason !== 'string' || reason.trim() === '')) {
    problems.push('reasons must hold only non-empty sentences.');
  }
  for (const [flag, words] of Object.entries(FLAG_WORDS)) {
    if (caps[flag as keyof CaptureCapabilities] !== false) continue;
    if (!caps.reasons.some((reason) => typeof reason === 'string' && words.test(reason))) {
      problems.push(
        `${flag} is false but no reason explains it (a reason matching ${words} is expected).`,
      );
    }
  }
  return problems;
}

/**
 * A payment id the provider cannot know but whose format matches a real one: the last
 * eight letters and digits are mirrored (`0`↔`9`, `a`↔`z`, `A`↔`Z`), so prefixes, length
 * and character classes survive and even sequential ids cannot collide.
 *
 * @example
 * ```ts
 * unknownPaymentId('pay_0001'); // 'pay_9998'
 * unknownPaymentId('20260101abcdEF12'); // '20260101zyxwVU87'
 * ```
 */
export function unknownPaymentId(existing: string): string {
  const chars = [...existing];
  let mirrored = 0;
  for (let index = chars.length - 1; index >= 0 && mirrored < 8; index -= 1) {
    const char = chars[index] ?? '';
    const flipped = mirrorChar(char);
    if (flipped === undefined) continue;
    chars[index] = flipped;
    mirrored += 1;
  }
  return chars.join('');
}

function mirrorChar(char: string): string | undefined {
  const ranges: readonly [string, string][] = [
    ['0', '9'],
    ['a', 'z'],
    ['A', 'Z'],
  ];
  const code = char.charCodeAt(0);
  for (const [low, high] of ranges) {
    const lowCode = low.charCodeAt(0);
    const highCode = high.charCodeAt(0);
    if (code >= lowCode && code <= highCode) return String.fromCharCode(lowCode + highCode - code);
  }
  return undefined;
}

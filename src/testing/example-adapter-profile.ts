import type { CaptureCapabilities } from '../core/capabilities.js';

/** Days an authorization of the example backend can be captured. */
export const CAPTURE_WINDOW_DAYS = 7;
/** Captures one payment of the example backend accepts. */
export const MAX_CAPTURES = 10;

/**
 * Deliberate bugs, so tests can prove the conformance suite's checks catch them.
 *
 * @example
 * ```ts
 * const harness = await startExampleHarness(ctx, { bugs: { ignoreIdempotencyKey: true } });
 * ```
 */
export interface ExampleAdapterBugs {
  /** A repeated idempotency key records a new capture instead of replaying the first. */
  readonly ignoreIdempotencyKey?: boolean;
  /** The inquiry never finds a capture (answers capture_not_found). */
  readonly inquiryNeverFinds?: boolean;
  /** Records the full remaining amount whatever was asked, but answers with the amount asked. */
  readonly recordsWrongAmount?: boolean;
  /** Captures stay processing forever. */
  readonly neverSettles?: boolean;
}

/**
 * `standard`: synchronous, everything allowed. `strict`: full-only, asynchronous, amount required.
 *
 * @example
 * ```ts
 * const harness = await startExampleHarness(ctx, { profile: 'strict' });
 * ```
 */
export type ExampleAdapterProfile = 'standard' | 'strict';

/**
 * Options of {@link startExampleHarness}.
 *
 * @example
 * ```ts
 * const options: ExampleHarnessOptions = { profile: 'standard', bugs: {} };
 * ```
 */
export interface ExampleHarnessOptions {
  /** Default `'standard'`. */
  readonly profile?: ExampleAdapterProfile;
  /** Default none. */
  readonly bugs?: ExampleAdapterBugs;
}

const STRICT_REASONS = [
  'Partial capture is off in the strict memory profile: capture the full authorized amount.',
  'Multiple captures are off in the strict memory profile: one capture closes the payment.',
  'The final capture flag is off in the strict memory profile: every capture is final.',
];

/** What the example adapter declares for a profile: the conformance suite holds it to this. */
export function capabilitiesFor(profile: ExampleAdapterProfile): CaptureCapabilities {
  const strict = profile === 'strict';
  return {
    fullCapture: true,
    partialCapture: !strict,
    multipleCaptures: !strict,
    finalCaptureFlag: !strict,
    amountRequired: strict,
    maxCaptures: MAX_CAPTURES,
    captureWindowDays: CAPTURE_WINDOW_DAYS,
    resultDelivery: strict ? 'asynchronous' : 'synchronous',
    webhooks: true,
    reasons: strict ? STRICT_REASONS : [],
  };
}

/**
 * Exit codes of the `capture-kit` command. Scripts branch on these, so they never change
 * meaning; new ones are only added.
 */
export const EXIT = {
  /** Success: the capture succeeded or is pending, the webhook verified, the demo passed. */
  ok: 0,
  /** The demo ran and at least one scenario did not end as expected; or an internal error. */
  failure: 1,
  /** A flag or argument is wrong; the message names it. */
  usage: 2,
  /** The configuration (environment or --config file) is missing or invalid. */
  config: 3,
  /** `outcome: 'not_attempted'`: nothing was sent. */
  notAttempted: 10,
  /** `outcome: 'failed'`: the provider declined; no money moved. */
  failed: 11,
  /** `outcome: 'unknown'`: money may have moved — resolve before anything else. */
  unknown: 12,
  /** The webhook did not verify (bad signature or payload). */
  webhookRejected: 13,
} as const;

/**
 * What each exit code means, in the words `docs/cli.md` uses (generated from this table).
 */
export const EXIT_MEANINGS: Readonly<Record<keyof typeof EXIT, string>> = {
  ok: 'Success: the capture succeeded or is pending, the resolve found it, the webhook verified, the demo passed, help or version printed.',
  failure: 'The demo ran and a scenario did not end as expected; or an internal error.',
  usage: 'A flag, argument or --provider is wrong (the message names it). Nothing was sent.',
  config:
    'The configuration (environment variables or the --config file) is missing or invalid; the message names the variable or key. Nothing was sent.',
  notAttempted:
    "outcome 'not_attempted': nothing was sent (validation, capability preflight, no connection). Fix the cause and run it again.",
  failed:
    "outcome 'failed': the provider declined, or resolve found no capture for the key (capture_not_found). No money moved.",
  unknown:
    "outcome 'unknown': money may have moved. Run capture-kit resolve with the SAME key before anything else; never capture again with a new key.",
  webhookRejected: 'The webhook did not verify (bad signature or payload).',
};

/** An error whose message is meant for the person at the terminal, with its exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

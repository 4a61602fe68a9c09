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

#!/usr/bin/env node
import { capabilitiesCommand } from './commands/capabilities-command.js';
import { captureCommand } from './commands/capture-command.js';
import { demoCommand } from './commands/demo-command.js';
import { journalCommand } from './commands/journal-command.js';
import { resolveCommand } from './commands/resolve-command.js';
import { webhookCommand } from './commands/webhook-command.js';
import { CliError, EXIT } from './exit-codes.js';
import { type CliIo, writeLine } from './io.js';
import { refuseSecretFlags } from './parse-flags.js';

export const MAIN_HELP = `Usage: capture-kit <command> [flags]

Commands:
  demo            run every provider through the built-in simulators (no account, no network)
  capabilities    what each configured provider allows for a payment
  capture         capture an authorized payment
  resolve         find out what became of a capture (after "unknown" or "pending")
  webhook verify  verify and parse a saved webhook delivery

Run "capture-kit <command> --help" for a command's flags, configuration and exit codes.

Exit codes: 0 ok; 1 demo scenario failed or internal error; 2 bad flag; 3 configuration error;
            10 not attempted; 11 failed; 12 unknown outcome; 13 webhook rejected.`;

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  demo: demoCommand,
  capabilities: capabilitiesCommand,
  capture: captureCommand,
  resolve: resolveCommand,
  webhook: webhookCommand,
  journal: journalCommand,
};

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    writeLine(command === undefined ? io.stderr : io.stdout, MAIN_HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const run = COMMANDS[command];
  if (!run) {
    writeLine(io.stderr, `Unknown command ${JSON.stringify(command)}.\n\n${MAIN_HELP}`);
    return EXIT.usage;
  }
  try {
    refuseSecretFlags(rest);
    return await run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      writeLine(io.stderr, error.message);
      return error.exitCode;
    }
    writeLine(
      io.stderr,
      `capture-kit ${command}: internal error: ${error instanceof Error ? error.message : String(error)}`,
    );
    return EXIT.failure;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined &&
  /(?:^|[\\/])(main\.(?:ts|js)|capture-kit)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`capture-kit: ${String(error)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}

import { capabilitiesCommand } from './commands/capabilities-command.js';
import { captureCommand } from './commands/capture-command.js';
import { demoCommand } from './commands/demo-command.js';
import { journalCommand } from './commands/journal-command.js';
import { reconcileCommand } from './commands/reconcile-command.js';
import { resolveCommand } from './commands/resolve-command.js';
import { webhookCommand } from './commands/webhook-command.js';
import { CliError, EXIT } from './exit-codes.js';
import { type CliIo, writeLine } from './io.js';
import { refuseSecretFlags, shown } from './parse-flags.js';
import { cliVersion } from './version.js';

const MAIN_HELP = `Usage: capture-kit <command> [flags]
       capture-kit --version

Commands:
  demo            run every provider through the built-in simulators (no account, no network)
  capabilities    what each provider allows for a payment (needs no credentials)
  capture         capture an authorized payment
  resolve         find out what became of a capture (after "unknown" or "pending")
  reconcile       resolve the durable journal's open captures (run it on a schedule)
  webhook verify  verify and parse a saved webhook delivery

Run "capture-kit <command> --help" for a command's flags, configuration and exit codes.

Exit codes: 0 ok; 1 demo scenario failed or internal error; 2 bad flag, argument or --provider;
            3 configuration error;
            10 not attempted; 11 failed; 12 unknown outcome; 13 webhook rejected.`;

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  demo: demoCommand,
  capabilities: capabilitiesCommand,
  capture: captureCommand,
  resolve: resolveCommand,
  webhook: webhookCommand,
  journal: journalCommand,
  reconcile: reconcileCommand,
};

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    writeLine(command === undefined ? io.stderr : io.stdout, MAIN_HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    writeLine(io.stdout, cliVersion());
    return EXIT.ok;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    writeLine(io.stderr, `Unknown command ${shown(command)}.\n\n${MAIN_HELP}`);
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

import { CONFIG_HELP } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { type CliIo, writeLine } from '../io.js';
import { openClient } from '../open-client.js';
import { COMMON_FLAGS, parseFlags, requireFlag } from '../parse-flags.js';
import { reportResult } from './outcome-exit.js';

const RESOLVE_HELP = `Usage: capture-kit resolve --provider <name> --payment-id <id> --idempotency-key <key>
                            [--capture-id <id>] [--reference <ref>] [--json] [--config <file>]

Asks the provider what became of the capture sent with --idempotency-key (after an
"unknown" outcome, or to follow a "pending" one). "capture_not_found" means no capture
exists for that key: it is then safe to capture again with the SAME key.

${CONFIG_HELP}

Exit codes: 0 succeeded or pending; 2 bad flag or unknown --provider; 3 configuration error;
            10 not attempted; 11 failed (declined, or capture_not_found); 12 still unknown —
            including when the inquiry itself failed (401, 429, no connection): run it again.`;

const FLAGS = {
  ...COMMON_FLAGS,
  provider: { type: 'string' },
  'payment-id': { type: 'string' },
  'idempotency-key': { type: 'string' },
  'capture-id': { type: 'string' },
  reference: { type: 'string' },
} as const;

/** `capture-kit resolve`. */
export async function resolveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('resolve', argv, FLAGS);
  if (values.help) {
    writeLine(io.stdout, RESOLVE_HELP);
    return EXIT.ok;
  }
  const provider = requireFlag('resolve', values, 'provider');
  const paymentId = requireFlag('resolve', values, 'payment-id');
  const idempotencyKey = requireFlag('resolve', values, 'idempotency-key');
  const client = openClient('resolve', values.config, io.env, provider);
  try {
    const result = await client.resolve({
      provider,
      paymentId,
      idempotencyKey,
      ...(values['capture-id'] ? { captureId: values['capture-id'] } : {}),
      ...(values.reference ? { reference: values.reference } : {}),
    });
    return reportResult(io, Boolean(values.json), result);
  } finally {
    await client.close();
  }
}

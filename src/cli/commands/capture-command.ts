import type { CaptureRequest } from '../../core/capture-request.js';
import { CONFIG_HELP } from '../config.js';
import { CliError, EXIT } from '../exit-codes.js';
import { type CliIo, writeLine } from '../io.js';
import { openClient } from '../open-client.js';
import { COMMON_FLAGS, minorUnitsFlag, parseFlags, requireFlag } from '../parse-flags.js';
import { reportResult } from './outcome-exit.js';

const CAPTURE_HELP = `Usage: capture-kit capture --provider <name> --payment-id <id>
                            [--amount <minor units> --currency <ISO>] [--final | --not-final]
                            [--idempotency-key <key>] [--reference <ref>] [--metadata key=value ...]
                            [--authorized-amount <minor units>] [--card-brand <brand>] [--issuer-country <CC>]
                            [--json] [--config <file>]

Captures an authorized payment. Amounts are integers in minor units (3500 = EUR 35.00).
Without --amount the full remaining amount is captured. --final (the default) makes this the
last capture; --not-final says more captures follow.
The idempotency key is printed on every outcome: keep it. After an "unknown" outcome run
"capture-kit resolve" with the same key; never capture again with a new key.

${CONFIG_HELP}

Exit codes: 0 succeeded or pending; 2 bad flag or unknown --provider; 3 configuration error;
            10 not attempted (nothing sent); 11 failed (declined, no money moved);
            12 unknown (money may have moved: resolve first).`;

const FLAGS = {
  ...COMMON_FLAGS,
  provider: { type: 'string' },
  'payment-id': { type: 'string' },
  amount: { type: 'string' },
  currency: { type: 'string' },
  final: { type: 'boolean' },
  'not-final': { type: 'boolean' },
  'idempotency-key': { type: 'string' },
  reference: { type: 'string' },
  metadata: { type: 'string', multiple: true },
  'authorized-amount': { type: 'string' },
  'card-brand': { type: 'string' },
  'issuer-country': { type: 'string' },
} as const;

function parseMetadata(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new CliError(
        `--metadata values must look like key=value (one is not; it is not shown, as it could be a secret).`,
        EXIT.usage,
      );
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** `capture-kit capture`. */
export async function captureCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('capture', argv, FLAGS);
  if (values.help) {
    writeLine(io.stdout, CAPTURE_HELP);
    return EXIT.ok;
  }
  const provider = requireFlag('capture', values, 'provider');
  const paymentId = requireFlag('capture', values, 'payment-id');
  if (
    (values.amount === undefined) !== (values.currency === undefined) &&
    values['authorized-amount'] === undefined
  ) {
    throw new CliError(
      '--amount and --currency go together: give both, or neither for a full capture.',
      EXIT.usage,
    );
  }
  if (values['authorized-amount'] !== undefined && values.currency === undefined) {
    throw new CliError('--authorized-amount needs --currency.', EXIT.usage);
  }
  if (values.final && values['not-final']) {
    throw new CliError('--final and --not-final contradict each other: give one.', EXIT.usage);
  }
  // Checked here, before a client exists: a bad amount is a usage error, and no
  // idempotency key is generated for a capture that was never going to be sent.
  const amount =
    values.amount === undefined ? undefined : minorUnitsFlag('capture', 'amount', values.amount);
  const authorized =
    values['authorized-amount'] === undefined
      ? undefined
      : minorUnitsFlag('capture', 'authorized-amount', values['authorized-amount']);
  const metadata = parseMetadata(values.metadata);
  const currency = values.currency ?? '';
  const request: CaptureRequest = {
    provider,
    paymentId,
    final: !values['not-final'],
    ...(amount !== undefined ? { amount: { currency, value: amount } } : {}),
    ...(authorized !== undefined ? { authorizedAmount: { currency, value: authorized } } : {}),
    ...(values['idempotency-key'] ? { idempotencyKey: values['idempotency-key'] } : {}),
    ...(values.reference ? { reference: values.reference } : {}),
    ...(metadata ? { metadata } : {}),
    ...(values['card-brand'] || values['issuer-country']
      ? {
          context: {
            ...(values['card-brand'] ? { cardBrand: values['card-brand'] } : {}),
            ...(values['issuer-country'] ? { issuerCountry: values['issuer-country'] } : {}),
          },
        }
      : {}),
  };
  const client = openClient('capture', values.config, io.env, provider);
  try {
    const result = await client.capture(request);
    return reportResult(io, Boolean(values.json), result);
  } finally {
    await client.close();
  }
}

import type { CaptureRequest } from '../../core/capture-request.js';
import { createCaptureClient } from '../../core/client.js';
import { CONFIG_HELP, loadProviders } from '../config.js';
import { CliError, EXIT } from '../exit-codes.js';
import { type CliIo, writeLine } from '../io.js';
import { COMMON_FLAGS, parseFlags, requireFlag } from '../parse-flags.js';
import { reportResult } from './outcome-exit.js';

export const CAPTURE_HELP = `Usage: capture-kit capture --provider <name> --payment-id <id>
                            [--amount <minor units> --currency <ISO>] [--not-final]
                            [--idempotency-key <key>] [--reference <ref>] [--metadata key=value ...]
                            [--authorized-amount <minor units>] [--card-brand <brand>] [--issuer-country <CC>]
                            [--json] [--config <file>]

Captures an authorized payment. Amounts are integers in minor units (3500 = EUR 35.00).
Without --amount the full remaining amount is captured. --not-final says more captures follow.
The idempotency key is printed on every outcome: keep it. After an "unknown" outcome run
"capture-kit resolve" with the same key; never capture again with a new key.

${CONFIG_HELP}

Exit codes: 0 succeeded or pending; 2 bad flag; 3 configuration error;
            10 not attempted (nothing sent); 11 failed (declined, no money moved);
            12 unknown (money may have moved: resolve first).`;

const FLAGS = {
  ...COMMON_FLAGS,
  provider: { type: 'string' },
  'payment-id': { type: 'string' },
  amount: { type: 'string' },
  currency: { type: 'string' },
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
        `--metadata ${JSON.stringify(pair)} must look like key=value.`,
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
  const metadata = parseMetadata(values.metadata);
  const currency = values.currency ?? '';
  const request: CaptureRequest = {
    provider,
    paymentId,
    final: !values['not-final'],
    ...(values.amount !== undefined ? { amount: { currency, value: values.amount } } : {}),
    ...(values['authorized-amount'] !== undefined
      ? { authorizedAmount: { currency, value: values['authorized-amount'] } }
      : {}),
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
  const client = createCaptureClient({ providers: loadProviders(values.config, io.env) });
  try {
    const result = await client.capture(request);
    return reportResult(io, Boolean(values.json), result);
  } finally {
    await client.close();
  }
}

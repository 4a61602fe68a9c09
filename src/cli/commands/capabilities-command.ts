import type { CapabilityContext } from '../../core/capabilities.js';
import { createCaptureClient } from '../../core/client.js';
import { CONFIG_HELP, loadProviders } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { type CliIo, writeLine } from '../io.js';
import { toJson } from '../output.js';
import { COMMON_FLAGS, parseFlags } from '../parse-flags.js';

export const CAPABILITIES_HELP = `Usage: capture-kit capabilities [--provider <name>] [--card-brand <brand>] [--issuer-country <CC>]
                                 [--currency <ISO>] [--payment-method <type>] [--json] [--config <file>]

Prints what each configured provider (or only --provider) allows for a payment with these facts:
full / partial / multiple captures, the final-capture flag, limits, and why a flag is off.

${CONFIG_HELP}

Exit codes: 0 printed; 2 bad flag; 3 configuration error.`;

const FLAGS = {
  ...COMMON_FLAGS,
  provider: { type: 'string' },
  'card-brand': { type: 'string' },
  'issuer-country': { type: 'string' },
  currency: { type: 'string' },
  'payment-method': { type: 'string' },
} as const;

/** `capture-kit capabilities`. */
export async function capabilitiesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('capabilities', argv, FLAGS);
  if (values.help) {
    writeLine(io.stdout, CAPABILITIES_HELP);
    return EXIT.ok;
  }
  const client = createCaptureClient({ providers: loadProviders(values.config, io.env) });
  try {
    const context: CapabilityContext = {
      ...(values['card-brand'] ? { cardBrand: values['card-brand'] } : {}),
      ...(values['issuer-country'] ? { issuerCountry: values['issuer-country'] } : {}),
      ...(values.currency ? { currency: values.currency } : {}),
      ...(values['payment-method'] ? { paymentMethod: values['payment-method'] } : {}),
    };
    const names = values.provider ? [values.provider] : client.providers;
    const out: Record<string, unknown> = {};
    for (const name of names) {
      if (!client.providers.includes(name)) {
        writeLine(
          io.stderr,
          `--provider ${name} is not configured; configured: ${client.providers.join(', ')}.`,
        );
        return EXIT.usage;
      }
      out[name] = client.capabilities(name, context);
    }
    writeLine(io.stdout, toJson(out));
    return EXIT.ok;
  } finally {
    await client.close();
  }
}

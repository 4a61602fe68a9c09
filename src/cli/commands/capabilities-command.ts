import type { CapabilityContext, CaptureCapabilities } from '../../core/capabilities.js';
import { forCli } from '../cli-wording.js';
import { CONFIG_HELP, configuredProviders } from '../config.js';
import { CliError, EXIT } from '../exit-codes.js';
import { type CliIo, writeLine } from '../io.js';
import { createStyler, formatTable, toJson } from '../output.js';
import { COMMON_FLAGS, parseFlags, shown } from '../parse-flags.js';
import { KINDS, PROVIDER_KINDS } from '../provider-kinds.js';

const CAPABILITIES_HELP = `Usage: capture-kit capabilities [--provider <name>] [--card-brand <brand>] [--issuer-country <CC>]
                                 [--currency <ISO>] [--payment-method <type>] [--json] [--config <file>]

Prints what each provider allows for a payment with these facts: full / partial / multiple
captures, the final-capture flag, limits, and why a flag is off. Needs no credentials and
no network: with nothing configured it shows every kind (${KINDS.join(', ')}) with
its default settings; with a configuration, the configured providers (Antom's "contract"
setting changes its answer).

Prints a table; --json prints one JSON object keyed by provider name instead.

${CONFIG_HELP}

Exit codes: 0 printed; 2 bad flag or unknown --provider; 3 configuration error.`;

const FLAGS = {
  ...COMMON_FLAGS,
  provider: { type: 'string' },
  'card-brand': { type: 'string' },
  'issuer-country': { type: 'string' },
  currency: { type: 'string' },
  'payment-method': { type: 'string' },
} as const;

const yesNo = (on: boolean) => (on ? 'yes' : 'no');

function table(answers: Readonly<Record<string, CaptureCapabilities>>): string {
  const rows = Object.entries(answers).map(([name, c]) => [
    name,
    yesNo(c.fullCapture),
    yesNo(c.partialCapture),
    yesNo(c.multipleCaptures),
    yesNo(c.finalCaptureFlag),
    yesNo(c.amountRequired),
    c.maxCaptures === undefined ? '-' : String(c.maxCaptures),
    c.captureWindowDays === undefined ? '-' : `${c.captureWindowDays} days`,
    c.resultDelivery,
    yesNo(c.webhooks),
  ]);
  const reasons = Object.entries(answers)
    .filter(([, c]) => c.reasons.length > 0)
    .map(
      ([name, c]) =>
        `${name}:\n${c.reasons.map((reason) => `  - ${forCli(reason, { provider: name })}`).join('\n')}`,
    );
  return [
    formatTable(
      [
        'provider',
        'full',
        'partial',
        'multiple',
        'final flag',
        'amount required',
        'max',
        'window',
        'result',
        'webhooks',
      ],
      rows,
    ),
    ...(reasons.length > 0 ? ['', 'Why a flag is off:', ...reasons] : []),
  ].join('\n');
}

/** `capture-kit capabilities`. */
export async function capabilitiesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('capabilities', argv, FLAGS);
  if (values.help) {
    writeLine(io.stdout, CAPABILITIES_HELP);
    return EXIT.ok;
  }
  const context: CapabilityContext = {
    ...(values['card-brand'] ? { cardBrand: values['card-brand'] } : {}),
    ...(values['issuer-country'] ? { issuerCountry: values['issuer-country'] } : {}),
    ...(values.currency ? { currency: values.currency } : {}),
    ...(values['payment-method'] ? { paymentMethod: values['payment-method'] } : {}),
  };
  // Capabilities are facts about the provider and the payment, not about an account: they
  // need no key. A configuration only matters for what it changes (Antom's contract) and
  // for the names it registers providers under.
  const configured = configuredProviders(values.config, io.env);
  try {
    const answerFor: Record<string, (c: CapabilityContext) => CaptureCapabilities> =
      Object.keys(configured).length > 0
        ? Object.fromEntries(
            Object.entries(configured).map(([name, adapter]) => [
              name,
              (c: CapabilityContext) => adapter.capabilities(c),
            ]),
          )
        : Object.fromEntries(KINDS.map((kind) => [kind, PROVIDER_KINDS[kind].defaultCapabilities]));
    const names = values.provider ? [values.provider] : Object.keys(answerFor);
    const answers: Record<string, CaptureCapabilities> = {};
    for (const name of names) {
      const answer = Object.hasOwn(answerFor, name) ? answerFor[name] : undefined;
      if (!answer) {
        throw new CliError(
          `--provider ${shown(name)} is not ${Object.keys(configured).length > 0 ? 'configured' : 'a provider kind'}; choose one of: ${Object.keys(answerFor).join(', ')}. See: capture-kit capabilities --help`,
          EXIT.usage,
        );
      }
      answers[name] = answer(context);
    }
    if (values.json) writeLine(io.stdout, toJson(answers));
    else {
      const style = createStyler(io.stdout, io.env);
      if (Object.keys(configured).length === 0) {
        writeLine(
          io.stdout,
          style.dim('No provider configured: each kind with its default settings.'),
        );
      }
      writeLine(io.stdout, table(answers));
    }
    return EXIT.ok;
  } finally {
    await Promise.all(Object.values(configured).map((adapter) => adapter.close?.()));
  }
}

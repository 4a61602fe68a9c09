import { readFileSync } from 'node:fs';
import { forCli } from '../cli-wording.js';
import { CONFIG_HELP } from '../config.js';
import { CliError, EXIT } from '../exit-codes.js';
import { type CliIo, writeLine } from '../io.js';
import { openClient } from '../open-client.js';
import { createStyler, toJson } from '../output.js';
import { COMMON_FLAGS, parseFlags, requireFlag, shown } from '../parse-flags.js';

const WEBHOOK_HELP = `Usage: capture-kit webhook verify --provider <name> --body <file>
                                   [--header "name: value" ...] [--headers <json file>]
                                   [--path <request path>] [--json] [--config <file>]

Verifies a saved webhook delivery exactly as the webhook handler would: --body is the raw
request body (the exact bytes), headers come from --header flags and/or a JSON file of
{"name": "value"}. --path is the path the provider posted to (Antom signs it; default /).
Prints the parsed capture event, or why it was rejected.

${CONFIG_HELP}

Exit codes: 0 verified; 2 bad flag or unknown --provider; 3 configuration error; 13 rejected (signature or payload).`;

const FLAGS = {
  ...COMMON_FLAGS,
  provider: { type: 'string' },
  body: { type: 'string' },
  header: { type: 'string', multiple: true },
  headers: { type: 'string' },
  path: { type: 'string' },
} as const;

function readFile(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new CliError(`--${flag} ${path} cannot be read.`, EXIT.usage);
  }
}

function collectHeaders(values: {
  header?: string[] | undefined;
  headers?: string | undefined;
}): Record<string, string> {
  const headers: Record<string, string> = {};
  if (values.headers) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFile('headers', values.headers).toString('utf8'));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(
        `--headers ${values.headers} is not a JSON object of header values.`,
        EXIT.usage,
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new CliError(
        `--headers ${values.headers} must be a JSON object such as {"cko-signature": "…"}.`,
        EXIT.usage,
      );
    }
    for (const [name, value] of Object.entries(parsed)) headers[name.toLowerCase()] = String(value);
  }
  for (const line of values.header ?? []) {
    const at = line.indexOf(':');
    if (at <= 0)
      throw new CliError(
        '--header values must look like "name: value" (one is not; it is not shown, as a header can carry a secret).',
        EXIT.usage,
      );
    headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return headers;
}

/** `capture-kit webhook verify`. */
export async function webhookCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    writeLine(io.stdout, WEBHOOK_HELP);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (sub !== 'verify') {
    throw new CliError(
      `Unknown webhook subcommand ${shown(sub)}; the only one is "verify". See: capture-kit webhook --help`,
      EXIT.usage,
    );
  }
  const { values } = parseFlags('webhook verify', rest, FLAGS);
  if (values.help) {
    writeLine(io.stdout, WEBHOOK_HELP);
    return EXIT.ok;
  }
  const provider = requireFlag('webhook verify', values, 'provider');
  const bodyPath = requireFlag('webhook verify', values, 'body');
  const rawBody = readFile('body', bodyPath);
  const headers = collectHeaders(values);
  const client = openClient('webhook verify', values.config, io.env, provider);
  const style = createStyler(io.stdout, io.env);
  try {
    const parsed = await client.parseWebhook(provider, {
      method: 'POST',
      path: values.path ?? '/',
      headers,
      rawBody,
    });
    if (parsed.isOk()) {
      if (values.json)
        writeLine(io.stdout, toJson({ ok: true, event: { ...parsed.value, raw: undefined } }));
      else {
        const e = parsed.value;
        writeLine(
          io.stdout,
          `${style.green('verified')} ${e.type} id=${e.id} paymentId=${e.paymentId}${e.captureId ? ` captureId=${e.captureId}` : ''}`,
        );
      }
      return EXIT.ok;
    }
    const { cause: _cause, ...rest } = parsed.error;
    const error = { ...rest, message: forCli(rest.message, { provider }) };
    if (error.code === 'event_ignored' && error.verified) {
      if (values.json) writeLine(io.stdout, toJson({ ok: true, ignored: true, error }));
      else
        writeLine(
          io.stdout,
          `${style.green('verified')} (not a capture event: ${error.eventType ?? 'unknown type'})`,
        );
      return EXIT.ok;
    }
    if (values.json) writeLine(io.stdout, toJson({ ok: false, error }));
    else writeLine(io.stderr, `${style.red(`rejected (${error.code})`)}\n${error.message}`);
    return EXIT.webhookRejected;
  } finally {
    await client.close();
  }
}

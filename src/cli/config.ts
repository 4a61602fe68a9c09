import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CaptureProviderV1 } from '../core/spec.js';
import { CliError, EXIT } from './exit-codes.js';
import { isKind, KINDS, type Kind, PROVIDER_KINDS } from './provider-kinds.js';

/**
 * How the CLI learns about providers. Two sources, never flags (flags end up in shell
 * history and process lists, so secrets are refused there):
 *
 * 1. A JSON file (`--config <path>` or `CAPTURE_KIT_CONFIG`):
 *    `{ "providers": { "<name>": { "kind": "checkout", "secretKey": { "env": "CKO_SK" }, … } } }`
 *    Any value may be a literal, `{ "env": "NAME" }` (read from the environment) or
 *    `{ "file": "path" }` (read from a file, relative to the config file; trailing
 *    newline removed) — keys usually come from a file.
 * 2. Environment variables, one provider per kind, registered under the kind's name
 *    (see {@link PROVIDER_KINDS} for the list).
 */
export const CONFIG_HELP = `Configuration (secrets only from the environment or a file, never from flags):
  --config <file>  or CAPTURE_KIT_CONFIG=<file>   JSON: {"providers": {"<name>": {"kind": ${KINDS.map((kind) => `"${kind}"`).join('|')}, ...settings}}}
                   a setting may be a literal, {"env": "VAR"} or {"file": "path"} (relative to the config file)
  or environment variables (provider registered under its kind's name):
${KINDS.map((kind) => envHelpLines(kind)).join('\n')}`;

function envHelpLines(kind: Kind): string {
  const label = `    ${`${kind}:`.padEnd(10)}`;
  const lines: string[] = [];
  let line = label;
  for (const variable of Object.values(PROVIDER_KINDS[kind].env)) {
    const next = line === label ? `${line}${variable}` : `${line}, ${variable}`;
    if (next.length > 100 && line !== label) {
      lines.push(`${line},`);
      line = `${' '.repeat(label.length)}${variable}`;
    } else line = next;
  }
  lines.push(line);
  return lines.join('\n');
}

type Env = Readonly<Record<string, string | undefined>>;
type Settings = Record<string, unknown>;

/** Where a provider's settings came from: the words an error uses to point there. */
type Source =
  | { readonly from: 'env'; readonly kind: Kind }
  | { readonly from: 'file'; readonly name: string; readonly path: string };

/**
 * The adapters name the setting at fault as code (`checkout({ secretKey }) is missing`).
 * At the command line the fix is an environment variable or a config-file key, so the
 * setting reference is rewritten to that.
 */
const SETTING_REFERENCE = new RegExp(
  `\\b(?:${KINDS.join('|')})\\(\\{ ([\\w.]+(?:, [\\w.]+)*) \\}\\)`,
  'g',
);

function pointAtSource(message: string, source: Source): string {
  const rewritten = message.replace(SETTING_REFERENCE, (_match, list: string) =>
    list
      .split(', ')
      .map((setting) => {
        const top = setting.split('.')[0] ?? setting;
        if (source.from === 'file') return `providers.${source.name}.${setting}`;
        const variable = PROVIDER_KINDS[source.kind].env[top];
        return variable ?? `the ${setting} setting (only in a --config file)`;
      })
      .join(', '),
  );
  if (source.from === 'file') return `--config ${source.path}: ${rewritten}`;
  if (rewritten !== message) return rewritten;
  // No setting named: list what this kind reads, so the reader knows where to look.
  return `${message} (${source.kind} settings come from ${Object.values(PROVIDER_KINDS[source.kind].env).join(', ')})`;
}

/**
 * Removes every configured value from an adapter's message. Adapters quote a bad value
 * back for the settings that are not secret (`environment must be 'sandbox' or
 * 'production' (got "…")`), but at the command line a secret pasted into the wrong
 * variable is a common mistake, and it must not end up in a terminal log.
 */
function redactValues(message: string, kind: Kind, settings: Settings): string {
  const secret = new Set(PROVIDER_KINDS[kind].secrets);
  let redacted = message;
  for (const [setting, value] of Object.entries(settings)) {
    // Short values of ordinary settings ('sandbox', 'europe') are words the message itself
    // may use; anything as long as a key is redacted wherever it came from.
    if (typeof value !== 'string' || value.length < (secret.has(setting) ? 4 : 16)) continue;
    redacted = redacted.replaceAll(value, `(the ${setting} value, not shown)`);
  }
  return redacted;
}

/** Builds one adapter from plain settings; adapter errors become config errors naming the source. */
function buildAdapter(kind: string, settings: Settings, source: Source): CaptureProviderV1 {
  if (!isKind(kind)) {
    const where =
      source.from === 'file' ? `--config ${source.path}: providers.${source.name}.kind` : 'kind';
    throw new CliError(
      `${where} must be one of ${KINDS.map((k) => `"${k}"`).join(', ')}.`,
      EXIT.config,
    );
  }
  try {
    return PROVIDER_KINDS[kind].create(settings);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(pointAtSource(redactValues(message, kind, settings), source), EXIT.config);
  }
}

function resolveValue(value: unknown, where: string, env: Env, baseDir: string): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const ref = value as { env?: unknown; file?: unknown };
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof ref.env === 'string') {
      const fromEnv = env[ref.env];
      if (fromEnv === undefined || fromEnv === '') {
        throw new CliError(
          `${where} refers to environment variable ${ref.env}, which is not set: set it, or change ${where}.`,
          EXIT.config,
        );
      }
      return fromEnv;
    }
    if (keys.length === 1 && typeof ref.file === 'string') {
      const path = resolve(baseDir, ref.file);
      try {
        return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
      } catch {
        throw new CliError(
          `${where} refers to file ${path}, which cannot be read: check the path (relative to the config file) and its permissions.`,
          EXIT.config,
        );
      }
    }
  }
  return value;
}

/**
 * The providers configured by `--config` / `CAPTURE_KIT_CONFIG`, else by environment
 * variables; an empty object when neither configures any.
 */
export function configuredProviders(
  configPath: string | undefined,
  env: Env,
): Record<string, CaptureProviderV1> {
  const path = configPath ?? env.CAPTURE_KIT_CONFIG;
  if (path) return loadFromFile(path, env);
  const providers: Record<string, CaptureProviderV1> = {};
  for (const kind of KINDS) {
    const settings: Settings = {};
    for (const [setting, variable] of Object.entries(PROVIDER_KINDS[kind].env)) {
      const value = env[variable];
      if (value !== undefined && value !== '') settings[setting] = value;
    }
    if (Object.keys(settings).length > 0) {
      providers[kind] = buildAdapter(kind, settings, { from: 'env', kind });
    }
  }
  return providers;
}

/** Like {@link configuredProviders}, but at least one provider must be configured. */
export function loadProviders(
  configPath: string | undefined,
  env: Env,
): Record<string, CaptureProviderV1> {
  const providers = configuredProviders(configPath, env);
  if (Object.keys(providers).length === 0) {
    throw new CliError(`No provider is configured.\n${CONFIG_HELP}`, EXIT.config);
  }
  return providers;
}

/** Whether `prefix` could still be the start of a valid JSON text. */
function viableJsonPrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (message.includes('end of JSON input')) return true;
    const at = /at position (\d+)/.exec(message)?.[1];
    return at !== undefined && Number(at) >= prefix.length;
  }
}

/**
 * Where in `text` its JSON syntax breaks, as "line L, column C" — never the text around it:
 * the config file holds secrets, and an unquoted one is exactly what breaks the syntax (and
 * what V8's own message would quote). Binary search for the shortest prefix that can no
 * longer start a valid JSON text: its last character is the culprit.
 */
function jsonErrorLocation(text: string): string {
  if (viableJsonPrefix(text)) return 'it ends too early';
  let viable = 0;
  let broken = text.length;
  while (broken - viable > 1) {
    const middle = Math.floor((viable + broken) / 2);
    if (viableJsonPrefix(text.slice(0, middle))) viable = middle;
    else broken = middle;
  }
  const before = text.slice(0, broken - 1);
  const line = before.split('\n').length;
  const column = broken - 1 - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function loadFromFile(path: string, env: Env): Record<string, CaptureProviderV1> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(
      `--config ${path} cannot be read: check the path (or CAPTURE_KIT_CONFIG) and its permissions.`,
      EXIT.config,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(
      `--config ${path} is not valid JSON (${jsonErrorLocation(text)}): check the quotes and commas there. ` +
        'The file content is not shown because it may hold secrets.',
      EXIT.config,
    );
  }
  const entries = (parsed as { providers?: unknown })?.providers;
  if (!entries || typeof entries !== 'object' || Array.isArray(entries)) {
    throw new CliError(
      `--config ${path} must have an object "providers": {"<name>": {"kind": …}}.`,
      EXIT.config,
    );
  }
  const baseDir = dirname(resolve(path));
  const providers: Record<string, CaptureProviderV1> = {};
  for (const [name, raw] of Object.entries(entries as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new CliError(
        `--config ${path}: providers.${name} must be an object with a "kind".`,
        EXIT.config,
      );
    }
    const { kind, ...rest } = raw as Settings;
    const settings: Settings = {};
    for (const [key, value] of Object.entries(rest)) {
      settings[key] = resolveValue(
        value,
        `--config ${path}: providers.${name}.${key}`,
        env,
        baseDir,
      );
    }
    providers[name] = buildAdapter(String(kind), settings, { from: 'file', name, path });
  }
  if (Object.keys(providers).length === 0) {
    throw new CliError(
      `--config ${path} lists no providers: add one under "providers".`,
      EXIT.config,
    );
  }
  return providers;
}

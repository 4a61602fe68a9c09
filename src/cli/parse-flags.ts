import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError, EXIT } from './exit-codes.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>;

/** Flags every command accepts. */
export const COMMON_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  config: { type: 'string' },
} as const satisfies Options;

/**
 * `value` quoted for a message, or a placeholder when it could be a secret. What the user
 * typed is echoed only when it is short and looks like a name (a flag, a command, a provider
 * name): a key pasted in the wrong place is long, and must not land in logs.
 */
export function shown(value: string): string {
  return /^-{0,2}[A-Za-z][\w-]{0,23}$/.test(value)
    ? JSON.stringify(value)
    : `(${value.length} characters, not shown: it could be a secret)`;
}

function flagHint(name: string, options: Options): string {
  const bare = name.replace(/^-+/, '');
  const close = Object.keys(options).filter(
    (flag) => bare.length >= 3 && (flag.startsWith(bare) || bare.startsWith(flag)),
  );
  return close.length > 0 ? ` Did you mean ${close.map((f) => `--${f}`).join(' or ')}?` : '';
}

/**
 * `node:util` parseArgs in strict mode, with its errors turned into usage errors that name
 * the flag and point at `--help`. A stray argument is never echoed (it may be a secret
 * pasted without its flag).
 */
export function parseFlags<T extends Options>(
  command: string,
  argv: readonly string[],
  options: T,
): Parsed<T> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const see = `See: capture-kit ${command} --help`;
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new CliError(
        `capture-kit ${command} takes no positional arguments, and got one (not shown: it could be a secret). Every value follows its flag, as in --payment-id pay_123. ${see}`,
        EXIT.usage,
      );
    }
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const name = /'([^']*)'/.exec(message)?.[1] ?? '';
      throw new CliError(
        `Unknown flag ${shown(name)}.${flagHint(name, options)} ${see}`,
        EXIT.usage,
      );
    }
    // The remaining parseArgs errors quote only our own flag names.
    throw new CliError(`${message.replaceAll('\n', ' ')} ${see}`, EXIT.usage);
  }
}

/** Reads a required string flag or throws a usage error naming it. */
export function requireFlag(
  command: string,
  values: Record<string, unknown>,
  flag: string,
): string {
  const value = values[flag];
  if (typeof value !== 'string' || value.length === 0) {
    throw new CliError(`--${flag} is required. See: capture-kit ${command} --help`, EXIT.usage);
  }
  return value;
}

/**
 * Reads an amount flag: a whole number of minor units above 0 (`3500` = EUR 35.00). Anything
 * else is a usage error naming the flag, raised before a client (or an idempotency key)
 * exists.
 */
export function minorUnitsFlag(command: string, flag: string, value: string): bigint {
  if (!/^[1-9][0-9]{0,17}$/.test(value)) {
    throw new CliError(
      `--${flag} must be a whole number of minor units above 0, such as 3500 for EUR 35.00 (no sign, no decimal point, no separators). See: capture-kit ${command} --help`,
      EXIT.usage,
    );
  }
  return BigInt(value);
}

/** Refuses flags that look like secrets: they would land in shell history. */
export function refuseSecretFlags(argv: readonly string[]): void {
  const secret = argv.find((arg) => /^--(secret|private|webhook-secret|api-key|key=)/i.test(arg));
  if (secret) {
    const name = secret.split('=')[0] ?? '';
    throw new CliError(
      `${shown(name)} is not accepted: secrets come only from the environment or the --config file.`,
      EXIT.usage,
    );
  }
}

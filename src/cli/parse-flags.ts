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
 * `node:util` parseArgs in strict mode, with its errors turned into usage errors that name
 * the flag and point at `--help`.
 */
export function parseFlags<T extends Options>(
  command: string,
  argv: readonly string[],
  options: T,
): Parsed<T> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`${message}. See: capture-kit ${command} --help`, EXIT.usage);
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

/** Refuses flags that look like secrets: they would land in shell history. */
export function refuseSecretFlags(argv: readonly string[]): void {
  const secret = argv.find((arg) => /^--(secret|private|webhook-secret|api-key|key=)/i.test(arg));
  if (secret) {
    throw new CliError(
      `${secret.split('=')[0]} is not accepted: secrets come only from the environment or the --config file.`,
      EXIT.usage,
    );
  }
}

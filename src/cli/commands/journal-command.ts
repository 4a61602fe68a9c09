import {
  migrate,
  type PgliteJournalOptions,
  type PostgresJournalOptions,
} from '../../journals/postgres/index.js';
import { CliError, EXIT } from '../exit-codes.js';
import { type CliIo, writeLine } from '../io.js';
import { parseFlags } from '../parse-flags.js';

const JOURNAL_HELP = `Usage: capture-kit journal migrate [--database-url <url> | --pglite <dir>]
                                 [--schema <name>] [--table-prefix <prefix>] [--json]

Applies the durable journal's pending schema migrations (capture-kit/journal/postgres) and
exits. Safe to run from many processes at once (the migrations run under a lock), and a
no-op when the schema is current. Journals also migrate on first use unless created with
{ migrate: false }.

Database (one of):
  CAPTURE_KIT_DATABASE_URL   env: a PostgreSQL URL (preferred: a URL may hold a password,
                             and flags end up in shell history)
  --database-url <url>       the same as a flag
  --pglite <dir>             an embedded PGlite data directory (npm install @electric-sql/pglite)

  --schema <name>            the schema holding the tables (default public)
  --table-prefix <prefix>    prefix of the table names (default capture_kit_)
  --json                     print { applied, version, schema } as JSON

Exit codes: 0 migrated or already current; 2 bad flag; 3 no database given, or it could
            not be reached or migrated (the message says why; it never shows the URL).`;

const FLAGS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  'database-url': { type: 'string' },
  pglite: { type: 'string' },
  schema: { type: 'string' },
  'table-prefix': { type: 'string' },
} as const;

/** `capture-kit journal <subcommand>`: only `migrate` today. */
export async function journalCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h') {
    writeLine(subcommand === undefined ? io.stderr : io.stdout, JOURNAL_HELP);
    return subcommand === undefined ? EXIT.usage : EXIT.ok;
  }
  if (subcommand !== 'migrate') {
    throw new CliError(
      `Unknown journal subcommand ${JSON.stringify(subcommand)}. See: capture-kit journal --help`,
      EXIT.usage,
    );
  }
  const { values } = parseFlags('journal', rest, FLAGS);
  if (values.help) {
    writeLine(io.stdout, JOURNAL_HELP);
    return EXIT.ok;
  }
  const { url, dataDir, options } = journalTarget(values, io.env, 'journal');
  let result: Awaited<ReturnType<typeof migrate>>;
  try {
    result = await migrate(options);
  } catch (error) {
    throw new CliError(
      `capture-kit journal migrate: ${redact(error, url)}${dataDir === undefined ? ' (check CAPTURE_KIT_DATABASE_URL / --database-url)' : ''}`,
      EXIT.config,
    );
  }
  const schema = values.schema ?? 'public';
  if (values.json) {
    writeLine(io.stdout, JSON.stringify({ ...result, schema }));
  } else if (result.applied.length === 0) {
    writeLine(io.stdout, `Journal schema in ${schema} is current (version ${result.version}).`);
  } else {
    writeLine(
      io.stdout,
      `Journal schema in ${schema} migrated to version ${result.version} (applied ${result.applied.join(', ')}).`,
    );
  }
  return EXIT.ok;
}

/** The error's message with the URL and its password cut out, should a driver echo them. */
/** The journal flags every command that opens a journal shares. */
interface JournalFlagValues {
  readonly 'database-url'?: string | undefined;
  readonly pglite?: string | undefined;
  readonly schema?: string | undefined;
  readonly 'table-prefix'?: string | undefined;
}

/**
 * Which journal the flags (or `CAPTURE_KIT_DATABASE_URL`) name: a PostgreSQL URL or a
 * PGlite directory, never both; a usage or configuration error naming the flag otherwise.
 */
export function journalTarget(
  values: JournalFlagValues,
  env: Readonly<Record<string, string | undefined>>,
  command: 'journal' | 'reconcile',
): {
  readonly url: string | undefined;
  readonly dataDir: string | undefined;
  readonly options: PostgresJournalOptions | PgliteJournalOptions;
} {
  const url = values['database-url'] ?? env.CAPTURE_KIT_DATABASE_URL;
  const dataDir = values.pglite;
  if (url !== undefined && url !== '' && dataDir !== undefined) {
    throw new CliError(
      'Give either a PostgreSQL URL (CAPTURE_KIT_DATABASE_URL or --database-url) or --pglite <dir>, not both.',
      EXIT.usage,
    );
  }
  if ((url === undefined || url === '') && dataDir === undefined) {
    throw new CliError(
      `No database: set CAPTURE_KIT_DATABASE_URL (or --database-url) to the PostgreSQL URL of your journal, or pass --pglite <dir>. See: capture-kit ${command} --help`,
      EXIT.config,
    );
  }
  const storage = {
    ...(values.schema !== undefined ? { schema: values.schema } : {}),
    ...(values['table-prefix'] !== undefined ? { tablePrefix: values['table-prefix'] } : {}),
  };
  const options: PostgresJournalOptions | PgliteJournalOptions =
    dataDir !== undefined
      ? { dataDir, ...storage }
      : { connectionString: url as string, ...storage };
  return { url, dataDir, options };
}

export function redact(error: unknown, url: string | undefined): string {
  let message = error instanceof Error ? error.message : String(error);
  if (!url) return message;
  message = message.replaceAll(url, '<database url>');
  for (const secret of passwordsOf(url)) message = message.replaceAll(secret, '***');
  return message;
}

/** The URL's password as written and decoded (a driver may echo either). */
function passwordsOf(url: string): string[] {
  const raw = /:\/\/[^:/@]*:([^@]*)@/.exec(url)?.[1];
  if (!raw) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Not percent-encoded: the raw form is all there is.
  }
  return [...new Set([raw, decoded])].filter((secret) => secret.length > 0);
}

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { CAPTURE_CHANNEL, type CaptureDiagnostic, createCaptureClient } from '../../core/client.js';
import type { ReconcileReport } from '../../core/reconcile.js';
import {
  type PostgresJournal,
  pgliteJournal,
  postgresJournal,
} from '../../journals/postgres/index.js';
import { CONFIG_HELP, loadProviders } from '../config.js';
import { CliError, EXIT } from '../exit-codes.js';
import { type CliIo, writeLine } from '../io.js';
import { createStyler, toJson } from '../output.js';
import { COMMON_FLAGS, parseFlags, shown } from '../parse-flags.js';
import { journalTarget, redact } from './journal-command.js';

const RECONCILE_HELP = `Usage: capture-kit reconcile [--database-url <url> | --pglite <dir>] [--provider <name>]
                              [--limit <n>] [--older-than-ms <ms>] [--schema <name>]
                              [--table-prefix <prefix>] [--json] [--config <file>]

Resolves the durable journal's open captures once and exits — run it on a schedule (cron,
a Kubernetes CronJob) next to your application: intents left "sending" by a process that
died mid-flight (once past its adapter's timeout), "unknown" ones and "pending" ones. Each
is asked about at its provider; one that authoritatively does not exist is sent again with
the SAME idempotency key, so nothing is ever captured twice. Many instances may run it at
once: each intent is leased to one of them.

Database (one of; the journal your application's client uses):
  CAPTURE_KIT_DATABASE_URL   env: a PostgreSQL URL (preferred: a URL may hold a password,
                             and flags end up in shell history)
  --database-url <url>       the same as a flag
  --pglite <dir>             an embedded PGlite data directory (npm install @electric-sql/pglite);
                             one process at a time: stop the application that holds it first

  --provider <name>          only this configured provider (default: every configured one)
  --limit <n>                at most this many intents (default 100)
  --older-than-ms <ms>       only intents not updated for at least this long (default 0)
  --schema <name>            the schema holding the tables (default public)
  --table-prefix <prefix>    prefix of the table names (default capture_kit_)
  --json                     print the report as JSON (claimed, resolved, resent, stillOpen,
                             errors, items)

Providers are configured as for the other commands, under the SAME names your application
registers them with (intents are stored under those names; others are left alone).

${CONFIG_HELP}

On a terminal, a progress line counts the intents as they are resolved (on stderr).

Exit codes: 0 every claimed intent ended (succeeded, failed or absent) and none is left
            open beyond --limit; 2 bad flag or unknown --provider; 3 configuration error, or
            the database could not be reached (the message never shows the URL);
            12 some intents stay open — still unknown, pending at the provider, an inquiry
            that failed, or more than --limit open: run it again later.`;

const FLAGS = {
  ...COMMON_FLAGS,
  provider: { type: 'string' },
  limit: { type: 'string' },
  'older-than-ms': { type: 'string' },
  'database-url': { type: 'string' },
  pglite: { type: 'string' },
  schema: { type: 'string' },
  'table-prefix': { type: 'string' },
} as const;

const OPEN_STATES = ['sending', 'unknown', 'pending'] as const;

function wholeNumberFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]{1,15}$/.test(value)) {
    throw new CliError(
      `--${flag} must be a whole number ≥ 0, such as 100. See: capture-kit reconcile --help`,
      EXIT.usage,
    );
  }
  return Number(value);
}

/** `capture-kit reconcile`: one `client.reconcile()` pass over the durable journal. */
export async function reconcileCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('reconcile', argv, FLAGS);
  if (values.help) {
    writeLine(io.stdout, RECONCILE_HELP);
    return EXIT.ok;
  }
  const limit = wholeNumberFlag('limit', values.limit, 100);
  if (limit === 0) {
    throw new CliError('--limit must be at least 1. See: capture-kit reconcile --help', EXIT.usage);
  }
  const olderThanMs = wholeNumberFlag('older-than-ms', values['older-than-ms'], 0);
  const { url, dataDir, options: journalOptions } = journalTarget(values, io.env, 'reconcile');
  const configured = loadProviders(values.config, io.env);
  let providers = configured;
  if (values.provider !== undefined) {
    const only = values.provider;
    const adapter = Object.hasOwn(configured, only) ? configured[only] : undefined;
    if (!adapter) {
      throw new CliError(
        `--provider ${shown(only)} is not configured; configured: ${Object.keys(configured).join(', ')}. See: capture-kit reconcile --help`,
        EXIT.usage,
      );
    }
    providers = { [only]: adapter };
  }
  const where =
    dataDir === undefined ? ' (check CAPTURE_KIT_DATABASE_URL / --database-url)' : ` (--pglite)`;
  let journal: PostgresJournal;
  try {
    journal =
      'dataDir' in journalOptions ? pgliteJournal(journalOptions) : postgresJournal(journalOptions);
  } catch (error) {
    throw new CliError(`capture-kit reconcile: ${redact(error, url)}`, EXIT.usage);
  }
  const client = createCaptureClient({ providers, journal });
  const progress = progressLine(io);
  try {
    try {
      // Reaches the database (and applies pending migrations) before anything is claimed, so
      // a wrong URL is a configuration error, not a half-done pass.
      await journal.migrate();
    } catch (error) {
      throw new CliError(`capture-kit reconcile: ${redact(error, url)}${where}`, EXIT.config);
    }
    let report: ReconcileReport;
    let openAfter: number;
    try {
      report = await client.reconcile({ limit, olderThanMs });
      // What is still open in the journal (claimed or not): more than --limit, or in flight.
      openAfter = (
        await client.intents({ state: [...OPEN_STATES], limit: Math.min(limit + 1, 1_000) })
      ).filter((intent) => Object.hasOwn(providers, intent.provider)).length;
    } catch (error) {
      throw new CliError(`capture-kit reconcile: ${redact(error, url)}${where}`, EXIT.config);
    } finally {
      progress.stop();
    }
    const moreThanLimit = report.claimed >= limit && openAfter > 0;
    const clean = report.stillOpen === 0 && report.errors.length === 0 && !moreThanLimit;
    if (values.json) {
      writeLine(io.stdout, toJson({ ...report, openAfter, ok: clean }));
    } else {
      printReport(io, report, moreThanLimit);
    }
    return clean ? EXIT.ok : EXIT.unknown;
  } finally {
    await client.close();
    await journal.close();
  }
}

function printReport(io: CliIo, report: ReconcileReport, moreThanLimit: boolean): void {
  const style = createStyler(io.stdout, io.env);
  const { succeeded, failed, absent } = report.resolved;
  writeLine(
    io.stdout,
    `Reconciled ${report.claimed} intent${report.claimed === 1 ? '' : 's'}: ` +
      `${style.green(`${succeeded} succeeded`)}, ${failed} failed, ${absent} absent, ` +
      `${report.resent} re-sent with the same key, ` +
      `${report.stillOpen > 0 ? style.yellow(`${report.stillOpen} still open`) : '0 still open'}.`,
  );
  for (const item of report.items) {
    if (item.to === 'succeeded' || item.to === 'failed' || item.to === 'absent') continue;
    writeLine(
      io.stdout,
      `  ${style.yellow(item.to)} provider=${item.provider} paymentId=${item.paymentId} idempotencyKey=${item.idempotencyKey}` +
        `${item.code ? ` (${item.code})` : ''}`,
    );
  }
  if (moreThanLimit) {
    writeLine(io.stdout, 'More intents are open than --limit allowed: run it again.');
  }
}

/**
 * On a TTY, one stderr line rewritten as items finish (from the library's diagnostics
 * channel, which publishes one `reconcile` message per item); nothing otherwise.
 */
function progressLine(io: CliIo): { stop(): void } {
  if (!io.stderr.isTTY) return { stop() {} };
  let done = 0;
  let open = 0;
  const onMessage = (message: unknown) => {
    const diagnostic = message as CaptureDiagnostic;
    if (diagnostic.operation !== 'reconcile') return;
    done += 1;
    if (diagnostic.result === 'unknown' || diagnostic.result === 'pending') open += 1;
    io.stderr.write(`\r\u001b[2Kreconcile: ${done} done, ${open} still open…`);
  };
  subscribe(CAPTURE_CHANNEL, onMessage);
  return {
    stop() {
      unsubscribe(CAPTURE_CHANNEL, onMessage);
      if (done > 0) io.stderr.write('\r\u001b[2K');
    },
  };
}

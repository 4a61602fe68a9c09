import { quoteIdentifier, SqlFragment } from './sql-text.js';

/** The qualified, quoted names of the journal's tables for one schema + prefix. */
export interface JournalTables {
  readonly schema: string;
  readonly prefix: string;
  /** `"schema"."<prefix>intents"` */
  readonly intents: SqlFragment;
  /** `"schema"."<prefix>webhook_events"` */
  readonly events: SqlFragment;
  /** `"schema"."<prefix>migrations"` */
  readonly migrations: SqlFragment;
  /** `"schema"."<prefix>intent_revisions"`: the sequence every intent write takes a revision from. */
  readonly revisions: SqlFragment;
  /** An index or constraint name: `"<prefix><suffix>"` (unqualified: it lives beside its table). */
  name(suffix: string): SqlFragment;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Validates `schema` and `tablePrefix` and builds the table names. Names are checked rather
 * than escaped so they stay readable in psql and in docs/durability.md.
 */
export function journalTables(schema = 'public', prefix = 'capture_kit_'): JournalTables {
  if (!IDENTIFIER.test(schema) || schema.length > 63) {
    throw new TypeError(
      `postgresJournal({ schema }) must be a plain SQL identifier (letters, digits, _; at most 63); got ${JSON.stringify(schema)}.`,
    );
  }
  if (!(prefix === '' || IDENTIFIER.test(prefix)) || prefix.length > 40) {
    throw new TypeError(
      `postgresJournal({ tablePrefix }) must be empty or a plain SQL identifier (letters, digits, _; at most 40); got ${JSON.stringify(prefix)}.`,
    );
  }
  const table = (name: string) =>
    new SqlFragment(`${quoteIdentifier(schema)}.${quoteIdentifier(prefix + name)}`);
  return {
    schema,
    prefix,
    intents: table('intents'),
    events: table('webhook_events'),
    migrations: table('migrations'),
    revisions: table('intent_revisions'),
    name: (suffix) => new SqlFragment(quoteIdentifier(prefix + suffix)),
  };
}

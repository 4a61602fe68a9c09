import type { CapabilityContext } from '../../core/capabilities.js';
import type { CaptureErrorCode } from '../../core/errors.js';
import type { CaptureIntent, IntentState } from '../../core/intents.js';
import type { Money } from '../../core/money.js';
import type { JournalTables } from './journal-tables.js';
import type { SqlRow } from './sql-driver.js';
import { jsonb, literal, quoteLiteral, SqlFragment, type SqlValue } from './sql-text.js';

/** The intent columns as `CaptureIntent` needs them, with every driver returning text for numerics and JSON. */
export function intentColumns(alias?: string): SqlFragment {
  const c = (name: string) => (alias ? `${alias}.${name}` : name);
  return new SqlFragment(
    [
      c('provider'),
      c('kind'),
      c('idempotency_key'),
      c('payment_id'),
      c('amount_currency'),
      `${c('amount_value')}::text AS amount_value`,
      c('final'),
      c('reference'),
      `${c('metadata')}::text AS metadata`,
      `${c('provider_options')}::text AS provider_options`,
      c('authorized_currency'),
      `${c('authorized_value')}::text AS authorized_value`,
      `${c('context')}::text AS context`,
      c('state'),
      c('capture_id'),
      c('captured_currency'),
      `${c('captured_value')}::text AS captured_value`,
      c('captured_at'),
      `${c('provider_metadata')}::text AS provider_metadata`,
      c('code'),
      c('provider_code'),
      c('provider_status'),
      c('http_status'),
      c('message'),
      c('attempts'),
      c('created_at_ms'),
      c('updated_at_ms'),
      c('in_flight_until_ms'),
      c('revision'),
    ].join(', '),
  );
}

/** Column → SQL value of every stored field of `intent` (not the lease). */
function intentValues(intent: CaptureIntent): ReadonlyArray<readonly [string, SqlValue]> {
  return [
    ['provider', intent.provider],
    ['idempotency_key', intent.idempotencyKey],
    ['kind', intent.kind],
    ['payment_id', intent.paymentId],
    ['amount_currency', intent.amount?.currency],
    ['amount_value', intent.amount?.value],
    ['final', intent.final],
    ['reference', intent.reference],
    ['metadata', jsonb(intent.metadata)],
    ['provider_options', jsonb(intent.providerOptions)],
    ['authorized_currency', intent.authorizedAmount?.currency],
    ['authorized_value', intent.authorizedAmount?.value],
    ['context', jsonb(intent.context)],
    ['state', intent.state],
    ['capture_id', intent.captureId],
    ['captured_currency', intent.capturedAmount?.currency],
    ['captured_value', intent.capturedAmount?.value],
    ['captured_at', intent.capturedAt],
    ['provider_metadata', jsonb(intent.providerMetadata)],
    ['code', intent.code],
    ['provider_code', intent.providerCode],
    ['provider_status', intent.providerStatus],
    ['http_status', intent.httpStatus],
    ['message', intent.message],
    ['attempts', intent.attempts],
    ['created_at_ms', intent.createdAt],
    ['updated_at_ms', intent.updatedAt],
    ['in_flight_until_ms', intent.inFlightUntil],
  ];
}

/** Column → SQL literal of every stored field of `intent`. */
function intentLiterals(intent: CaptureIntent): Array<readonly [string, string]> {
  return intentValues(intent).map(([column, value]) => [column, literal(value)] as const);
}

/**
 * `(col, …) VALUES (…)` of an INSERT of `intent`; the revision is the column's default (the
 * next value of the revision sequence). Columns left NULL are left out: a shorter statement
 * for the server to parse, on the path every capture takes.
 */
export function insertColumnsAndValues(intent: CaptureIntent): {
  readonly columns: SqlFragment;
  readonly values: SqlFragment;
} {
  const pairs = intentLiterals(intent).filter(([, value]) => value !== 'NULL');
  return {
    columns: new SqlFragment(pairs.map(([column]) => column).join(', ')),
    values: new SqlFragment(pairs.map(([, value]) => value).join(', ')),
  };
}

/**
 * `col = value, …` writing `intent` over the stored row, with a new revision from the
 * sequence (every write of an intent takes one, so a compare-and-set can tell it changed —
 * even when the row was deleted and inserted again meanwhile). With the `stored` intent the
 * row holds, only the columns that differ are written.
 */
export function updateAssignments(
  tables: JournalTables,
  intent: CaptureIntent,
  stored?: CaptureIntent,
): SqlFragment {
  const before = stored ? new Map(intentLiterals(stored)) : undefined;
  return new SqlFragment(
    [
      ...intentLiterals(intent)
        .filter(
          ([column, value]) =>
            column !== 'provider' && column !== 'idempotency_key' && before?.get(column) !== value,
        )
        .map(([column, value]) => `${column} = ${value}`),
      `revision = nextval(${quoteLiteral(tables.revisions.text)})`,
    ].join(', '),
  );
}

/** The row's revision (`RETURNING revision`): a new value from the sequence at every write. */
export function revisionOf(row: SqlRow): number {
  return integer(row.revision) ?? 0;
}

/** A row read with {@link intentColumns} back into a `CaptureIntent`. */
export function intentFromRow(row: SqlRow): CaptureIntent {
  const amount = money(row.amount_currency, row.amount_value);
  const capturedAmount = money(row.captured_currency, row.captured_value);
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
  return {
    provider: String(row.provider),
    kind: String(row.kind),
    idempotencyKey: String(row.idempotency_key),
    paymentId: String(row.payment_id),
    ...optional('amount', amount),
    final: row.final === true || row.final === 't',
    ...optional('reference', text(row.reference)),
    ...optional(
      'metadata',
      json(row.metadata) as Readonly<Record<string, string | number | boolean>> | undefined,
    ),
    ...optional('providerOptions', json(row.provider_options)),
    ...optional('authorizedAmount', money(row.authorized_currency, row.authorized_value)),
    ...optional('context', json(row.context) as CapabilityContext | undefined),
    state: String(row.state) as IntentState,
    ...optional('captureId', text(row.capture_id)),
    ...optional('capturedAmount', capturedAmount),
    ...optional('capturedAt', text(row.captured_at)),
    ...optional(
      'providerMetadata',
      json(row.provider_metadata) as Readonly<Record<string, unknown>> | undefined,
    ),
    ...optional('code', text(row.code) as CaptureErrorCode | undefined),
    ...optional('providerCode', text(row.provider_code)),
    ...optional('providerStatus', text(row.provider_status)),
    ...optional('httpStatus', integer(row.http_status)),
    ...optional('message', text(row.message)),
    attempts: integer(row.attempts) ?? 0,
    createdAt: integer(row.created_at_ms) ?? 0,
    updatedAt: integer(row.updated_at_ms) ?? 0,
    ...optional('inFlightUntil', integer(row.in_flight_until_ms)),
  };
}

function money(currency: unknown, value: unknown): Money | undefined {
  if (typeof currency !== 'string' || value === null || value === undefined) return undefined;
  return { currency, value: BigInt(String(value)) };
}

/** `pg` returns int8 as a string, PGlite as a number or a bigint: all become a number. */
function integer(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new Error(`capture-kit journal: stored number ${String(value)} is not a safe integer`);
  }
  return n;
}

function json(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? JSON.parse(value) : value;
}

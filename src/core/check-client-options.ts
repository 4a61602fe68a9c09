import type { CaptureClientOptions } from './capture-client.js';
import { type CaptureJournal, memoryJournal } from './journal.js';
import type { CaptureProviderV1 } from './spec.js';

/** What `createCaptureClient()` runs on, once its options are checked. */
export interface ClientSettings {
  readonly providers: ReadonlyMap<string, CaptureProviderV1>;
  readonly journal: CaptureJournal;
  readonly inFlightGraceMs: number;
}

/**
 * Checks `createCaptureClient()`'s options and builds the registry. Throws a `TypeError`
 * naming the offending setting (`providers.<name>`, `journal`, `inFlightGraceMs`).
 */
export function checkClientOptions(options: CaptureClientOptions): ClientSettings {
  const providers = new Map<string, CaptureProviderV1>();
  if (!options || typeof options.providers !== 'object' || options.providers === null) {
    throw new TypeError(
      'createCaptureClient: providers must be an object such as { cko: checkout({...}) }.',
    );
  }
  for (const [name, adapter] of Object.entries(options.providers)) {
    const problem = adapterProblem(adapter);
    if (problem) {
      throw new TypeError(
        `createCaptureClient: providers.${name} is not a capture-kit v1 adapter (${problem}); create it with a factory such as checkout({...}).`,
      );
    }
    providers.set(name, adapter);
  }
  if (providers.size === 0) {
    throw new TypeError('createCaptureClient: providers is empty; register at least one adapter.');
  }
  const journal = options.journal ?? memoryJournal();
  if (typeof journal.begin !== 'function' || typeof journal.apply !== 'function') {
    throw new TypeError(
      'createCaptureClient: journal is not a CaptureJournal; use memoryJournal() or postgresJournal({...}).',
    );
  }
  return { providers, journal, inFlightGraceMs: graceSetting(options.inFlightGraceMs) };
}

function graceSetting(value: number | undefined): number {
  if (value === undefined) return 5_000;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(
      `createCaptureClient: inFlightGraceMs must be a whole number of milliseconds ≥ 0; got ${String(value)}.`,
    );
  }
  return value;
}

/** Why `adapter` is not a usable {@link CaptureProviderV1}, or `undefined` when it is. */
function adapterProblem(adapter: unknown): string | undefined {
  if (!adapter || typeof adapter !== 'object')
    return `got ${adapter === null ? 'null' : typeof adapter}`;
  const candidate = adapter as Partial<Record<keyof CaptureProviderV1, unknown>>;
  if (candidate.specificationVersion !== 'v1') return 'specificationVersion is not "v1"';
  if (typeof candidate.kind !== 'string' || candidate.kind.length === 0) return 'kind is missing';
  const timeout = candidate.timeoutMs;
  if (
    timeout !== undefined &&
    (typeof timeout !== 'number' || !Number.isSafeInteger(timeout) || timeout <= 0)
  ) {
    return 'timeoutMs must be a positive whole number of milliseconds';
  }
  const methods = [
    'capabilities',
    'doCapture',
    'doResolve',
    'doParseWebhook',
    'webhookAck',
  ] as const;
  const missing = methods.filter((method) => typeof candidate[method] !== 'function');
  return missing.length > 0 ? `missing ${missing.map((m) => `${m}()`).join(', ')}` : undefined;
}

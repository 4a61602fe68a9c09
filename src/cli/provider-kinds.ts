import { PROVIDERS, type ProviderEntry, type ProviderKind } from '../providers/registry.js';

/** The adapter kinds the CLI can configure: every entry of src/providers/registry.ts. */
export const KINDS: readonly ProviderKind[] = PROVIDERS.map((entry) => entry.kind);

/** One of {@link KINDS}. */
export type Kind = ProviderKind;

/** Every kind the CLI can configure, keyed by kind. */
export const PROVIDER_KINDS = Object.fromEntries(
  PROVIDERS.map((entry) => [entry.kind, entry]),
) as unknown as Readonly<Record<Kind, ProviderEntry>>;

/** Whether `name` is one of {@link KINDS}. */
export function isKind(name: string): name is Kind {
  return (KINDS as readonly string[]).includes(name);
}

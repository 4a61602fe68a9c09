import { isKind, KINDS, PROVIDER_KINDS } from './provider-kinds.js';

/** What the CLI knows about the call a message is about, to spell out the next command. */
interface CallFacts {
  readonly provider?: string | undefined;
  readonly paymentId?: string | undefined;
  readonly idempotencyKey?: string | undefined;
}

/** `checkout({ webhookSecret })`: how the library names one setting of one adapter kind. */
const SETTING_REFERENCE = new RegExp(`\\b(${KINDS.join('|')})\\(\\{ ([\\w.]+) \\}\\)`, 'g');

/** Quotes a value for a POSIX shell when it needs it. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

function resolveCommand(facts: CallFacts): string {
  if (!facts.provider || !facts.paymentId || !facts.idempotencyKey) return '"capture-kit resolve"';
  return `"capture-kit resolve --provider ${shellWord(facts.provider)} --payment-id ${shellWord(facts.paymentId)} --idempotency-key ${shellWord(facts.idempotencyKey)}"`;
}

/**
 * The library's messages name API fields and calls (`send final: true`, `call resolve()`,
 * `lower amount.value`); at the command line the fix is a flag or a command. This rewrites
 * those names into the CLI's, and spells out the resolve command with the call's own
 * provider, payment and key, ready to paste.
 */
export function forCli(message: string, facts: CallFacts = {}): string {
  const resolve = resolveCommand(facts);
  const entry = `providers.${facts.provider ?? '<name>'}`;
  return message
    .replace(
      /\bantom\(\{ contract: \{ (\w+): true \} \}\)/g,
      (_m, flag: string) => `"contract": {"${flag}": true} in the --config file's ${entry} entry`,
    )
    .replace(SETTING_REFERENCE, (_m, kind: string, setting: string) => {
      const top = setting.split('.')[0] ?? setting;
      const variable = isKind(kind) ? PROVIDER_KINDS[kind].env[top] : undefined;
      const inFile = `${entry}.${setting} in the --config file`;
      return variable ? `${variable} (or ${inFile})` : inFile;
    })
    .replace(/\b([Ss])end final: true\b/g, (_m, s: string) => `${s === 'S' ? 'P' : 'p'}ass --final`)
    .replace(/\bfinal: true\b/g, '--final')
    .replace(/\bfinal: false\b/g, '--not-final')
    .replace(/\bfinal is false\b/g, '--not-final is given')
    .replace(/\bfinal is true\b/g, '--final is given')
    .replace(/\b(?:client\.)?resolveUntilFinal\(\)/g, resolve)
    .replace(
      /\b([Cc])all (?:client\.)?resolve\(\)/g,
      (_m, c: string) => `${c === 'C' ? 'R' : 'r'}un ${resolve}`,
    )
    .replace(/\b(?:client\.)?resolve\(\)/g, resolve)
    .replace(/\bamount\.value\b/g, '--amount')
    .replace(/\bamount\.currency\b/g, '--currency')
    .replace(/\bauthorizedAmount\b/g, '--authorized-amount')
    .replace(/\bcontext\.cardBrand\b/g, '--card-brand')
    .replace(/\bcontext\.issuerCountry\b/g, '--issuer-country')
    .replace(/\bidempotencyKey\b/g, '--idempotency-key')
    .replace(/\bpaymentId\b/g, '--payment-id');
}

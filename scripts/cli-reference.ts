/**
 * The generated parts of docs/cli.md: every command's `--help` output (captured by running
 * the CLI's `main()`, so the page shows exactly what the terminal shows), the environment
 * variables the CLI reads, and its exit codes.
 */

import { EXIT, EXIT_MEANINGS } from '../src/cli/exit-codes.js';
import type { CliIo } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { KINDS, PROVIDER_KINDS } from '../src/cli/provider-kinds.js';

/** The commands docs/cli.md documents, as argv before `--help`. */
export const CLI_COMMANDS: readonly (readonly string[])[] = [
  [],
  ['demo'],
  ['capabilities'],
  ['capture'],
  ['resolve'],
  ['reconcile'],
  ['webhook', 'verify'],
];

/** Runs the CLI in-process and returns what it wrote to stdout. */
export async function cliOutput(argv: readonly string[]): Promise<string> {
  let out = '';
  const sink = {
    isTTY: false,
    write(chunk: string | Uint8Array) {
      out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  const io: CliIo = { stdout: sink, stderr: sink, env: {} };
  const code = await main(argv, io);
  if (code !== 0) throw new Error(`capture-kit ${argv.join(' ')} exited ${code}: ${out}`);
  return out;
}

/** `## capture-kit <command>` sections, each with its `--help` output. */
export async function commandsBlock(): Promise<string> {
  const sections: string[] = [];
  for (const argv of CLI_COMMANDS) {
    const help = await cliOutput([...argv, '--help']);
    const title = ['capture-kit', ...argv].join(' ');
    sections.push(`### \`${title}\`\n\n\`\`\`text\n$ ${title} --help\n${help.trimEnd()}\n\`\`\``);
  }
  return sections.join('\n\n');
}

/** The environment variables the CLI reads, one row each. */
export function environmentBlock(): string {
  const rows = [
    '| variable | provider kind | setting | secret |',
    '| --- | --- | --- | --- |',
    '| `CAPTURE_KIT_CONFIG` | — | path of the `--config` JSON file (`--config` wins) | no |',
  ];
  for (const kind of KINDS) {
    const { env, secrets } = PROVIDER_KINDS[kind];
    for (const [setting, variable] of Object.entries(env)) {
      rows.push(
        `| \`${variable}\` | \`${kind}\` | \`${setting}\` | ${secrets.includes(setting) ? 'yes' : 'no'} |`,
      );
    }
  }
  rows.push(
    '| `NO_COLOR` | — | any value turns colours off (they are only used on a terminal) | no |',
  );
  return rows.join('\n');
}

/** The exit codes, one row each. */
export function exitCodesBlock(): string {
  return [
    '| code | name | meaning |',
    '| --- | --- | --- |',
    ...Object.entries(EXIT).map(
      ([name, code]) =>
        `| ${code} | \`${name}\` | ${EXIT_MEANINGS[name as keyof typeof EXIT].replaceAll('|', '\\|')} |`,
    ),
  ].join('\n');
}

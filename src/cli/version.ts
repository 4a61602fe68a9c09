import { readFileSync } from 'node:fs';

/**
 * The package's version, read from its package.json. This file sits two levels below the
 * package root both as source (src/cli/) and compiled (dist/cli/).
 */
export function cliVersion(): string {
  const manifest = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version?: unknown };
  return String(manifest.version);
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A `--config` file in a fresh temporary directory: JSON from an object, or text as given. */
export function tempConfig(content: unknown): { path: string; dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'capture-kit-config-'));
  const path = join(dir, 'capture-kit.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return { path, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

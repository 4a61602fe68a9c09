import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `npm install` in a fresh clone must leave package-lock.json as it is. npm rewrites every
 * entry in its own key order and the root entry from package.json; so the entries that
 * scripts/complete-lockfile.mjs adds must already be in npm's order, the script must be a
 * no-op on a lock npm wrote, and the root entry must mirror package.json.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const lockText = readFileSync(join(root, 'package-lock.json'), 'utf8');
const lock = JSON.parse(lockText) as { packages: Record<string, Record<string, unknown>> };

describe('package-lock.json', () => {
  it('is left byte for byte as it is by scripts/complete-lockfile.mjs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capture-kit-lock-'));
    try {
      mkdirSync(join(dir, 'scripts'));
      cpSync(
        join(root, 'scripts/complete-lockfile.mjs'),
        join(dir, 'scripts/complete-lockfile.mjs'),
      );
      cpSync(join(root, 'package-lock.json'), join(dir, 'package-lock.json'));
      await promisify(execFile)('node', [join(dir, 'scripts/complete-lockfile.mjs')]);
      expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(lockText);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists the added Biome builds with their keys in the order npm writes them', () => {
    const fetched = lock.packages['node_modules/@biomejs/cli-linux-x64'];
    expect(fetched?.integrity).toBeDefined();
    const npmOrder = Object.keys(fetched ?? {}).filter(
      (key) => key !== 'integrity' && key !== 'resolved',
    );
    const added = Object.entries(lock.packages).filter(
      ([path, entry]) => path.startsWith('node_modules/@biomejs/cli-') && !entry.integrity,
    );
    expect(added.length).toBeGreaterThan(0);
    for (const [path, entry] of added) {
      const keys = Object.keys(entry);
      expect(keys, path).toEqual(npmOrder.filter((key) => keys.includes(key)));
    }
  });

  it('has a root entry that mirrors package.json', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const entry = lock.packages[''] ?? {};
    for (const field of [
      'name',
      'version',
      'license',
      'dependencies',
      'devDependencies',
      'engines',
      'peerDependencies',
    ]) {
      expect(entry[field], field).toEqual(manifest[field]);
    }
    const bin = Object.fromEntries(
      Object.entries(manifest.bin as Record<string, string>).map(([name, file]) => [
        name,
        file.replace(/^\.\//, ''),
      ]),
    );
    expect(entry.bin).toEqual(bin);
  });
});

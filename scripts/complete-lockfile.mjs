// Adds lockfile entries for the platform packages of @biomejs/biome that the package
// registry reachable from these machines does not serve (it answers 404 for the macOS,
// Windows, Android and musl builds). npm writes a lock entry only for what it could fetch,
// and `npm ci` then refuses the lock as "out of sync". The entries carry os/cpu/libc, so no
// machine fetches a build that is not its own.
//
// Run after any `npm install` that rewrote package-lock.json:  node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const biome = lock.packages['node_modules/@biomejs/biome'];
if (!biome) throw new Error('package-lock.json has no @biomejs/biome entry');

const platforms = {
  'cli-android-arm64': { os: ['android'], cpu: ['arm64'] },
  'cli-android-x64': { os: ['android'], cpu: ['x64'] },
  'cli-darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'cli-darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  'cli-linux-arm64': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
  'cli-linux-arm64-musl': { os: ['linux'], cpu: ['arm64'], libc: ['musl'] },
  'cli-linux-x64': { os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
  'cli-linux-x64-musl': { os: ['linux'], cpu: ['x64'], libc: ['musl'] },
  'cli-win32-arm64': { os: ['win32'], cpu: ['arm64'] },
  'cli-win32-x64': { os: ['win32'], cpu: ['x64'] },
};

let added = 0;
for (const name of Object.keys(biome.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  // An entry with an integrity hash is one npm fetched: keep it. One without is ours:
  // (re)write it, so an entry written in another key order is normalized too.
  const existing = lock.packages[key];
  if (existing?.integrity) continue;
  const platform = platforms[name.replace('@biomejs/', '')];
  if (!platform)
    throw new Error(`no platform facts for ${name}: add it to scripts/complete-lockfile.mjs`);
  // Keys in the order npm itself writes them (version, then the rest alphabetically,
  // engines last): `npm install` re-serializes every entry, and any other order shows up as
  // a rewritten package-lock.json in a fresh clone.
  lock.packages[key] = {
    version: biome.optionalDependencies[name],
    cpu: platform.cpu,
    dev: true,
    ...(platform.libc ? { libc: platform.libc } : {}),
    license: 'MIT OR Apache-2.0',
    optional: true,
    os: platform.os,
    engines: { node: '>=14.21.3' },
  };
  if (JSON.stringify(existing) !== JSON.stringify(lock.packages[key])) added += 1;
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
  ),
);
writeFileSync(path, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(
  `package-lock.json: ${added} Biome platform entr${added === 1 ? 'y' : 'ies'} added or normalized`,
);

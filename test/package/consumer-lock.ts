import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

type LockEntry = Record<string, unknown> & {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

interface Lock {
  packages: Record<string, LockEntry>;
}

/**
 * A package-lock.json for a consumer project that installs the packed tarball plus some of
 * this repository's own dev tools, built from this repository's lockfile: the same
 * versions and integrity hashes, so `npm ci --offline` can install everything from the
 * npm cache that `npm ci` filled here, without the network (npm needs registry metadata
 * to resolve version ranges, but not to install what a lockfile pins).
 */
export function consumerLock(options: {
  readonly repoLock: string;
  readonly tarball: string;
  readonly tarballSpec: string;
  readonly devDependencies: readonly string[];
}): { packageJson: Record<string, unknown>; lock: Record<string, unknown> } {
  const repo = JSON.parse(readFileSync(options.repoLock, 'utf8')) as Lock;
  const rootEntry = repo.packages[''];
  if (!rootEntry) throw new Error('the repository lock has no root entry');
  const packages: Record<string, LockEntry> = {};

  /** Where node would find `name` from the package installed at `from` (a lock path). */
  const locate = (name: string, from: string): string | undefined => {
    let dir = from;
    for (;;) {
      const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (repo.packages[candidate]) return candidate;
      if (!dir) return undefined;
      const at = dir.lastIndexOf('/node_modules/');
      dir = at < 0 ? '' : dir.slice(0, at);
    }
  };
  const add = (name: string, from: string, optional: boolean) => {
    const path = locate(name, from);
    if (!path) {
      if (optional) return;
      throw new Error(
        `${name} (needed by ${from || 'the consumer'}) is not in the repository lock`,
      );
    }
    if (packages[path]) return;
    // Flags describe this repository's tree; npm recomputes them for the consumer's.
    const {
      dev: _dev,
      devOptional: _devOptional,
      peer: _peer,
      ...entry
    } = repo.packages[path] as LockEntry;
    packages[path] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) add(dep, path, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) add(dep, path, true);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      add(dep, path, entry.peerDependenciesMeta?.[dep]?.optional === true);
    }
  };

  const dependencies = { 'capture-kit': options.tarballSpec };
  const devDependencies = Object.fromEntries(
    options.devDependencies.map((name) => {
      const version = repo.packages[`node_modules/${name}`]?.version;
      if (!version) throw new Error(`${name} is not installed in this repository`);
      return [name, version];
    }),
  );
  const integrity = `sha512-${createHash('sha512').update(readFileSync(options.tarball)).digest('base64')}`;
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  packages['node_modules/capture-kit'] = {
    version: manifest.version,
    resolved: options.tarballSpec,
    integrity,
    license: manifest.license,
    dependencies: manifest.dependencies,
    bin: Object.fromEntries(
      Object.entries(manifest.bin as Record<string, string>).map(([name, file]) => [
        name,
        file.replace(/^\.\//, ''),
      ]),
    ),
    engines: manifest.engines,
    peerDependencies: manifest.peerDependencies,
    peerDependenciesMeta: manifest.peerDependenciesMeta,
  };
  for (const dep of Object.keys(manifest.dependencies ?? {}))
    add(dep, 'node_modules/capture-kit', false);
  for (const dep of options.devDependencies) add(dep, '', false);

  const packageJson = {
    name: 'capture-kit-consumer',
    private: true,
    type: 'module',
    dependencies,
    devDependencies,
  };
  const sorted = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => a.localeCompare(b)),
  );
  return {
    packageJson,
    lock: {
      name: packageJson.name,
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: packageJson.name, dependencies, devDependencies }, ...sorted },
    },
  };
}

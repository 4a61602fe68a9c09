import { spawn } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as ClientModule from '../src/core/client.js';
import type * as AntomModule from '../src/providers/antom/index.js';
import type * as CheckoutModule from '../src/providers/checkout/index.js';
import type * as AntomSimulatorModule from '../src/testing/simulators/antom.js';
import type * as CheckoutSimulatorModule from '../src/testing/simulators/checkout.js';
import { REPO_ROOT } from './sim-client.js';

/**
 * The library under test, as it ships: `src/` compiled by `tsc -p tsconfig.build.json`
 * into a cache folder, and imported from there. Running the TypeScript sources through
 * tsx instead would measure tsx's transform (esbuild adds a `__name()` call for every
 * closure it creates), which is not what users run.
 */

/** Where the compiled library goes: inside node_modules, so its imports resolve. */
export const LIBRARY_DIR = join(REPO_ROOT, 'node_modules/.cache/capture-kit-bench');

/** The entry points the benchmarks use. */
export interface Library {
  readonly dir: string;
  readonly createCaptureClient: typeof ClientModule.createCaptureClient;
  readonly checkout: typeof CheckoutModule.checkout;
  readonly antom: typeof AntomModule.antom;
}

/** The simulators, from the same compiled tree. */
export interface Simulators {
  readonly startCheckoutSimulator: typeof CheckoutSimulatorModule.startCheckoutSimulator;
  readonly startAntomSimulator: typeof AntomSimulatorModule.startAntomSimulator;
}

/** Newest modification time and number of files under `src/`: what the build depends on. */
async function sourceStamp(): Promise<string> {
  const root = join(REPO_ROOT, 'src');
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts'));
  const times = await Promise.all(files.map(async (f) => (await stat(join(root, f))).mtimeMs));
  return `${files.length}:${Math.max(0, ...times)}`;
}

/**
 * Compiles `src/` into {@link LIBRARY_DIR} with the project's build settings.
 *
 * @example
 * ```ts
 * const dir = await buildLibrary();
 * ```
 */
export async function buildLibrary(): Promise<string> {
  const stampFile = join(LIBRARY_DIR, '.source-stamp');
  const stamp = await sourceStamp();
  if ((await readFile(stampFile, 'utf8').catch(() => '')) === stamp) return LIBRARY_DIR;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const child = spawn(
    process.execPath,
    [
      tsc,
      '-p',
      'tsconfig.build.json',
      '--outDir',
      LIBRARY_DIR,
      '--declaration',
      'false',
      '--declarationMap',
      'false',
      '--sourceMap',
      'false',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`compiling src/ for the benchmark failed:\n${output}`);
  await writeFile(stampFile, stamp);
  return LIBRARY_DIR;
}

export function moduleUrl(dir: string, path: string): string {
  return pathToFileURL(join(dir, path)).href;
}

/**
 * Imports the compiled library from `dir`.
 *
 * @example
 * ```ts
 * const { createCaptureClient, checkout } = await loadLibrary(await buildLibrary());
 * ```
 */
export async function loadLibrary(dir: string): Promise<Library> {
  const [client, checkout, antom] = await Promise.all([
    import(moduleUrl(dir, 'core/client.js')) as Promise<typeof ClientModule>,
    import(moduleUrl(dir, 'providers/checkout/index.js')) as Promise<typeof CheckoutModule>,
    import(moduleUrl(dir, 'providers/antom/index.js')) as Promise<typeof AntomModule>,
  ]);
  return {
    dir,
    createCaptureClient: client.createCaptureClient,
    checkout: checkout.checkout,
    antom: antom.antom,
  };
}

/**
 * Imports the compiled simulators from `dir`.
 *
 * @example
 * ```ts
 * const { startCheckoutSimulator } = await loadSimulators(dir);
 * ```
 */
export async function loadSimulators(dir: string): Promise<Simulators> {
  const [checkout, antom] = await Promise.all([
    import(moduleUrl(dir, 'testing/simulators/checkout.js')) as Promise<
      typeof CheckoutSimulatorModule
    >,
    import(moduleUrl(dir, 'testing/simulators/antom.js')) as Promise<typeof AntomSimulatorModule>,
  ]);
  return {
    startCheckoutSimulator: checkout.startCheckoutSimulator,
    startAntomSimulator: antom.startAntomSimulator,
  };
}

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/registry.js';
import { codeFiles } from '../docs/doc-code.js';
import { consumerLock } from './consumer-lock.js';

/**
 * The package as a consumer gets it: `npm pack` (which builds dist/ through `prepack`), a
 * fresh project that installs the tarball with `npm ci --offline` (from the npm cache the
 * repository's own `npm ci` filled: no network), then everything a newcomer does with it —
 * import every subpath (ESM and require), type-check under `module: nodenext`, run
 * `npx capture-kit --version`, and run the test files docs/testing.md builds, unchanged.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  version: string;
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(manifest.exports)
  .filter((subpath) => subpath !== './package.json')
  .map((subpath) => `capture-kit${subpath.slice(1)}`);

/** One export per entry point that must be there, and be a function. */
const PROBES: Record<string, string> = {
  'capture-kit': 'createCaptureClient',
  'capture-kit/provider': 'defineSettings',
  // Every provider of src/providers/registry.ts: capture-kit/<folder> exports its factory.
  ...Object.fromEntries(PROVIDERS.map(({ kind, folder }) => [`capture-kit/${folder}`, kind])),
  'capture-kit/testing': 'startCheckoutSimulator',
  'capture-kit/testing/conformance': 'testProvider',
  'capture-kit/otel': 'instrumentCaptureKit',
  'capture-kit/journal/postgres': 'postgresJournal',
};

const offline = {
  ...process.env,
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
};

/**
 * Per step. The whole file takes about half a minute on an idle machine (most of it the
 * build in `npm pack`); the limits are generous because CI machines are shared.
 */
const LIMIT = 120_000;

let work: string;
let consumer: string;
let packed: { filename: string; files: { path: string }[] };
let installLog: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'capture-kit-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: root,
    env: offline,
    timeout: LIMIT,
  });
  const [report] = JSON.parse(stdout) as (typeof packed)[];
  if (!report) throw new Error(`npm pack --json printed no report: ${stdout}`);
  packed = report;
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  const tarball = join(work, packed.filename);
  const { packageJson, lock } = consumerLock({
    repoLock: `${root}package-lock.json`,
    tarball,
    tarballSpec: `file:../${packed.filename}`,
    devDependencies: ['typescript', '@types/node', 'vitest'],
  });
  writeFileSync(join(consumer, 'package.json'), JSON.stringify(packageJson, null, 2));
  writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(lock, null, 2));
  const installed = await run('npm', ['ci', '--offline'], {
    cwd: consumer,
    env: offline,
    timeout: LIMIT,
  }).catch((error: { stderr?: string }) => {
    throw new Error(
      `npm ci --offline in the consumer project failed. It installs from the npm cache that running "npm ci" in this repository fills; run that first.\n${error.stderr ?? String(error)}`,
    );
  });
  installLog = installed.stdout + installed.stderr;
}, 2 * LIMIT);

afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 3 }));

describe('npm pack', () => {
  it('ships dist/, the bin, README and LICENSE: no sources, no source maps', () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/capture-kit.js']),
    );
    expect(paths.filter((path) => !path.startsWith('dist/'))).toHaveLength(4);
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
  });

  it('has no install-time scripts, so installing it warns about none', () => {
    const shipped = JSON.parse(
      readFileSync(join(consumer, 'node_modules/capture-kit/package.json'), 'utf8'),
    ) as { scripts?: Record<string, string>; repository?: unknown; license?: string };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(shipped.scripts?.[hook], hook).toBeUndefined();
    }
    expect(installLog).not.toMatch(/capture-kit@[^\n]*(prepare|install)/);
    expect(shipped.repository).toBeDefined();
    expect(shipped.license).toBe('MIT');
  });
});

describe('a consumer project', { timeout: LIMIT }, () => {
  it('imports every subpath, as ESM and with require()', async () => {
    // One CommonJS process does both: require() of each subpath, then import() of each.
    const script = subpaths
      .map(
        (
          s,
        ) => `if (typeof require('${s}').${PROBES[s]} !== 'function') throw new Error('require ${s}');
          if (typeof (await import('${s}')).${PROBES[s]} !== 'function') throw new Error('import ${s}');`,
      )
      .join('\n');
    await run(
      'node',
      [
        '--input-type=commonjs',
        '-e',
        `(async () => {\n${script}\n})().catch((e) => { console.error(e); process.exit(1); });`,
      ],
      {
        cwd: consumer,
        timeout: LIMIT,
      },
    );
    expect(Object.keys(PROBES).sort()).toEqual([...subpaths].sort());
  });

  it('type-checks with the tsconfig of docs/testing.md (nodenext): its test files, and every subpath', async () => {
    // The tsconfig.json docs/testing.md gives, plus this test's own two files.
    const guide = readFileSync(`${root}docs/testing.md`, 'utf8');
    const tsconfig = JSON.parse(
      /```json\n(\{\s*"compilerOptions"[\s\S]*?)```/.exec(guide)?.[1] ?? '{}',
    ) as {
      compilerOptions: { module?: string };
      include: string[];
    };
    expect(tsconfig.compilerOptions.module).toBe('nodenext');
    tsconfig.include = [...tsconfig.include, 'consumer.ts', 'consumer.cts'];
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(
      join(consumer, 'consumer.ts'),
      [
        "import { type CaptureError, createCaptureClient, fromMajor } from 'capture-kit';",
        "import { alipayV2 } from 'capture-kit/alipay-v2';",
        "import { antom, type AntomSettings } from 'capture-kit/antom';",
        "import { checkout, type CheckoutSettings } from 'capture-kit/checkout';",
        "import { startCheckoutSimulator } from 'capture-kit/testing';",
        "import { testProvider } from 'capture-kit/testing/conformance';",
        'const value: bigint = fromMajor("EUR", "35.00");',
        'const settings: CheckoutSettings = { secretKey: "sk_sbox_x" };',
        'export const used = [createCaptureClient, alipayV2, antom, checkout, startCheckoutSimulator, testProvider, value, settings];',
        'export type Used = [CaptureError, AntomSettings];',
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'consumer.cts'),
      [
        "import { createCaptureClient } from 'capture-kit';",
        "import { checkout } from 'capture-kit/checkout';",
        'export const client = createCaptureClient({ providers: { cko: checkout({ secretKey: "sk_sbox_x" }) } });',
      ].join('\n'),
    );
    for (const [path, code] of codeFiles('docs/testing.md')) {
      mkdirSync(dirname(join(consumer, path)), { recursive: true });
      writeFileSync(join(consumer, path), code);
    }
    const tsc = join(consumer, 'node_modules/typescript/bin/tsc');
    const check = await run('node', [tsc, '-p', '.'], { cwd: consumer, timeout: LIMIT }).catch(
      (error: { stdout: string }) => error,
    );
    expect(check.stdout).toBe('');
  });

  it('runs npx capture-kit --version', async () => {
    const { stdout } = await run('npx', ['capture-kit', '--version'], {
      cwd: consumer,
      env: offline,
    });
    expect(stdout.trim()).toBe(manifest.version);
  });

  it('passes the tests docs/testing.md builds, against the installed package', async () => {
    const vitest = join(consumer, 'node_modules/vitest/vitest.mjs');
    const result = await run('node', [vitest, 'run', '--reporter=json'], {
      cwd: consumer,
      env: { ...offline, NO_COLOR: '1' },
      timeout: LIMIT,
    }).catch((error: { stdout: string; stderr: string }) => error);
    const report = JSON.parse(result.stdout) as {
      numTotalTests: number;
      numFailedTests: number;
      numPassedTests: number;
      testResults: { name: string }[];
    };
    expect(report.numFailedTests, result.stdout).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(20);
    expect(report.testResults.map((r) => r.name.slice(consumer.length + 1)).sort()).toEqual([
      'test/capture.test.ts',
      'test/conformance.test.ts',
      'test/faults.test.ts',
      'test/webhook.test.ts',
    ]);
  });
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface DemoJson {
  passed: boolean;
  totalMs: number;
  capabilities: {
    provider: string;
    context: string;
    capabilities: { multipleCaptures: boolean };
  }[];
  scenarios: {
    provider: string;
    scenario: string;
    outcome: string;
    passed: boolean;
    detail: string;
  }[];
}

describe('npx capture-kit demo --json', () => {
  it('prints only JSON on stdout; every scenario against the simulators passes', async () => {
    // The command the README shows, as a newcomer runs it in a fresh clone: npx runs the
    // package's own bin (bin/capture-kit.js, through tsx), and prints nothing else on stdout.
    // Offline: npx must not look anything up in the registry.
    const { stdout } = await run('npx', ['capture-kit', 'demo', '--json'], {
      cwd: new URL('../..', import.meta.url),
      timeout: 180_000,
      env: { ...process.env, NO_COLOR: '1', npm_config_offline: 'true' },
    });
    const report = JSON.parse(stdout) as DemoJson;
    const failed = report.scenarios.filter((s) => !s.passed);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.scenarios.map((s) => s.provider)).toEqual([
      'all',
      'antom',
      'antom',
      'antom',
      'cko',
      'cko',
      'cko',
      'wallet',
      'stripe',
      'adyen',
      'antom',
      'cko',
    ]);
    const byName = (needle: string) => report.scenarios.find((s) => s.scenario.includes(needle));
    expect(byName('U answer')?.outcome).toMatch(/^unknown .* → succeeded$/);
    expect(byName('partial capture refused')?.outcome).toBe('not_attempted (unsupported)');
    expect(byName('NonFinal')?.outcome).toBe('pending → capture.succeeded');
    expect(byName('over-capture')?.outcome).toBe('failed (amount_exceeds_authorized)');
    expect(byName('timeout after commit')?.outcome).toBe('unknown (timeout) → succeeded');
    expect(byName('killed mid-capture')?.outcome).toBe(
      'killed while sending → reconcile: succeeded',
    );
    const cko = report.capabilities.filter((row) => row.provider === 'cko');
    expect(cko.find((row) => row.context === 'visa')?.capabilities.multipleCaptures).toBe(true);
    expect(cko.find((row) => row.context === 'jcb')?.capabilities.multipleCaptures).toBe(false);
    expect(report.capabilities.map((row) => row.provider)).toEqual(
      expect.arrayContaining(['antom', 'wallet', 'cko', 'stripe', 'adyen']),
    );
  }, 180_000);
});

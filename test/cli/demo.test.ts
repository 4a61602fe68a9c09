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

describe('npm run demo -- --json', () => {
  it('runs every scenario against the simulators and all pass', async () => {
    // The real entry point, as a newcomer runs it (and as CI does).
    const { stdout } = await run('npm', ['run', '--silent', 'demo', '--', '--json'], {
      cwd: new URL('../..', import.meta.url),
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
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
      'antom',
    ]);
    const byName = (needle: string) => report.scenarios.find((s) => s.scenario.includes(needle));
    expect(byName('U answer')?.outcome).toMatch(/^unknown .* → succeeded$/);
    expect(byName('partial capture refused')?.outcome).toBe('not_attempted (unsupported)');
    expect(byName('NonFinal')?.outcome).toBe('pending → capture.succeeded');
    expect(byName('over-capture')?.outcome).toBe('failed (amount_exceeds_authorized)');
    expect(byName('timeout after commit')?.outcome).toBe('unknown (timeout) → succeeded');
    const cko = report.capabilities.filter((row) => row.provider === 'cko');
    expect(cko.find((row) => row.context === 'visa')?.capabilities.multipleCaptures).toBe(true);
    expect(cko.find((row) => row.context === 'jcb')?.capabilities.multipleCaptures).toBe(false);
  }, 60_000);
});

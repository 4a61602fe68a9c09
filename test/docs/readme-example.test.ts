import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Runs the README's usage example for real, against the loopback simulators, so the
 * README cannot drift from the API. Only three things are changed before running it:
 * the package imports point at the sources, the example payment id becomes one the
 * simulator authorized, and the Checkout.com adapter gets the simulator's baseUrl (the
 * README's adapter would talk to checkout.com; tests talk only to 127.0.0.1).
 */
const root = new URL('../../', import.meta.url);
const workDir = new URL('test/docs/.generated/', root);

function readmeExample(): string {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const match = /## Use\n\n```ts\n([\s\S]*?)```/.exec(readme);
  if (!match?.[1]) throw new Error('README.md has no ```ts block under "## Use"');
  return match[1];
}

// Only this test's own file: other docs tests generate theirs next to it.
afterAll(() => rmSync(new URL('readme-example.ts', workDir), { force: true }));

describe('README usage example', () => {
  it('is at most about 15 lines of code', () => {
    const lines = readmeExample()
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(lines.length).toBeLessThanOrEqual(17);
  });

  it('runs against the simulators and yields a pending capture', async () => {
    const source = readmeExample()
      .replace("from 'capture-kit';", "from '../../../src/core/index.js';")
      .replace("from 'capture-kit/antom';", "from '../../../src/providers/antom/index.js';")
      .replace("from 'capture-kit/checkout';", "from '../../../src/providers/checkout/index.js';")
      .replace("'pay_kladqdb6hm5ebggtq45rtzjati'", 'paymentId')
      .replace(
        'checkout({ secretKey, webhookSecret })',
        'checkout({ secretKey, webhookSecret, baseUrl })',
      )
      .replace(
        'antom({ clientId, privateKey, antomPublicKey })',
        'antom({ clientId, privateKey, antomPublicKey, baseUrl: antomBaseUrl })',
      );
    expect(source).toContain('paymentId,');
    const prelude = `
import { startAntomSimulator, startCheckoutSimulator } from '../../../src/testing/index.js';
const antomSim = await startAntomSimulator();
const ckoSim = await startCheckoutSimulator();
const { clientId, privateKey, antomPublicKey } = antomSim.credentials;
const antomBaseUrl = antomSim.baseUrl;
const { secretKey, webhookSecret } = ckoSim.credentials;
const baseUrl = ckoSim.baseUrl;
const { paymentId } = await ckoSim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'visa' });
`;
    // Imports must come first in a module: keep the README's imports at the top.
    const imports = source.split('\n').filter((line) => line.startsWith('import '));
    const body = source.split('\n').filter((line) => !line.startsWith('import '));
    const epilogue = `
export { result, client };
export const captured = (await ckoSim.payment(paymentId)).capturedTotal;
export async function closeAll() { await client.close(); await antomSim.close(); await ckoSim.close(); }
`;
    mkdirSync(workDir, { recursive: true });
    const file = new URL('readme-example.ts', workDir);
    writeFileSync(file, [...imports, prelude, ...body, epilogue].join('\n'));
    const logged: unknown[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => logged.push(...args);
    try {
      const mod = (await import(file.href)) as {
        result: { isOk(): boolean; value?: { status: string } };
        captured: bigint;
        closeAll(): Promise<void>;
      };
      await mod.closeAll();
      expect(mod.result.isOk()).toBe(true);
      expect(logged).toEqual(['pending']);
      expect(mod.captured).toBe(3500n);
    } finally {
      console.log = log;
    }
  });
});

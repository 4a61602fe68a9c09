import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/registry.js';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  exports: Record<string, unknown>;
};
const typedoc = JSON.parse(readFileSync('typedoc.json', 'utf8')) as { entryPoints: string[] };

// The registry is the one list of providers; these are the places outside src/ that must
// agree with it (docs/adding-a-provider.md lists them).
describe.each(PROVIDERS.map((entry) => [entry.kind, entry] as const))('provider %s', (_, entry) => {
  it('is exported as capture-kit/<folder>, and typedoc documents every provider folder', () => {
    expect(manifest.exports[`./${entry.folder}`]).toEqual({
      types: `./dist/providers/${entry.folder}/index.d.ts`,
      default: `./dist/providers/${entry.folder}/index.js`,
    });
    // typedoc documents every provider folder through one glob.
    expect(typedoc.entryPoints).toContain('src/providers/*/index.ts');
  });

  it('has the folder files of DESIGN §1, a docs page and a conformance run', () => {
    for (const file of [
      'index.ts',
      'settings.ts',
      'capabilities.ts',
      'build-capture-body.ts',
      'send-capture.ts',
      'resolve-capture.ts',
      'schemas.ts',
      'signing.ts',
      'webhook.ts',
      'http.ts',
      'README.md',
    ]) {
      expect(existsSync(`src/providers/${entry.folder}/${file}`), file).toBe(true);
    }
    expect(existsSync(`docs/providers/${entry.folder}.md`)).toBe(true);
    expect(readFileSync(`test/${entry.folder}/conformance.test.ts`, 'utf8')).toContain(
      'testProvider(',
    );
  });
});

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { codeFiles, importsFromSource } from './doc-code.js';

/**
 * Runs docs/testing.md: writes the test files the page builds (its ```ts blocks, grouped by
 * the file named on their first line), with only the `capture-kit` imports pointed at the
 * sources, and imports them here, so their tests run as part of this file. The packed
 * package runs the same files unchanged (test/package/tarball.test.ts).
 */
const generated = 'test/docs/.generated/testing-guide';
const root = fileURLToPath(new URL('../../', import.meta.url));
const files = codeFiles('docs/testing.md');

afterAll(() => rmSync(`${root}${generated}`, { recursive: true, force: true }));

it('builds the test files it announces', () => {
  expect([...files.keys()]).toEqual([
    'test/capture.test.ts',
    'test/webhook.test.ts',
    'test/faults.test.ts',
    'test/conformance.test.ts',
  ]);
  for (const code of files.values()) expect(code).not.toMatch(/\.\.\/src\//);
});

for (const [path, code] of files) {
  const inRepo = `${generated}/${path}`;
  mkdirSync(dirname(`${root}${inRepo}`), { recursive: true });
  writeFileSync(`${root}${inRepo}`, importsFromSource(code, inRepo));
  describe(`docs/testing.md: ${path}`, async () => {
    await import(`${root}${inRepo}`);
  });
}

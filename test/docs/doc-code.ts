import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The files a docs page builds: every ```ts block whose first line is `// <path>`, blocks
 * with the same path concatenated in page order (the page's own convention: "blocks with
 * the same name follow each other in that file").
 */
export function codeFiles(page: string): Map<string, string> {
  const markdown = readFileSync(`${root}${page}`, 'utf8');
  const files = new Map<string, string>();
  for (const match of markdown.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const block = match[1] ?? '';
    const path = /^\/\/ (\S+\.ts)\n/.exec(block)?.[1];
    if (!path) throw new Error(`${page}: a ts block does not start with "// <file>.ts"`);
    const code = block.slice(block.indexOf('\n') + 1);
    files.set(path, files.has(path) ? `${files.get(path)}\n${code}` : code);
  }
  return files;
}

/** `capture-kit` subpath → the source file its export points at (`src/…/index.ts`). */
function sourceOf(subpath: string): string {
  const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
    exports: Record<string, { default: string } | string>;
  };
  const target = manifest.exports[subpath];
  if (!target || typeof target === 'string') throw new Error(`package.json exports no ${subpath}`);
  return target.default.replace(/^\.\/dist\//, 'src/');
}

/**
 * Points `from 'capture-kit…'` imports at the sources, as seen from `fileInRepo` (a path
 * relative to the repository root), so docs code runs without a build.
 */
export function importsFromSource(code: string, fileInRepo: string): string {
  return code.replace(
    /(from |import\()'(capture-kit(?:\/[\w/-]+)?)'/g,
    (_m, keyword: string, specifier: string) => {
      const subpath = `.${specifier.slice('capture-kit'.length)}`;
      const path = relative(dirname(`${root}${fileInRepo}`), `${root}${sourceOf(subpath)}`);
      return `${keyword}'${path.startsWith('.') ? path : `./${path}`}'`;
    },
  );
}

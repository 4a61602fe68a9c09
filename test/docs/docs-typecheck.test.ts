import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/registry.js';
import { codeFiles, importsFromSource } from './doc-code.js';

/**
 * The TypeScript in docs/ is real: every ```ts block type-checks against the sources, under
 * the project's strict settings. A page's blocks form one module, in page order (they
 * build on each other); names that stand for the reader's application (`order`,
 * `orders`) come from a `<!-- typecheck-prelude … -->` comment on the page, which renders as
 * nothing. docs/testing.md is checked file by file, as it builds separate files.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));

const PAGES = [
  'docs/getting-started.md',
  'docs/switching-acquirers.md',
  'docs/adding-a-provider.md',
  ...PROVIDERS.map(({ folder }) => `docs/providers/${folder}.md`),
];

function pageModule(page: string): string {
  const markdown = readFileSync(`${root}${page}`, 'utf8');
  const prelude = /<!-- typecheck-prelude[^\n]*\n([\s\S]*?)-->/.exec(markdown)?.[1] ?? '';
  const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return [prelude, ...blocks].join('\n');
}

/** Virtual files (repo-relative path → code) next to the real ones, so imports resolve. */
function typeErrors(files: Map<string, string>): string[] {
  const config = ts.readConfigFile(`${root}tsconfig.json`, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const virtual = new Map(
    [...files].map(([path, code]) => [`${root}${path}`, importsFromSource(code, path)]),
  );
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const { fileExists, readFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists(file);
  host.readFile = (file) => virtual.get(file) ?? readFile(file);
  const program = ts.createProgram([...virtual.keys()], { ...options, noEmit: true }, host);
  return [...virtual.keys()].flatMap((file) => {
    const source = program.getSourceFile(file);
    if (!source) return [`${file}: not loaded`];
    return [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ].map((d) => {
      const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      return `${file.slice(root.length)}:${line + 1}: ${text}`;
    });
  });
}

describe('docs TypeScript type-checks', () => {
  it('every ts block of the guides and provider pages, and every file of docs/testing.md', () => {
    const files = new Map<string, string>();
    for (const page of PAGES) {
      files.set(
        `test/docs/.generated/typecheck/${page.replace(/[/.]/g, '_')}.ts`,
        pageModule(page),
      );
    }
    for (const [path, code] of codeFiles('docs/testing.md')) {
      files.set(`test/docs/.generated/typecheck/testing/${path}`, code);
    }
    expect(typeErrors(files)).toEqual([]);
  }, 60_000);
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The API reference (typedoc) names each module by its import path, and the README it
 * shows as the front page links nothing relative (typedoc would copy such files into
 * media/). Running typedoc takes half a minute, so CI does that (`npm run docs`, warnings
 * are errors); this checks the inputs that decide those names.
 */
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const manifest = JSON.parse(read('package.json')) as {
  name: string;
  exports: Record<string, string | { default: string }>;
};
const typedoc = JSON.parse(read('typedoc.json')) as {
  entryPoints: string[];
  markdownItOptions?: { linkify?: boolean };
};

// `src/providers/*/index.ts` documents every provider folder: a new one needs no line here.
const entryPoints = typedoc.entryPoints.flatMap((entry) =>
  entry === 'src/providers/*/index.ts'
    ? readdirSync(new URL('../../src/providers/', import.meta.url), { withFileTypes: true })
        .filter((dirent) => dirent.isDirectory())
        .map((dirent) => `src/providers/${dirent.name}/index.ts`)
        .filter((file) => existsSync(new URL(`../../${file}`, import.meta.url)))
    : [entry],
);

const subpaths = Object.entries(manifest.exports).filter(
  ([subpath]) => subpath !== './package.json',
);

describe('API reference', () => {
  it.each(subpaths)('documents %s under its import path', (subpath, target) => {
    const compiled = typeof target === 'string' ? target : target.default;
    const source = compiled.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
    expect(entryPoints).toContain(source);
    const importPath = `${manifest.name}${subpath.slice(1)}`;
    expect(read(source)).toMatch(new RegExp(`^ \\* @module ${importPath}$`, 'm'));
  });

  it('documents nothing but the package entry points', () => {
    expect(entryPoints).toHaveLength(subpaths.length);
  });

  it('does not turn names such as Checkout.com into links', () => {
    expect(typedoc.markdownItOptions?.linkify).toBe(false);
  });
});

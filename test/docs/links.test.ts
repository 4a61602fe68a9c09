import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const REPO = 'https://github.com/capture-kit/capture-kit/blob/main/';

/** Markdown link targets outside code blocks. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
}

function markdownFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join('docs', 'api') ? [] : markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

describe('links', () => {
  it('the README links only absolute URLs (it is also the registry page), to files that exist', () => {
    const targets = links(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(targets.length).toBeGreaterThan(5);
    for (const target of targets) {
      expect(target, target).toMatch(/^https:\/\//);
      if (target.startsWith(REPO)) {
        const file = target.slice(REPO.length).replace(/#.*$/, '');
        expect(existsSync(join(root, file)), `${target}: ${file} does not exist`).toBe(true);
      }
    }
  });

  it('docs/ pages link to files that exist', () => {
    const broken: string[] = [];
    for (const page of markdownFiles('docs')) {
      for (const target of links(readFileSync(join(root, page), 'utf8'))) {
        if (/^[a-z]+:/.test(target) || target.startsWith('#')) continue;
        const file = join(dirname(join(root, page)), target.replace(/#.*$/, ''));
        if (!existsSync(file)) broken.push(`${page} → ${target} (${relative(root, file)})`);
      }
    }
    expect(broken).toEqual([]);
  });
});

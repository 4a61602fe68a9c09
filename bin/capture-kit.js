#!/usr/bin/env node
// The `capture-kit` command (package.json "bin").
//
// In an installed package this runs the compiled CLI in dist/. In a clone of the
// repository (src/ sits next to bin/ and tsx, a devDependency, is installed) it runs the
// TypeScript source through tsx instead, so `npx capture-kit` works right after
// `npm install` without a build step and never runs a stale dist/. That is what lets the
// package do without a `prepare` script, which every consumer's install would warn about.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/bin.ts', import.meta.url);
const compiled = new URL('../dist/cli/bin.js', import.meta.url);

async function tsxRegister() {
  try {
    const { register } = await import('tsx/esm/api');
    return register;
  } catch {
    return undefined; // no tsx (npm install --omit=dev): fall back to dist/.
  }
}

const register = existsSync(source) ? await tsxRegister() : undefined;
if (register) {
  register();
  await import(source.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  process.stderr.write(
    'capture-kit: dist/ is missing. In a clone of the repository run "npm install" (which brings tsx) or "npm run build".\n',
  );
  process.exitCode = 1;
}

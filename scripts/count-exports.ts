/**
 * Counts the names (values and types) each package.json entry point exports, through the
 * TypeScript checker: `npx tsx scripts/count-exports.ts` (add `-v` to list them).
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  exports: Record<string, string | { default: string }>;
};
const entries: [string, string][] = [];
for (const [subpath, target] of Object.entries(pkg.exports)) {
  if (typeof target === 'string') continue;
  entries.push([subpath, target.default.replace('./dist/', 'src/').replace(/\.js$/, '.ts')]);
}
const program = ts.createProgram(
  entries.map(([, file]) => file),
  {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
  },
);
const checker = program.getTypeChecker();
let total = 0;
for (const [subpath, file] of entries) {
  const source = program.getSourceFile(file);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${file} (${subpath}) is not a module`);
  const names = checker
    .getExportsOfModule(module)
    .map((symbol) => symbol.name)
    .sort();
  total += names.length;
  const list = process.argv.includes('-v') ? `  ${names.join(', ')}` : '';
  console.log(`${subpath.padEnd(22)} ${String(names.length).padStart(4)}${list}`);
}
console.log(`${'total'.padEnd(22)} ${String(total).padStart(4)}`);

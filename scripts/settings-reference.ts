/**
 * The settings block of each provider page (docs/providers/*.md): the adapter's settings
 * interface exactly as the code declares it, JSDoc included, with the imports its types
 * need, so the block is real TypeScript that type-checks on its own and cannot drift from
 * the code (`npm run docs:generate -- --check` fails when it does).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { PROVIDERS } from '../src/providers/registry.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** One adapter: its factory, its settings interface, and where both are imported from. */
export interface SettingsSpec {
  /** `src/providers/<folder>`, searched for the interface. */
  readonly folder: string;
  readonly factory: string;
  readonly interfaceName: string;
  /** The package subpath the factory and the interface's own types are imported from. */
  readonly importPath: string;
}

/**
 * The provider pages' settings blocks, keyed by page: one per entry of
 * src/providers/registry.ts, whose settings interface is `<Kind>Settings`.
 */
export const SETTINGS_SPECS: Readonly<Record<string, SettingsSpec>> = Object.fromEntries(
  PROVIDERS.map(({ kind, folder }) => [
    `docs/providers/${folder}.md`,
    {
      folder,
      factory: kind,
      interfaceName: `${kind.charAt(0).toUpperCase()}${kind.slice(1)}Settings`,
      importPath: `capture-kit/${folder}`,
    },
  ]),
);

function findInterface(spec: SettingsSpec): {
  source: ts.SourceFile;
  declaration: ts.InterfaceDeclaration;
  file: string;
} {
  const dir = `src/providers/${spec.folder}`;
  for (const name of readdirSync(`${root}${dir}`)
    .filter((n) => n.endsWith('.ts'))
    .sort()) {
    const file = `${dir}/${name}`;
    const source = ts.createSourceFile(
      file,
      readFileSync(`${root}${file}`, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const declaration = source.statements.find(
      (s): s is ts.InterfaceDeclaration =>
        ts.isInterfaceDeclaration(s) && s.name.text === spec.interfaceName,
    );
    if (declaration) return { source, declaration, file };
  }
  throw new Error(`${spec.interfaceName} is declared nowhere in ${dir}`);
}

/** The names of the types `node` refers to (`Dispatcher`, `AntomContract`, …). */
function typeNames(node: ts.Node, into = new Set<string>()): Set<string> {
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) into.add(node.typeName.text);
  node.forEachChild((child) => {
    typeNames(child, into);
  });
  return into;
}

/** Where `name` comes from in `source`: its import's module, or the package subpath. */
function moduleOf(name: string, source: ts.SourceFile, importPath: string): string {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) {
      continue;
    }
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    if (bindings.elements.some((element) => element.name.text === name)) {
      const from = statement.moduleSpecifier.text;
      // A type from inside the package is public through the adapter's entry point.
      return from.startsWith('.') ? importPath : from;
    }
  }
  return importPath; // declared in the same file, exported with the adapter
}

/** The ```ts block for one provider page. */
export function settingsBlock(spec: SettingsSpec): string {
  const { source, declaration, file } = findInterface(spec);
  const byModule = new Map<string, string[]>();
  for (const name of [...typeNames(declaration)].sort()) {
    const from = moduleOf(name, source, spec.importPath);
    byModule.set(from, [...(byModule.get(from) ?? []), name]);
  }
  const imports = [...byModule.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([from, names]) => `import type { ${names.join(', ')} } from '${from}';`);
  // The declaration as written, its members' JSDoc included. Not the interface's own JSDoc:
  // its @example holds a fenced block, which would end this one.
  const text = source.text
    .slice(declaration.getStart(), declaration.getEnd())
    .replace(/^export /, '');
  return [
    '```ts',
    `// ${spec.factory}(settings: ${spec.interfaceName}), from '${spec.importPath}'.`,
    `// Generated from ${file} by npm run docs:generate.`,
    ...imports,
    '',
    text,
    '```',
  ].join('\n');
}

/**
 * Checks that every public export carries an `@example` block tag (DESIGN.md §7),
 * using the same typedoc model `npm run docs` renders, so "public" means exactly
 * what typedoc.json's entry points export.
 *
 *   npm run docs:examples            exit 1 and list every export without @example
 *   npm run docs:examples -- --list  print the missing ones but exit 0
 */
import {
  Application,
  type Comment,
  type DeclarationReflection,
  type ProjectReflection,
  ReflectionKind,
  TSConfigReader,
  TypeDocReader,
} from 'typedoc';

const listOnly = process.argv.includes('--list');

// Explicit readers: the default set includes an argv reader that would reject `--list`.
// Warnings (README links, …) are `npm run docs`'s job; here only errors are shown.
const app = await Application.bootstrapWithPlugins({ logLevel: 'Error' }, [
  new TypeDocReader(),
  new TSConfigReader(),
]);
const project = await app.convert();
if (!project) {
  console.error('check-examples: typedoc could not convert the project (see errors above)');
  process.exit(1);
}

const hasExample = (comment: Comment | undefined) =>
  comment?.blockTags.some((tag) => tag.tag === '@example') ?? false;

// With several entry points the project's children are one Module per entry point;
// with a single entry point the project itself plays that role.
function entryPoints(
  root: ProjectReflection,
): { name: string; exports: DeclarationReflection[] }[] {
  const modules = (root.children ?? []).filter((child) => child.kindOf(ReflectionKind.Module));
  return modules.length > 0
    ? modules.map((module) => ({ name: module.name, exports: module.children ?? [] }))
    : [{ name: root.name, exports: root.children ?? [] }];
}

let total = 0;
const missing: string[] = [];
for (const entry of entryPoints(project)) {
  for (const reflection of entry.exports) {
    // A Reference is a re-export of something documented where it is declared.
    if (reflection.kindOf(ReflectionKind.Reference | ReflectionKind.Module)) continue;
    total += 1;
    // typedoc moves a function's JSDoc onto its signature(s).
    const documented =
      hasExample(reflection.comment) ||
      (reflection.signatures ?? []).some((signature) => hasExample(signature.comment));
    if (!documented) {
      missing.push(
        `${entry.name}: ${reflection.name} (${ReflectionKind.singularString(reflection.kind)})`,
      );
    }
  }
}

if (missing.length > 0) {
  console.error(`${missing.length} of ${total} public exports have no @example:`);
  for (const line of missing) console.error(`  ${line}`);
  process.exit(listOnly ? 0 : 1);
}
console.log(`${total} public exports, all with @example`);

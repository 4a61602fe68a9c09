/**
 * Imports an optional peer dependency only when it is used, so `capture-kit` itself never
 * needs `pg` or `@electric-sql/pglite` installed. A missing package becomes an error that
 * names it and the command that installs it.
 */
export async function loadOptional<T>(
  packageName: string,
  usedBy: string,
  importer: () => Promise<T>,
): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    if (isModuleNotFound(error, packageName)) {
      throw new Error(
        `${usedBy} needs the "${packageName}" package, which is not installed: npm install ${packageName}`,
        { cause: error },
      );
    }
    throw error;
  }
}

function isModuleNotFound(error: unknown, packageName: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    error.message.includes(packageName)
  );
}

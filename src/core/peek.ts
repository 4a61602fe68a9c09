/** Reads one property of an untrusted value without letting a throwing getter escape. */
export function peek(value: unknown, key: string): unknown {
  try {
    return value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)[key]
      : undefined;
  } catch {
    return undefined;
  }
}

/** A printable description of anything thrown. */
export function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    // e.g. an object without a prototype, or a throwing toString().
    return 'an unprintable value';
  }
}

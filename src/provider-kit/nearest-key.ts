/** Edit distance between two short names; small inputs only (setting and option keys). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known key a misspelt one most likely meant (`timeoutMS` → `timeoutMs`,
 * `webhookSecrets` → `webhookSecret`), or undefined when none is close: a different case,
 * or at most two edits for names longer than four characters.
 *
 * @example
 * ```ts
 * nearestKey('timeoutMS', ['baseUrl', 'timeoutMs']); // 'timeoutMs'
 * nearestKey('bogus', ['baseUrl', 'timeoutMs']);     // undefined
 * ```
 */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameLetters = known.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  const limit = key.length > 4 ? 2 : 1;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase());
    if (d <= limit && (best === undefined || d < best.distance))
      best = { key: candidate, distance: d };
  }
  return best?.key;
}

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The candidate nearest to `name` by edit distance, ignoring case (a misspelled `freezeDept`
 * finds `freezeDepth`); ties go to the earlier candidate. Undefined when there are none.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const key = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const c of candidates) {
    const distance = editDistance(key, c.toLowerCase());
    if (!best || distance < best.distance) best = { name: c, distance };
  }
  return best?.name;
}

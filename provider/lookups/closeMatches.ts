/** "Did you mean …": the names nearest to what a program asked for, for not-found errors. */
import leven from "leven";

/**
 * Up to `limit` candidates, best first: case-insensitive equality, then containment either way, then small edit
 * distance (at most a third of the longer name, so unrelated names are not suggested).
 */
export function closeMatches(query: string, candidates: Iterable<string>, limit = 5): string[] {
  const q = query.trim().toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(candidates)) {
    const n = name.toLowerCase();
    let score: number;
    if (n === q) score = 0;
    else if (n.includes(q) || q.includes(n)) score = 1 + Math.abs(n.length - q.length) / 100;
    else {
      const d = leven(n, q);
      if (d > Math.max(2, Math.ceil(Math.max(n.length, q.length) / 3))) continue;
      score = 2 + d;
    }
    scored.push({ name, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}

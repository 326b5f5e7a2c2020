/**
 * Keeps messages small. An error or log message travels to the engine in a gRPC status or Log request: one naming a
 * thousand users (or echoing a 100 000-character id) can exceed what the transport carries, and the run then hangs
 * until a deadline instead of failing. Every message this package builds from lists or from values it did not write
 * goes through these; the full detail stays where a user can get it (state, the access report file, the JSON report).
 */

/** Items shown before "and N more". */
export const MAX_LISTED = 20;
/** Characters of one value or message kept before the rest is cut. */
export const MAX_TEXT = 2000;

/** `a, b, c and 980 more`. */
export function listed(items: readonly string[], max = MAX_LISTED): string {
  const shown = items.slice(0, max).map((s) => boundText(s, 200));
  return items.length <= max ? shown.join(", ") : `${shown.join(", ")} and ${items.length - max} more`;
}

/** The first `max` lines, then `… and N more`. */
export function boundLines(lines: readonly string[], max = MAX_LISTED): string[] {
  return lines.length <= max ? [...lines] : [...lines.slice(0, max), `  … and ${lines.length - max} more`];
}

/** The text, cut to `max` characters with a note of how much was cut. */
export function boundText(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** A GitHub-flavoured Markdown table from a header row and body rows. */
export function mdTable(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  align?: readonly ("l" | "r")[],
): string {
  const sep = header.map((_, i) => ((align?.[i] ?? (i === 0 ? "l" : "r")) === "r" ? "---:" : "---"));
  const line = (cells: readonly (string | number)[]) =>
    `| ${cells.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(header), `|${sep.join("|")}|`, ...rows.map(line)].join("\n");
}

/** Seconds with one decimal. */
export function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A ratio with two decimals and a ×. */
export function times(x: number): string {
  return `${x.toFixed(2)}×`;
}

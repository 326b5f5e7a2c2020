/**
 * The shape of the provider calls an engine made, from the provider's own trace (QUICKBI_PROVIDER_TRACE_FILE, one JSON
 * line per call, written inside the provider host: provider/trace.ts). The same reading for both engines, so the
 * differential test can hold them to the same shape.
 */
import * as fs from "node:fs";
import type { TraceRecord } from "../../provider/trace";

export interface TraceCursor {
  file: string;
  offset: number;
}

/** The records appended since the cursor, and the cursor moved past them. */
export function readTrace(cursor: TraceCursor): TraceRecord[] {
  if (!fs.existsSync(cursor.file)) return [];
  const bytes = fs.readFileSync(cursor.file);
  const text = bytes.subarray(cursor.offset).toString("utf8");
  cursor.offset = bytes.length;
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as TraceRecord);
}

const byStart = (a: TraceRecord, b: TraceRecord) => a.start - b.start;

/** Check and diff calls that overlapped another check or diff (none when the engine makes them one at a time). */
export function overlappingCheckDiff(records: readonly TraceRecord[]): string[] {
  const cd = records.filter((r) => r.method === "check" || r.method === "diff").sort(byStart);
  const out: string[] = [];
  for (let i = 1; i < cd.length; i++) {
    if (cd[i].start < cd[i - 1].end)
      out.push(`${cd[i].method} ${cd[i].urn} began before ${cd[i - 1].method} ${cd[i - 1].urn} ended`);
  }
  return out;
}

/**
 * Registrations whose checks and diffs are not one run: the step generator handles a registration (check, diff, a
 * replacement's second check) to its end before the next one. A diff of another resource in between is allowed only
 * where the engine asks dependents of a delete-before-replace, which comes right after that resource's second check.
 */
export function interleavedRegistrations(records: readonly TraceRecord[]): string[] {
  const cd = records.filter((r) => r.method === "check" || r.method === "diff").sort(byStart);
  const done = new Set<string>();
  const out: string[] = [];
  let current: string | undefined;
  for (const r of cd) {
    const urn = r.urn ?? "?";
    if (urn === current) continue;
    if (r.method === "diff") {
      // Another resource's diff inside this registration: a cascade asking a dependent not registered yet.
      if (done.has(urn)) out.push(`${urn} diffed again after other registrations`);
      continue;
    }
    if (done.has(urn)) out.push(`${urn} checked again after other registrations`);
    if (current !== undefined) done.add(current);
    current = urn;
  }
  return out;
}

/** Each resource's provider calls in the order they began, e.g. "check diff check delete create". */
export function callsByResource(records: readonly TraceRecord[]): Record<string, string> {
  const out: Record<string, string[]> = {};
  for (const r of [...records].sort(byStart)) (out[r.urn ?? "?"] ??= []).push(r.ok ? r.method : `${r.method}!`);
  return Object.fromEntries(
    Object.entries(out)
      .map(([k, v]) => [k, v.join(" ")])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** The most calls of these methods under way at once. */
export function maxConcurrent(records: readonly TraceRecord[], methods: readonly string[]): number {
  const edges = records
    .filter((r) => methods.includes(r.method))
    .flatMap((r) => [
      { t: r.start, d: 1 },
      { t: r.end, d: -1 },
    ])
    .sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let max = 0;
  for (const e of edges) max = Math.max(max, (now += e.d));
  return max;
}

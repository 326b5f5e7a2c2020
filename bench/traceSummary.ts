/**
 * The provider trace of one phase (QUICKBI_PROVIDER_TRACE_FILE: one JSON line per provider call inside the host,
 * provider/trace.ts) summed up per method: how many calls, their p50 / p99 / max duration, and when the first started
 * and the last ended (from the phase's start). This is how check and diff are timed inside the host.
 */
import * as fs from "node:fs";
import { z } from "zod";
import { TRACED_METHODS, type MethodTiming, type TraceSummary } from "./results";

const TraceLineSchema = z.object({
  method: z.enum(TRACED_METHODS),
  kind: z.string(),
  urn: z.string().optional(),
  start: z.number(),
  end: z.number(),
  ok: z.boolean(),
});
export type TraceLine = z.infer<typeof TraceLineSchema>;

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export function timing(lines: readonly TraceLine[], phaseStart: number): MethodTiming | null {
  if (lines.length === 0) return null;
  const durations = lines.map((l) => l.end - l.start).sort((a, b) => a - b);
  return {
    count: lines.length,
    p50Ms: round(percentile(durations, 50)),
    p99Ms: round(percentile(durations, 99)),
    maxMs: round(durations[durations.length - 1]),
    totalMs: round(durations.reduce((a, b) => a + b, 0)),
    firstStartMs: round(Math.min(...lines.map((l) => l.start)) - phaseStart),
    lastEndMs: round(Math.max(...lines.map((l) => l.end)) - phaseStart),
  };
}

export function summarize(lines: readonly TraceLine[], phaseStart: number): TraceSummary {
  const of = (m: (typeof TRACED_METHODS)[number]) =>
    timing(
      lines.filter((l) => l.method === m),
      phaseStart,
    );
  return {
    check: of("check"),
    diff: of("diff"),
    create: of("create"),
    update: of("update"),
    read: of("read"),
    delete: of("delete"),
  };
}

/** Reads a trace file from a byte offset on: the lines one phase appended. */
export class TraceReader {
  #offset = 0;
  constructor(readonly file: string) {}

  /** Skips what is there now (call at the phase's start). */
  mark(): void {
    this.#offset = fs.existsSync(this.file) ? fs.statSync(this.file).size : 0;
  }

  /** The complete lines appended since mark(). */
  read(): TraceLine[] {
    if (!fs.existsSync(this.file)) return [];
    const text = fs.readFileSync(this.file).subarray(this.#offset).toString("utf8");
    return text
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => TraceLineSchema.parse(JSON.parse(l)));
  }
}

// What a preview / up / refresh / destroy reports back: the steps in completion order, counts, provider logs, errors.
// Secret values never appear here (only property names).
import type { LogEntry, PropertyMap } from "./host";

export type StepOp =
  "create" | "update" | "replace" | "delete" | "same" | "read" | "refresh-changed" | "refresh-deleted";

export const STEP_OPS: readonly StepOp[] = [
  "create",
  "update",
  "replace",
  "delete",
  "same",
  "read",
  "refresh-changed",
  "refresh-deleted",
];

export interface Step {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  /** e.g. the replacing properties, "delete-before-replace", "partially created". */
  detail?: string;
  /** Set when the step failed (the op is what was attempted). */
  error?: string;
}

export type Operation = "preview" | "up" | "refresh" | "destroy";

export interface RunReport {
  operation: Operation;
  ok: boolean;
  steps: Step[];
  /** Successful steps per op. */
  counts: Record<StepOp, number>;
  /** Provider log messages received from the host during the run (pulumi.log.* inside the provider). */
  logs: LogEntry[];
  durationMs: number;
  errors: string[];
  warnings: string[];
  /** Stack outputs after the run, secret values shown as "[secret]" (preview: unknowns as the UNKNOWN string). */
  outputs: PropertyMap;
}

export function countSteps(steps: readonly Step[]): Record<StepOp, number> {
  const counts = Object.fromEntries(STEP_OPS.map((op) => [op, 0])) as Record<StepOp, number>;
  for (const s of steps) if (!s.error) counts[s.op]++;
  return counts;
}

/** One line per step, like the CLI's summary. */
export function formatReport(r: RunReport): string {
  const symbol: Record<StepOp, string> = {
    create: "+",
    update: "~",
    replace: "+-",
    delete: "-",
    same: " ",
    read: ">",
    "refresh-changed": "~",
    "refresh-deleted": "-",
  };
  const lines = r.steps
    .filter((s) => s.op !== "same" && s.op !== "read")
    .map(
      (s) =>
        `${symbol[s.op].padEnd(2)} ${s.type} ${s.name} ${s.op}${s.detail ? ` (${s.detail})` : ""}${s.error ? ` FAILED: ${s.error}` : ""}`,
    );
  const summary =
    STEP_OPS.filter((op) => r.counts[op] > 0)
      .map((op) => `${r.counts[op]} ${op}`)
      .join(", ") || "no changes";
  return [
    ...lines,
    ...r.logs.map((l) => `${l.severity}: ${l.message}`),
    ...r.errors.map((e) => `error: ${e}`),
    `${r.operation}: ${summary} (${r.durationMs} ms)`,
  ].join("\n");
}

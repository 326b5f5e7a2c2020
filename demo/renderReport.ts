/**
 * A run report as a PR reviewer reads a `pulumi preview`: one line per resource that changes (symbol, type, name,
 * plan, what changes), then the counts. Resources that stay the same are counted, not listed.
 */
import type { RunReport, Step, StepOp } from "../engine/report";
import type { Colour, Printer } from "./printer";

const SYMBOL: Record<StepOp, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  same: " ",
  read: " ",
  "refresh-changed": "~",
  "refresh-deleted": "-",
};

const COLOUR: Record<StepOp, Colour> = {
  create: "green",
  update: "yellow",
  replace: "magenta",
  delete: "red",
  same: "dim",
  read: "dim",
  "refresh-changed": "yellow",
  "refresh-deleted": "red",
};

const PLAN: Record<"preview" | "done", Record<StepOp, string>> = {
  preview: {
    create: "create",
    update: "update",
    replace: "replace",
    delete: "delete",
    same: "same",
    read: "read",
    "refresh-changed": "drifted",
    "refresh-deleted": "gone",
  },
  done: {
    create: "created",
    update: "updated",
    replace: "replaced",
    delete: "deleted",
    same: "same",
    read: "unchanged",
    "refresh-changed": "drifted",
    "refresh-deleted": "gone",
  },
};

/** `pulumi-nodejs:dynamic/quickbi:QuickBIUser` → `quickbi:QuickBIUser` (the dynamic provider's prefix says nothing). */
export function shortType(type: string): string {
  return type.replace(/^pulumi-nodejs:dynamic\//, "");
}

/** Steps that change something, in a stable order for reading: by op, then type, then name. */
export function changingSteps(report: RunReport): Step[] {
  const order: StepOp[] = ["create", "update", "replace", "delete", "refresh-changed", "refresh-deleted"];
  return report.steps
    .filter((s) => order.includes(s.op) || s.error)
    .sort(
      (a, b) =>
        order.indexOf(a.op) - order.indexOf(b.op) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
    );
}

export function renderSteps(p: Printer, report: RunReport, details: Map<string, string>): void {
  const tense = report.operation === "preview" ? "preview" : "done";
  const steps = changingSteps(report);
  if (steps.length === 0) {
    p.line(`  ${p.paint("green", "no changes")}: Quick BI already matches the program`);
    return;
  }
  const typeW = Math.max(4, ...steps.map((s) => shortType(s.type).length));
  const nameW = Math.max(4, ...steps.map((s) => s.name.length));
  p.line(p.paint("dim", `      ${"Type".padEnd(typeW)}  ${"Name".padEnd(nameW)}  Plan`));
  for (const s of steps) {
    const sym = SYMBOL[s.op].padEnd(2);
    const plan = s.error ? p.paint("red", `${PLAN[tense][s.op]} FAILED`) : PLAN[tense][s.op];
    const info = details.get(s.urn) ?? s.detail ?? "";
    p.line(
      `  ${p.paint(COLOUR[s.op], sym)}  ${shortType(s.type).padEnd(typeW)}  ${s.name.padEnd(nameW)}  ${plan.padEnd(8)}${info ? `  ${p.paint("dim", `[${info}]`)}` : ""}`.trimEnd(),
    );
    if (s.error) p.line(`        ${p.paint("red", s.error)}`);
  }
}

export function renderCounts(p: Printer, report: RunReport): void {
  const c = report.counts;
  const preview = report.operation === "preview";
  const parts: [StepOp, string][] = preview
    ? [
        ["create", "to create"],
        ["update", "to update"],
        ["replace", "to replace"],
        ["delete", "to delete"],
      ]
    : report.operation === "refresh"
      ? [
          ["refresh-changed", "drifted (state updated)"],
          ["refresh-deleted", "gone (dropped from state)"],
        ]
      : [
          ["create", "created"],
          ["update", "updated"],
          ["replace", "replaced"],
          ["delete", "deleted"],
        ];
  p.line("  Resources:");
  for (const [op, label] of parts)
    if (c[op] > 0) p.line(`      ${p.paint(COLOUR[op], SYMBOL[op].padEnd(2))} ${c[op]} ${label}`);
  const unchanged = c.same + c.read;
  if (unchanged > 0) p.line(`         ${unchanged} unchanged`);
  p.line(p.paint("dim", `  Duration: ${(report.durationMs / 1000).toFixed(1)}s`));
}

/** `create 7`, `update 3 replace 1` — the counts of the ops that change something, for comparisons and tests. */
export function opSummary(report: RunReport): string {
  const ops: StepOp[] = ["create", "update", "replace", "delete", "refresh-changed", "refresh-deleted"];
  return (
    ops
      .filter((o) => report.counts[o] > 0)
      .map((o) => `${o} ${report.counts[o]}`)
      .join(", ") || "no changes"
  );
}

/**
 * The targets of issues 18 and 15 ("Done when"), evaluated on bench results: each with what was measured, the limit
 * and whether it is met. docs/scale.md's target tables are generated from these.
 */
import { findRun, floorOf, lowerBoundOf, phaseOf } from "./derive";
import type { BenchResults, Parallelism, PhaseName, PhaseResult, RunKey, ScenarioName } from "./results";

export interface Target {
  readonly issue: 15 | 18;
  readonly what: string;
  /** The measured value, in words (e.g. "12.3 s = 1.12 × floor"). */
  readonly measured: string;
  readonly limit: string;
  /** null: not measured in these results. */
  readonly met: boolean | null;
}

/** Actions that read memberships (a read per resource shows as one of these per resource). */
export const MEMBERSHIP_READS = [
  "QueryUserRoleInfoInWorkspace",
  "QueryWorkspaceUserList",
  "QueryUserGroupMember",
  "ListUserGroupsByUserId",
  "ListWorkspaceUserRolesByUserId",
];

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const x = (v: number) => `${v.toFixed(2)}×`;

function membershipReads(p: PhaseResult): number {
  return MEMBERSHIP_READS.reduce((n, a) => n + (p.callsByAction[a] ?? 0), 0);
}

/** Steps that did something (create, update, delete, replace, read). */
function operated(p: PhaseResult): number {
  return Object.entries(p.steps)
    .filter(([op]) => op !== "same")
    .reduce((n, [, c]) => n + c, 0);
}

function wallTarget(
  issue: 15 | 18,
  r: BenchResults,
  key: RunKey,
  phase: PhaseName,
  factor: number,
  withDeletes: "plus" | "within" | "no",
): Target {
  const what = `${phase}, ${key.parallelism} parallelism: coalesced wall`;
  const p = phaseOf(findRun(r, key), phase);
  const floor = floorOf(r, key, phase);
  const lb = lowerBoundOf(r, key, phase);
  if (!p || !floor || !lb) return { issue, what, measured: "not measured", limit: "", met: null };
  const deletes = lb.deletesAtLimitMs;
  const limit =
    withDeletes === "plus"
      ? factor * floor.wallMs + deletes
      : withDeletes === "within"
        ? factor * (floor.wallMs + deletes)
        : factor * floor.wallMs;
  const limitText =
    withDeletes === "plus"
      ? `${factor} × floor ${s(floor.wallMs)} + ${lb.deletes} deletes at the limit ${s(deletes)} = ${s(limit)}`
      : withDeletes === "within"
        ? `${factor} × (floor ${s(floor.wallMs)} + ${lb.deletes} deletes at the limit ${s(deletes)}) = ${s(limit)}`
        : `${factor} × floor ${s(floor.wallMs)} = ${s(limit)}`;
  return {
    issue,
    what,
    measured: `${s(p.wallMs)} (${x(p.wallMs / floor.wallMs)} floor)`,
    limit: limitText,
    met: p.wallMs <= limit,
  };
}

function callsTarget(issue: 15 | 18, r: BenchResults, key: RunKey, phase: PhaseName): Target {
  const what = `${phase}, ${key.parallelism} parallelism: API calls`;
  const p = phaseOf(findRun(r, key), phase);
  const lb = lowerBoundOf(r, key, phase);
  if (!p || !lb) return { issue, what, measured: "not measured", limit: "", met: null };
  const limit = 1.5 * lb.total;
  return {
    issue,
    what,
    measured: `${p.apiCalls} (${lb.total > 0 ? x(p.apiCalls / lb.total) : "–"} lower bound)`,
    limit: `1.5 × lower bound ${lb.total} = ${limit}`,
    met: p.apiCalls <= limit,
  };
}

function key(scenario: ScenarioName, users: number, parallelism: Parallelism): RunKey {
  return { scenario, users, engine: "cli", parallelism, mode: "coalesced" };
}

/** Issue 18: the real CLI, 1000 one-user memberships in 10 workspaces. */
export function issue18Targets(r: BenchResults, users = 1000): Target[] {
  const out: Target[] = [];
  for (const par of ["default", "unbounded"] as const) {
    const k = key("one-user", users, par);
    for (const phase of ["create", "change-roles", "refresh"] as const)
      out.push(wallTarget(18, r, k, phase, 1.3, "no"));
    out.push(wallTarget(18, r, k, "destroy", 1.3, "plus"));
  }
  for (const par of ["default", "unbounded"] as const) {
    const run = findRun(r, key("one-user", users, par));
    for (const method of ["check", "diff"] as const) {
      const what = `${method} p99 inside the host, ${par} parallelism (worst phase)`;
      const timings = (run?.phases ?? []).map((p) => p.trace?.[method]).filter((t) => t != null);
      const worst = timings.length > 0 ? Math.max(...timings.map((t) => t.p99Ms)) : undefined;
      out.push(
        worst === undefined
          ? { issue: 18, what, measured: "not measured", limit: "", met: null }
          : { issue: 18, what, measured: `${worst.toFixed(2)} ms`, limit: "5 ms", met: worst <= 5 },
      );
    }
  }
  for (const phase of ["create", "change-roles", "refresh", "destroy"] as const)
    out.push(callsTarget(18, r, key("one-user", users, "unbounded"), phase));
  for (const phase of ["create", "change-roles", "destroy"] as const) {
    const what = `${phase}, default parallelism: no read per resource`;
    const p = phaseOf(findRun(r, key("one-user", users, "default")), phase);
    if (!p) {
      out.push({ issue: 18, what, measured: "not measured", limit: "", met: null });
      continue;
    }
    const reads = membershipReads(p);
    const n = operated(p);
    out.push({
      issue: 18,
      what,
      measured: `${reads} membership reads for ${n} resources`,
      limit: `< 0.1 read per resource (${0.1 * n})`,
      met: reads < 0.1 * n,
    });
  }
  {
    const what = "checkpoint bytes per one-user membership, after create (default parallelism)";
    const p = phaseOf(findRun(r, key("one-user", users, "default")), "create");
    const floor = floorOf(r, key("one-user", users, "default"), "create");
    if (!p?.checkpoint || !floor?.checkpoint || p.checkpoint.resources === 0 || floor.checkpoint.resources === 0) {
      out.push({ issue: 18, what, measured: "not measured", limit: "", met: null });
    } else {
      const mine = p.checkpoint.bytes / p.checkpoint.resources;
      const nul = floor.checkpoint.bytes / floor.checkpoint.resources;
      out.push({
        issue: 18,
        what,
        measured: `${Math.round(mine)} B (${x(mine / nul)} the null provider's ${Math.round(nul)} B)`,
        limit: `1.5 × ${Math.round(nul)} = ${Math.round(1.5 * nul)} B`,
        met: mine <= 1.5 * nul,
      });
    }
  }
  return out;
}

/** Issue 15: the real CLI, the access scenario at 1000 users, unbounded parallelism. */
export function issue15Targets(r: BenchResults, users = 1000): Target[] {
  const k = key("access", users, "unbounded");
  const out: Target[] = [];
  for (const phase of ["create", "refresh", "change-roles"] as const) out.push(wallTarget(15, r, k, phase, 1.3, "no"));
  for (const phase of ["remove-10pct", "destroy"] as const) out.push(wallTarget(15, r, k, phase, 1.2, "within"));
  for (const phase of ["create", "refresh", "change-roles", "remove-10pct", "destroy"] as const)
    out.push(callsTarget(15, r, k, phase));
  for (const mode of ["baseline", "coalesced"] as const) {
    const run = findRun(r, { ...k, mode });
    const what = `failed operations, ${mode}`;
    out.push(
      run
        ? {
            issue: 15,
            what,
            measured: String(run.phases.reduce((n, p) => n + p.failedOperations, 0)),
            limit: "0",
            met: run.phases.every((p) => p.failedOperations === 0),
          }
        : { issue: 15, what, measured: "not measured", limit: "", met: null },
    );
  }
  return out;
}

/** The issues' targets as evaluated on results: the limits' arithmetic, on made-up numbers. */
import { issue15Targets, issue18Targets } from "../../bench/targets";
import { lowerBounds } from "../../bench/lowerBound";
import { SCENARIOS } from "../../bench/scenarios";
import type { BenchResults, Mode, Parallelism, PhaseResult, RunResult, ScenarioName } from "../../bench/results";

function phase(
  name: PhaseResult["phase"],
  wallMs: number,
  calls: Record<string, number> = {},
  extra: Partial<PhaseResult> = {},
): PhaseResult {
  const apiCalls = Object.values(calls).reduce((a, b) => a + b, 0);
  return {
    phase: name,
    wallMs,
    apiCalls,
    callsByAction: calls,
    throttled: 0,
    failedOperations: 0,
    errors: [],
    steps: {},
    hostPeakRssMiB: 100,
    membershipsExpected: 0,
    membershipsFound: 0,
    trace: null,
    apiSpan: null,
    checkpoint: null,
    ...extra,
  };
}

function run(scenario: ScenarioName, parallelism: Parallelism, mode: Mode, phases: PhaseResult[]): RunResult {
  return {
    scenario,
    users: 1000,
    engine: "cli",
    parallelism,
    mode,
    parallel: parallelism === "unbounded" ? "unbounded" : 8,
    durationMs: 1,
    phases,
  };
}

function results(runs: RunResult[]): BenchResults {
  return {
    version: 2,
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1,
    quick: false,
    machine: { node: "v20", cpus: 2, platform: "linux x64" },
    cli: { version: "3.276.0" },
    emulator: { latencyMs: 20, jitterMs: 20, qps: 100, burst: 100 },
    client: { maxQps: 150, maxRetries: 6, batchWindowMs: 60 },
    scenarios: [],
    lowerBounds: [...lowerBounds(SCENARIOS["one-user"], 1000, 100), ...lowerBounds(SCENARIOS.access, 1000, 100)],
    runs,
  };
}

const timing = (p99Ms: number) => ({
  count: 1000,
  p50Ms: 0.5,
  p99Ms,
  maxMs: p99Ms,
  totalMs: 500,
  firstStartMs: 0,
  lastEndMs: 1,
});

test("issue 18: wall within 1.3 × floor, destroy allowed the deletes at the flow-control limit, p99, calls, reads, checkpoint", () => {
  const floor = (par: Parallelism) =>
    run("one-user", par, "null", [
      phase("create", 100_000, {}, { checkpoint: { bytes: 2_000_000, resources: 1000 } }),
      phase("change-roles", 100_000),
      phase("refresh", 10_000),
      phase("destroy", 50_000),
    ]);
  const mine = (par: Parallelism) =>
    run("one-user", par, "coalesced", [
      phase(
        "create",
        129_000,
        { AddWorkspaceUsers: 10, QueryUserRoleInfoInWorkspace: 99 },
        {
          steps: { create: 1000 },
          checkpoint: { bytes: 3_100_000, resources: 1000 },
          trace: { check: timing(4.9), diff: null, create: null, update: null, read: null, delete: null },
        },
      ),
      phase("change-roles", 131_000, { UpdateWorkspaceUsersRole: 16 }, { steps: { update: 1000 } }),
      phase(
        "refresh",
        13_000,
        { QueryWorkspaceUserList: 15 },
        { trace: { check: null, diff: timing(5.1), create: null, update: null, read: null, delete: null } },
      ),
      // 1.3 × 50 s + 1000 deletes at 100/s = 75 s
      phase(
        "destroy",
        75_000,
        { DeleteUserFromWorkspace: 1000, QueryWorkspaceUserList: 100 },
        { steps: { delete: 1000 } },
      ),
    ]);
  const t = issue18Targets(results([floor("default"), mine("default"), floor("unbounded"), mine("unbounded")]));
  const met = (what: string) => t.find((x) => x.what === what)?.met;
  expect(met("create, default parallelism: coalesced wall")).toBe(true);
  expect(met("change-roles, unbounded parallelism: coalesced wall")).toBe(false);
  expect(met("refresh, unbounded parallelism: coalesced wall")).toBe(true);
  expect(met("destroy, default parallelism: coalesced wall")).toBe(true);
  expect(t.find((x) => x.what === "destroy, default parallelism: coalesced wall")?.limit).toBe(
    "1.3 × floor 50.0 s + 1000 deletes at the limit 10.0 s = 75.0 s",
  );
  expect(met("check p99 inside the host, default parallelism (worst phase)")).toBe(true);
  expect(met("diff p99 inside the host, unbounded parallelism (worst phase)")).toBe(false);
  expect(met("create, unbounded parallelism: API calls")).toBe(false); // 109 > 1.5 × 10
  expect(met("change-roles, unbounded parallelism: API calls")).toBe(false); // 16 > 15
  expect(met("refresh, unbounded parallelism: API calls")).toBe(true); // 15 ≤ 15
  expect(met("destroy, unbounded parallelism: API calls")).toBe(true); // 1100 ≤ 1500
  expect(met("create, default parallelism: no read per resource")).toBe(true); // 99 < 100
  expect(met("destroy, default parallelism: no read per resource")).toBe(false); // 100 reads for 1000 deletes
  expect(met("checkpoint bytes per one-user membership, after create (default parallelism)")).toBe(false); // 3100 > 1.5 × 2000
});

test("issue 15: removals within 1.2 × (floor + deletes at the limit); failed operations in both modes; unmeasured is not met", () => {
  const floor = run("access", "unbounded", "null", [
    phase("create", 10_000),
    phase("remove-10pct", 10_000),
    phase("destroy", 20_000),
  ]);
  const on = run("access", "unbounded", "coalesced", [
    phase("create", 13_000),
    // 1.2 × (10 s + 300 deletes at 100/s) = 15.6 s
    phase("remove-10pct", 15_600),
    phase("destroy", 60_000, {}, { failedOperations: 1 }),
  ]);
  const t = issue15Targets(results([floor, on]));
  const find = (what: string) => t.find((x) => x.what === what);
  expect(find("create, unbounded parallelism: coalesced wall")?.met).toBe(true);
  expect(find("remove-10pct, unbounded parallelism: coalesced wall")?.met).toBe(true);
  expect(find("destroy, unbounded parallelism: coalesced wall")?.met).toBe(false); // 1.2 × (20 + 27) = 56.4 s
  expect(find("refresh, unbounded parallelism: coalesced wall")?.met).toBeNull();
  expect(find("failed operations, coalesced")?.met).toBe(false);
  expect(find("failed operations, baseline")?.met).toBeNull();
});

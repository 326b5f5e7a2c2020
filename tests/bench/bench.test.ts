/**
 * The bench in small: each engine runs a scenario in the three modes at a few users. Speed is what the bench measures,
 * never what a test asserts; this checks that runs converge, that the floor touches no API, that the provider trace,
 * the host memory and the checkpoint are measured, and that the results are well formed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { plan } from "../../bench/plan";
import { BenchResultsSchema, type BenchResults, type RunResult } from "../../bench/results";
import { runBench } from "../../bench/run";
import { SCENARIOS } from "../../bench/scenarios";
import { formatSummary } from "../../bench/summary";
import { describeWithCli } from "../realengine/withCli";

const REPO = path.resolve(__dirname, "../..");
const USERS = 20;

function requireBuilt(): void {
  for (const f of ["bin/provider/runtime.js", "bin/bench/null/provider.js", "bin/bench/scenarios/index.js"]) {
    if (!fs.existsSync(path.join(REPO, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
}

function mode(results: BenchResults, m: RunResult["mode"]): RunResult {
  return results.runs.find((r) => r.mode === m)!;
}

function checkRuns(results: BenchResults, expectRuns: number): void {
  expect(BenchResultsSchema.safeParse(results).success).toBe(true);
  expect(results.runs).toHaveLength(expectRuns);
  for (const run of results.runs) {
    const scenario = SCENARIOS[run.scenario];
    const label = `${run.engine} ${run.mode}`;
    expect([label, run.error]).toEqual([label, undefined]);
    expect(run.phases.map((p) => p.phase)).toEqual(scenario.phases.map((p) => p.name));
    for (const p of run.phases) {
      const at = `${label} ${p.phase}`;
      expect([at, p.failedOperations, p.errors]).toEqual([at, 0, []]);
      expect([at, p.membershipsFound]).toEqual([at, p.membershipsExpected]);
      expect(Object.values(p.callsByAction).reduce((a, b) => a + b, 0)).toBe(p.apiCalls);
      expect([at, p.hostPeakRssMiB !== null && p.hostPeakRssMiB > 0]).toEqual([at, os.platform() === "linux"]);
      expect(p.checkpoint).not.toBeNull();
    }
    const create = run.phases[0];
    expect(create.checkpoint?.resources).toBe(scenario.resources(USERS));
    expect(run.phases.at(-1)?.checkpoint?.resources).toBe(0);
    // Every check and create the engine made reached the traced provider (the null provider's too).
    expect(create.trace?.check?.count).toBe(scenario.resources(USERS));
    expect(create.trace?.create?.count).toBe(scenario.resources(USERS));
    if (run.mode === "null") {
      // The floor: no API, Quick BI left as seeded.
      expect(run.phases.map((p) => [p.apiCalls, p.membershipsExpected, p.apiSpan])).toEqual(
        run.phases.map(() => [0, 0, null]),
      );
    } else {
      expect(create.membershipsExpected).toBe(scenario.access(USERS, scenario.phases[0].stage).size);
      expect(create.apiSpan!.lastMs).toBeGreaterThanOrEqual(create.apiSpan!.firstMs);
    }
  }
  // The baseline writes one user per call.
  expect(mode(results, "baseline").phases[0].callsByAction.AddWorkspaceUsers ?? 0).toBe(0);
  expect(results.lowerBounds.map((b) => b.phase)).toEqual(
    SCENARIOS[results.runs[0].scenario].phases.map((p) => p.name),
  );
  expect(formatSummary(results)).toContain(`${results.runs[0].scenario} ${USERS} ${results.runs[0].engine}`);
}

test("the offline driver: the access scenario in the three modes, unbounded", async () => {
  requireBuilt();
  const o = plan(
    { sizes: [USERS], scenarios: ["access"], engines: ["driver"], parallelism: ["unbounded"] },
    { cliDir: undefined },
  );
  const results = await runBench({ ...o, log: () => undefined });
  checkRuns(results, 3);
  // With every operation launched at once, coalescing merges the adds of one workspace.
  expect(mode(results, "coalesced").phases[0].callsByAction.AddWorkspaceUsers ?? 0).toBeGreaterThan(0);
  expect(results.runs.map((r) => [r.mode, r.parallel])).toEqual([
    ["null", "unbounded"],
    ["baseline", "unbounded"],
    ["coalesced", "unbounded"],
  ]);
  expect(results.cli).toBeNull();
}, 600_000);

describeWithCli("the bench on the real CLI", (cli) => {
  test("the one-user scenario in the three modes at the CLI's default parallelism", async () => {
    requireBuilt();
    const o = plan(
      { sizes: [USERS], scenarios: ["one-user"], engines: ["cli"], parallelism: ["default"] },
      { cliDir: cli.dir },
    );
    const results = await runBench({ ...o, log: () => undefined });
    checkRuns(results, 3);
    expect(results.runs.map((r) => r.parallel)).toEqual([1, 2, 3].map(() => 4 * os.availableParallelism()));
    expect(results.cli?.version).toMatch(/^3\.\d+\.\d+/);
    // The CLI's checkpoint of the package's resources and of the null provider's are both measured.
    expect(results.runs.map((r) => r.phases[0].checkpoint!.bytes > 0)).toEqual([true, true, true]);
  }, 600_000);
});

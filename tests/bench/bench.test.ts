/**
 * The bench in its quick form: a small organization, both modes, through the real host. Speed is what the bench
 * measures, never what a test asserts; this checks that a run completes, converges and reports well-formed results.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BenchResultsSchema, PHASES } from "../../bench/results";
import { QUICK, runBench } from "../../bench/run";
import { formatTable } from "../../bench/table";

const REPO = path.resolve(__dirname, "../..");

test("bench --quick with a small N: every phase of both modes converges and the results are well formed", async () => {
  if (!fs.existsSync(path.join(REPO, "bin/provider/runtime.js"))) throw new Error("run `npm run build` first");
  const lines: string[] = [];
  const results = await runBench({ ...QUICK, users: 40, concurrencies: ["unbounded"], qps: 1000, burst: 1000, maxQps: 500, log: (l) => lines.push(l) });

  expect(BenchResultsSchema.safeParse(results).success).toBe(true);
  expect(results.scenario).toMatchObject({ users: 40, workspaces: 10, groups: 20, perUserWorkspace: 40, perUserGroup: 40, memberships: 160 });
  expect(results.runs.map((r) => [r.concurrency, r.coalesce])).toEqual([
    ["unbounded", false],
    ["unbounded", true],
  ]);
  for (const run of results.runs) {
    expect(run.phases.map((p) => p.phase)).toEqual([...PHASES]);
    for (const p of run.phases) {
      expect([run.coalesce, p.phase, p.failedOperations]).toEqual([run.coalesce, p.phase, 0]);
      expect([run.coalesce, p.phase, p.membershipsFound]).toEqual([run.coalesce, p.phase, p.membershipsExpected]);
      expect(Object.values(p.callsByAction).reduce((a, b) => a + b, 0)).toBe(p.apiCalls);
    }
    expect(run.phases.find((p) => p.phase === "create")!.membershipsExpected).toBe(160);
    expect(run.phases.find((p) => p.phase === "destroy")!.membershipsExpected).toBe(0);
  }
  // The baseline never uses the batch actions; the coalesced run does.
  const [off, on] = results.runs;
  const create = (r: typeof off) => r.phases.find((p) => p.phase === "create")!.callsByAction;
  expect(create(off).AddWorkspaceUsers ?? 0).toBe(0);
  expect(create(on).AddWorkspaceUsers ?? 0).toBeGreaterThan(0);
  expect(results.comparisons).toHaveLength(PHASES.length);
  expect(formatTable(results)).toContain("engine concurrency: unbounded");
  // The floor (each stage's program with nothing behind it) is measured and printed.
  expect(Object.keys(results.programAloneMs)).toEqual(["initial", "roles-changed"]);
  expect(formatTable(results)).toMatch(/the program alone \(Pulumi SDK, instant answers, no provider\): create \d+\.\ds, change-roles \d+\.\ds/);
  expect(lines).toHaveLength(2 * PHASES.length);
}, 300_000);

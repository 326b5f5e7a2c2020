/** The generated comparison tables: the offline driver beside the CLI, growth with size, one-user vs list form. */
import { findRun, lowerBoundOf, phaseOf } from "./derive";
import { mdTable, secs, times } from "./markdown";
import type { BenchResults, EngineName, Mode, PhaseResult, RunKey, ScenarioName } from "./results";
import { dash, has, p50p99, sizes } from "./tableCells";

/** The offline driver beside the CLI: floor and coalesced wall, and calls. */
export function engineTable(r: BenchResults, scenario: ScenarioName, users: number): string | undefined {
  const rows: (string | number)[][] = [];
  for (const parallelism of ["default", "unbounded"] as const) {
    const k = (engine: EngineName, mode: Mode): RunKey => ({ scenario, users, engine, parallelism, mode });
    const cli = findRun(r, k("cli", "null")) ?? findRun(r, k("cli", "coalesced"));
    if (!cli || !has(r, (x) => x.engine === "driver" && x.scenario === scenario && x.users === users)) continue;
    for (const ph of cli.phases) {
      const get = (engine: EngineName, mode: Mode) => phaseOf(findRun(r, k(engine, mode)), ph.phase);
      const cf = get("cli", "null");
      const df = get("driver", "null");
      const cc = get("cli", "coalesced");
      const dc = get("driver", "coalesced");
      rows.push([
        parallelism,
        ph.phase,
        cf ? secs(cf.wallMs) : dash,
        df ? secs(df.wallMs) : dash,
        cc ? secs(cc.wallMs) : dash,
        dc ? secs(dc.wallMs) : dash,
        `${cc?.apiCalls ?? dash} / ${dc?.apiCalls ?? dash}`,
        p50p99(cc?.trace?.check),
        p50p99(dc?.trace?.check),
      ]);
    }
  }
  if (rows.length === 0) return undefined;
  return mdTable(
    [
      "parallelism",
      "phase",
      "floor CLI",
      "floor driver",
      "coalesced CLI",
      "coalesced driver",
      "coalesced calls CLI / driver",
      "check p50 / p99 CLI",
      "check p50 / p99 driver",
    ],
    rows,
  );
}

function sum(run: { phases: PhaseResult[] } | undefined, f: (p: PhaseResult) => number): number | undefined {
  return run ? run.phases.reduce((n, p) => n + f(p), 0) : undefined;
}

/** The whole life (every phase summed) per size: how cost grows. */
export function growthTable(r: BenchResults, scenario: ScenarioName): string | undefined {
  const rows: (string | number)[][] = [];
  for (const users of sizes(r, scenario)) {
    for (const engine of ["cli", "driver"] as const) {
      for (const parallelism of ["default", "unbounded"] as const) {
        const k = (mode: Mode): RunKey => ({ scenario, users, engine, parallelism, mode });
        const f = findRun(r, k("null"));
        const b = findRun(r, k("baseline"));
        const c = findRun(r, k("coalesced"));
        if (!f && !b && !c) continue;
        const fw = sum(f, (p) => p.wallMs);
        const bw = sum(b, (p) => p.wallMs);
        const cw = sum(c, (p) => p.wallMs);
        const lb = r.lowerBounds
          .filter((x) => x.scenario === scenario && x.users === users)
          .reduce((n, x) => n + x.total, 0);
        rows.push([
          users,
          engine,
          parallelism,
          fw !== undefined ? secs(fw) : dash,
          bw !== undefined ? `${secs(bw)}${fw ? ` (${times(bw / fw)})` : ""}` : dash,
          cw !== undefined ? `${secs(cw)}${fw ? ` (${times(cw / fw)})` : ""}` : dash,
          sum(b, (p) => p.apiCalls) ?? dash,
          sum(c, (p) => p.apiCalls) ?? dash,
          lb,
        ]);
      }
    }
  }
  if (rows.length === 0) return undefined;
  return mdTable(
    [
      "users",
      "engine",
      "parallelism",
      "floor",
      "baseline (÷ floor)",
      "coalesced (÷ floor)",
      "calls baseline",
      "calls coalesced",
      "lower bound",
    ],
    rows,
  );
}

/** One-user resources against the same users in list form, on the CLI. */
export function formTable(r: BenchResults): string | undefined {
  const rows: (string | number)[][] = [];
  for (const users of sizes(r, "one-user-lists")) {
    for (const parallelism of ["default", "unbounded"] as const) {
      const k = (scenario: ScenarioName, mode: Mode): RunKey => ({ scenario, users, engine: "cli", parallelism, mode });
      const lists = findRun(r, k("one-user-lists", "coalesced"));
      if (!lists) continue;
      for (const ph of lists.phases) {
        const one = phaseOf(findRun(r, k("one-user", "coalesced")), ph.phase);
        const oneFloor = phaseOf(findRun(r, k("one-user", "null")), ph.phase);
        const listFloor = phaseOf(findRun(r, k("one-user-lists", "null")), ph.phase);
        rows.push([
          users,
          parallelism,
          ph.phase,
          one ? secs(one.wallMs) : dash,
          oneFloor ? secs(oneFloor.wallMs) : dash,
          one ? one.apiCalls : dash,
          secs(ph.wallMs),
          listFloor ? secs(listFloor.wallMs) : dash,
          ph.apiCalls,
          lowerBoundOf(r, { scenario: "one-user-lists", users }, ph.phase)?.total ?? dash,
        ]);
      }
    }
  }
  if (rows.length === 0) return undefined;
  return mdTable(
    [
      "users",
      "parallelism",
      "phase",
      "one-user: coalesced",
      "one-user: floor",
      "one-user: calls",
      "10 lists: coalesced",
      "10 lists: floor",
      "10 lists: calls",
      "lower bound",
    ],
    rows,
  );
}

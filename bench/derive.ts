/** Lookups over bench results that tables, the chart and the targets share: a run's floor and lower bound. */
import type { BenchResults, LowerBound, PhaseName, PhaseResult, RunKey, RunResult } from "./results";

export function findRun(r: BenchResults, key: RunKey): RunResult | undefined {
  return r.runs.find(
    (x) =>
      x.scenario === key.scenario &&
      x.users === key.users &&
      x.engine === key.engine &&
      x.parallelism === key.parallelism &&
      x.mode === key.mode,
  );
}

export function phaseOf(run: RunResult | undefined, phase: PhaseName): PhaseResult | undefined {
  return run?.phases.find((p) => p.phase === phase);
}

/** The same phase of the null-provider run with the same scenario, size, engine and parallelism. */
export function floorOf(r: BenchResults, key: RunKey, phase: PhaseName): PhaseResult | undefined {
  return phaseOf(findRun(r, { ...key, mode: "null" }), phase);
}

export function lowerBoundOf(
  r: BenchResults,
  key: Pick<RunKey, "scenario" | "users">,
  phase: PhaseName,
): LowerBound | undefined {
  return r.lowerBounds.find((b) => b.scenario === key.scenario && b.users === key.users && b.phase === phase);
}

/** Small pieces the generated bench tables share: cells, the runs a results file holds. */
import { findRun, floorOf, phaseOf } from "./derive";
import { mdTable, times } from "./markdown";
import type { BenchResults, MethodTiming, PhaseName, PhaseResult, RunKey, ScenarioName } from "./results";
import type { Target } from "./targets";

export const dash = "–";

export function rss(p: PhaseResult | undefined): string {
  return p?.hostPeakRssMiB == null ? dash : String(Math.round(p.hostPeakRssMiB));
}

export function ratioToFloor(r: BenchResults, key: RunKey, phase: PhaseName): string {
  const p = phaseOf(findRun(r, key), phase);
  const floor = floorOf(r, key, phase);
  return p && floor && floor.wallMs > 0 ? times(p.wallMs / floor.wallMs) : dash;
}

export function p50p99(t: MethodTiming | null | undefined): string {
  return t ? `${t.p50Ms.toFixed(2)} / ${t.p99Ms.toFixed(2)}` : dash;
}

export function topActions(byAction: Record<string, number>): string {
  return Object.entries(byAction)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([a, n]) => `${a} ${n}`)
    .join(", ");
}

export function targetTable(targets: readonly Target[]): string {
  return mdTable(
    ["target", "measured", "limit", "met"],
    targets.map((t) => [
      t.what,
      t.measured,
      t.limit || dash,
      t.met === null ? "not measured" : t.met ? "**yes**" : "**no**",
    ]),
  );
}

export function sizes(r: BenchResults, scenario: ScenarioName): number[] {
  return [...new Set(r.runs.filter((x) => x.scenario === scenario).map((x) => x.users))].sort((a, b) => a - b);
}

export function has(r: BenchResults, pred: (k: RunKey) => boolean): boolean {
  return r.runs.some(pred);
}

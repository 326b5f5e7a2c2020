/**
 * What the bench needs from an engine: run one phase (up of a stage's program, refresh, destroy) and say how big its
 * checkpoint is. Two implementations: the Pulumi CLI (cli.ts) and the offline driver (driver.ts).
 */
import type { RunReport } from "../../engine/report";
import type { EngineName, Parallelism, ProgramProvider, ScenarioName } from "../results";

export interface EngineSetup {
  readonly scenario: ScenarioName;
  readonly users: number;
  readonly provider: ProgramProvider;
  readonly parallelism: Parallelism;
  /** Stack config (fully qualified keys); the secret keys are set as secrets. */
  readonly config: Record<string, string>;
  readonly secretKeys: readonly string[];
  /** QUICKBI_PROVIDER_TRACE_FILE for the provider host. */
  readonly traceFile: string;
}

/** What one operation reports, and how long the user waited for it. */
export interface PhaseRun {
  readonly report: RunReport;
  /** The CLI: the `pulumi up|refresh|destroy` process's lifetime; the driver: the whole operation. */
  readonly wallMs: number;
}

export interface BenchEngine {
  readonly name: EngineName;
  /** The parallelism as the engine was given it. */
  readonly parallel: number | "unbounded";
  up(stage: string): Promise<PhaseRun>;
  refresh(): Promise<PhaseRun>;
  destroy(): Promise<PhaseRun>;
  /** The checkpoint's size now and the custom resources in it; null when there is none. */
  checkpoint(): { bytes: number; resources: number } | null;
  close(): Promise<void>;
}

/** The CLI's default parallelism on this machine: 4 × GOMAXPROCS, which Go sets to the usable CPUs. */
export function cliDefaultParallel(cpus: number): number {
  return 4 * cpus;
}

/** The value Pulumi reads as "unbounded" (math.MaxInt32: the step executor then launches every step at once). */
export const UNBOUNDED_PARALLEL = 2147483647;

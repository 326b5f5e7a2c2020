/** What `npm run demo` reports: each phase with its checks, and the run as a whole. */
import type { Operation, RunReport } from "../engine/report";
import type { AccessReport } from "../provider/report";
import type { EngineKind } from "./demoEngine";

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface PhaseResult {
  title: string;
  operation: Operation | "out-of-band";
  report?: RunReport;
  /** Quick BI API calls during the phase, and how many of them changed something. */
  calls: number;
  writes: number;
  checks: Check[];
  /** What changed in Quick BI during the phase, one line per fact. */
  quickbiChanges: string[];
  /** The provider's access report of the phase (from its log), when it logged one. */
  accessReport: AccessReport;
}

export interface DemoResult {
  ok: boolean;
  exitCode: 0 | 1;
  engine: EngineKind;
  phases: PhaseResult[];
  failures: string[];
  lines: string[];
}

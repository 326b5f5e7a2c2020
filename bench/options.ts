/** The bench's options (what `bench/plan.ts` fills in from the command line) and its fixed settings. */
import type { EngineName, Mode, Parallelism, RunKey, ScenarioName } from "./results";

export interface BenchOptions {
  readonly quick: boolean;
  readonly scenarios: readonly ScenarioName[];
  readonly sizes: readonly number[];
  readonly engines: readonly EngineName[];
  readonly parallelisms: readonly Parallelism[];
  readonly modes: readonly Mode[];
  /** Runs left out of the matrix (e.g. a size one engine takes too long for). */
  readonly skip?: (key: RunKey) => boolean;
  /** Emulator latency: latencyMs + uniform 0..jitterMs. */
  readonly latencyMs: number;
  readonly jitterMs: number;
  /** Emulator flow control (per access key): excess requests get Throttling.User. */
  readonly qps: number;
  readonly burst: number;
  /** Client side (`quickbi:maxQps`); above the emulator's limit so that the baseline meets flow control. */
  readonly maxQps: number;
  readonly maxRetries: number;
  readonly batchWindowMs: number;
  /** The Pulumi CLI's folder; required when `engines` holds "cli". */
  readonly cliDir?: string;
  /** Progress lines (stderr by default). */
  readonly log?: (line: string) => void;
}

/** The emulator and client settings every run uses (docs/scale.md: documented, never tuned for a ratio). */
export const SETTINGS = {
  latencyMs: 20,
  jitterMs: 20,
  qps: 100,
  burst: 100,
  maxQps: 150,
  maxRetries: 6,
  batchWindowMs: 60,
} as const;

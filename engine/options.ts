// What an Engine is given, and the settings it resolves the way `pulumi up` does (pkg/cmd/pulumi/operations/up.go
// defaultParallel, sdk/go/common/env): an option plays the part of a flag, the environment the CLI's variables.
import * as os from "node:os";
import type { ProviderHost } from "./host";

export interface EngineOptions {
  /** The project directory (createWorkspace().dir): the host runs there and resolves the provider's require()s. */
  projectDir: string;
  /** Defaults to <projectDir>/.pulumi-state.json. */
  statePath?: string;
  project?: string;
  stack?: string;
  /** Stack config, keys fully qualified ("quickbi:endpoint"), values as strings. */
  config?: Record<string, string>;
  /** Which config keys are secret: secret to the program, never written to state or reports. */
  secretKeys?: string[];
  /**
   * Resource operations in flight at once, as `pulumi up --parallel`. Default as the CLI's: PULUMI_PARALLEL if set,
   * else 4 × the number of cores. "unbounded" is `--parallel 2147483647`.
   */
  parallel?: number | "unbounded";
  /** Diff on the workers instead of inline, as PULUMI_PARALLEL_DIFF=true (the default follows that variable). */
  parallelDiff?: boolean;
  /** Write the state file only at the end of an operation, as PULUMI_SKIP_CHECKPOINTS=true (the default). */
  skipCheckpoints?: boolean;
  /** Key for secret values in the state file; defaults to PULUMI_CONFIG_PASSPHRASE, else "". */
  secretsPassphrase?: string;
  /** Extra environment for the host process, as the CLI's own environment would carry it. */
  hostEnv?: Record<string, string | undefined>;
  nodePath?: string;
  /** A deadline per provider call (the engine has none). */
  callTimeoutMs?: number;
  /**
   * A host to use for every operation instead of spawning one per operation (as the CLI does). Saves the host's
   * start-up (seconds) in test suites; the caller stops it. Its provider instances, and so their configure(), are
   * cached for its lifetime.
   */
  host?: ProviderHost;
  /** Called with each host once it is configured (tests use it to kill the host mid-apply). */
  onHostStarted?: (host: ProviderHost) => void | Promise<void>;
}

/** The largest `--parallel`; the engine treats exactly this value as unbounded (deploy.Options.InfiniteParallelism). */
const MAX_INT32 = 2147483647;

/** env.Bool: "1" or "true" in any case. */
function envBool(value: string | undefined): boolean {
  return value === "1" || value?.toLowerCase() === "true";
}

/** env.Int: an integer, else 0. */
function envInt(value: string | undefined): number {
  const n = value === undefined || !/^[+-]?\d+$/.test(value.trim()) ? 0 : Number(value.trim());
  return Number.isSafeInteger(n) ? n : 0;
}

/** `--parallel`: the option, else PULUMI_PARALLEL (> 0), else 4 × the cores (GOMAXPROCS; here availableParallelism). */
export function resolveParallel(
  option: number | "unbounded" | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number | "unbounded" {
  let p: number;
  if (option === "unbounded") return "unbounded";
  if (option !== undefined) p = option;
  else {
    const fromEnv = envInt(env.PULUMI_PARALLEL);
    p = fromEnv > 0 ? Math.min(fromEnv, MAX_INT32) : 4 * os.availableParallelism();
  }
  if (p >= MAX_INT32) return "unbounded";
  // deploy.Options.DegreeOfParallelism: anything below 2 is one worker.
  return Math.max(1, Math.floor(p));
}

export function resolveParallelDiff(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return option ?? envBool(env.PULUMI_PARALLEL_DIFF);
}

export function resolveSkipCheckpoints(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return option ?? envBool(env.PULUMI_SKIP_CHECKPOINTS);
}

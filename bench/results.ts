/** The shape of `bench/results.json` (the schema is the source of truth; types derive from it). */
import { z } from "zod";

export const PHASES = ["create", "refresh", "change-roles", "remove-10pct", "destroy"] as const;
export const PhaseNameSchema = z.enum(PHASES);
export type PhaseName = z.infer<typeof PhaseNameSchema>;

export const SCENARIO_NAMES = ["one-user", "one-user-lists", "access"] as const;
export const ScenarioNameSchema = z.enum(SCENARIO_NAMES);
export type ScenarioName = z.infer<typeof ScenarioNameSchema>;

/** `cli`: the Pulumi CLI through the Automation API; `driver`: the offline engine driver (engine/). */
export const ENGINES = ["cli", "driver"] as const;
export const EngineNameSchema = z.enum(ENGINES);
export type EngineName = z.infer<typeof EngineNameSchema>;

/** `default`: the CLI's own default (4 × GOMAXPROCS); `unbounded`: the engine's infinite parallelism. */
export const PARALLELISMS = ["default", "unbounded"] as const;
export const ParallelismSchema = z.enum(PARALLELISMS);
export type Parallelism = z.infer<typeof ParallelismSchema>;

/** `baseline`: quickbi:coalesce=false; `coalesced`: the default; `null`: the null provider (the floor). */
export const MODES = ["baseline", "coalesced", "null"] as const;
export const ModeSchema = z.enum(MODES);
export type Mode = z.infer<typeof ModeSchema>;

/** Which resource classes a program declares. */
export type ProgramProvider = "quickbi" | "null";
export function providerOf(mode: Mode): ProgramProvider {
  return mode === "null" ? "null" : "quickbi";
}

/** One provider method's calls in a phase, from the provider trace; times in ms, starts and ends from the phase start. */
export const MethodTimingSchema = z.object({
  count: z.number().int().nonnegative(),
  p50Ms: z.number().nonnegative(),
  p99Ms: z.number().nonnegative(),
  maxMs: z.number().nonnegative(),
  /** Sum of the calls' durations. */
  totalMs: z.number().nonnegative(),
  firstStartMs: z.number(),
  lastEndMs: z.number(),
});
export type MethodTiming = z.infer<typeof MethodTimingSchema>;

export const TRACED_METHODS = ["check", "diff", "create", "update", "read", "delete"] as const;
export const TraceSummarySchema = z.object({
  check: MethodTimingSchema.nullable(),
  diff: MethodTimingSchema.nullable(),
  create: MethodTimingSchema.nullable(),
  update: MethodTimingSchema.nullable(),
  read: MethodTimingSchema.nullable(),
  delete: MethodTimingSchema.nullable(),
});
export type TraceSummary = z.infer<typeof TraceSummarySchema>;

export const PhaseResultSchema = z.object({
  phase: PhaseNameSchema,
  /** Wall time of the whole operation as the user waits for it (CLI or driver start, program, host, provider calls). */
  wallMs: z.number().nonnegative(),
  /** Every API request the emulator received (throttled ones included). */
  apiCalls: z.number().int().nonnegative(),
  callsByAction: z.record(z.number().int().nonnegative()),
  /** Responses with a Throttling* code. */
  throttled: z.number().int().nonnegative(),
  /** Resource operations that failed (steps with an error). */
  failedOperations: z.number().int().nonnegative(),
  /** The operation's own errors (first few), empty when it succeeded. */
  errors: z.array(z.string()),
  /** Resource steps by kind (create, update, delete, read, same, ...). */
  steps: z.record(z.number().int().nonnegative()),
  /** Peak resident memory of the provider host process (VmHWM), MiB; null where /proc is unavailable. */
  hostPeakRssMiB: z.number().nonnegative().nullable(),
  /** Memberships in the emulator after the phase that the program declares (a convergence check). */
  membershipsExpected: z.number().int().nonnegative(),
  membershipsFound: z.number().int().nonnegative(),
  /** The provider's calls inside the host (QUICKBI_PROVIDER_TRACE_FILE; the null provider's too). */
  trace: TraceSummarySchema.nullable(),
  /** When the first and the last API request of the phase arrived at the emulator, ms from the phase's start. */
  apiSpan: z.object({ firstMs: z.number(), lastMs: z.number() }).nullable(),
  /** The checkpoint after the phase: its size in bytes and the custom resources it holds. */
  checkpoint: z.object({ bytes: z.number().int().nonnegative(), resources: z.number().int().nonnegative() }).nullable(),
});
export type PhaseResult = z.infer<typeof PhaseResultSchema>;

export const RunKeySchema = z.object({
  scenario: ScenarioNameSchema,
  users: z.number().int().positive(),
  engine: EngineNameSchema,
  parallelism: ParallelismSchema,
  mode: ModeSchema,
});
export type RunKey = z.infer<typeof RunKeySchema>;

export const RunResultSchema = RunKeySchema.extend({
  /** The engine's parallelism as set: a number of operations, or "unbounded". */
  parallel: z.union([z.number().int().positive(), z.literal("unbounded")]),
  durationMs: z.number().nonnegative(),
  /** Set when the run could not go on (its later phases are missing). */
  error: z.string().optional(),
  phases: z.array(PhaseResultSchema),
});
export type RunResult = z.infer<typeof RunResultSchema>;

/** The fewest API calls a phase can take, computed from the scenario (bench/lowerBound.ts; formula in docs/scale.md). */
export const LowerBoundSchema = z.object({
  scenario: ScenarioNameSchema,
  users: z.number().int().positive(),
  phase: PhaseNameSchema,
  writes: z.number().int().nonnegative(),
  reads: z.number().int().nonnegative(),
  deletes: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** The lower-bound deletes at the emulator's flow-control limit (deletes / qps), ms. */
  deletesAtLimitMs: z.number().nonnegative(),
});
export type LowerBound = z.infer<typeof LowerBoundSchema>;

export const ScenarioInfoSchema = z.object({
  scenario: ScenarioNameSchema,
  title: z.string(),
  users: z.number().int().positive(),
  resources: z.number().int().nonnegative(),
  memberships: z.number().int().nonnegative(),
});

export const BenchResultsSchema = z.object({
  version: z.literal(2),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  quick: z.boolean(),
  machine: z.object({ node: z.string(), cpus: z.number().int().positive(), platform: z.string() }),
  /** The Pulumi CLI's version; null when no run used it. */
  cli: z.object({ version: z.string() }).nullable(),
  emulator: z.object({ latencyMs: z.number(), jitterMs: z.number(), qps: z.number(), burst: z.number() }),
  client: z.object({ maxQps: z.number(), maxRetries: z.number(), batchWindowMs: z.number() }),
  scenarios: z.array(ScenarioInfoSchema),
  lowerBounds: z.array(LowerBoundSchema),
  runs: z.array(RunResultSchema),
});
export type BenchResults = z.infer<typeof BenchResultsSchema>;

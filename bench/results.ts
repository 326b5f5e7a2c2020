/** The shape of `bench/results.json` (the schema is the source of truth; types derive from it). */
import { z } from "zod";

export const PHASES = ["create", "refresh", "change-roles", "remove-10pct", "destroy"] as const;
export const PhaseNameSchema = z.enum(PHASES);
export type PhaseName = z.infer<typeof PhaseNameSchema>;

export const ConcurrencySchema = z.union([z.literal("unbounded"), z.number().int().positive()]);
export type Concurrency = z.infer<typeof ConcurrencySchema>;

export const PhaseResultSchema = z.object({
  phase: PhaseNameSchema,
  /** Wall time of the whole operation as the user waits for it (host start, program, provider calls). */
  wallMs: z.number().nonnegative(),
  /** Every API request the emulator received (throttled ones included). */
  apiCalls: z.number().int().nonnegative(),
  callsByAction: z.record(z.number().int().nonnegative()),
  /** Responses with a Throttling* code. */
  throttled: z.number().int().nonnegative(),
  /** Resource operations that failed (steps with an error). */
  failedOperations: z.number().int().nonnegative(),
  /** Resource steps by kind (create, update, delete, read, same, ...). */
  steps: z.record(z.number().int().nonnegative()),
  /** Peak resident memory of the provider host process (VmHWM), MiB; null where /proc is unavailable. */
  hostPeakRssMiB: z.number().nonnegative().nullable(),
  /** Memberships in the emulator after the phase that the program declares (a convergence check). */
  membershipsExpected: z.number().int().nonnegative(),
  membershipsFound: z.number().int().nonnegative(),
});
export type PhaseResult = z.infer<typeof PhaseResultSchema>;

export const RunResultSchema = z.object({
  concurrency: ConcurrencySchema,
  coalesce: z.boolean(),
  phases: z.array(PhaseResultSchema),
});
export type RunResult = z.infer<typeof RunResultSchema>;

export const ComparisonSchema = z.object({
  concurrency: ConcurrencySchema,
  phase: PhaseNameSchema,
  /** baseline / coalesced; null when the coalesced value is 0. */
  callsRatio: z.number().nullable(),
  wallRatio: z.number().nullable(),
});

export const BenchResultsSchema = z.object({
  version: z.literal(1),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  quick: z.boolean(),
  machine: z.object({ node: z.string(), cpus: z.number().int().positive(), platform: z.string() }),
  emulator: z.object({ latencyMs: z.number(), jitterMs: z.number(), qps: z.number(), burst: z.number() }),
  client: z.object({ maxQps: z.number(), maxRetries: z.number(), batchWindowMs: z.number() }),
  scenario: z.object({
    users: z.number().int().positive(),
    workspaces: z.number().int().positive(),
    groups: z.number().int().positive(),
    perUserWorkspace: z.number().int(),
    perUserGroup: z.number().int(),
    listWorkspace: z.number().int(),
    listGroup: z.number().int(),
    memberships: z.number().int(),
  }),
  /**
   * The stage's program alone (Pulumi SDK, a monitor answering at once, no provider): a floor under any `up` of it.
   * `initial` is the create phase's program, `roles-changed` the role-change phase's.
   */
  programAloneMs: z.object({ initial: z.number().nonnegative(), "roles-changed": z.number().nonnegative() }),
  runs: z.array(RunResultSchema),
  comparisons: z.array(ComparisonSchema),
});
export type BenchResults = z.infer<typeof BenchResultsSchema>;

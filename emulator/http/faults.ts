import { z } from "zod";
import { QuickBIError } from "../model/errors";
import { gatewayErrors } from "./gatewayErrors";
import { mulberry32 } from "./prng";
import { TokenBucket } from "./tokenBucket";

const rate = z.number().min(0).max(1);

/**
 * One fault rule. Every field is optional; a rule without `actions` applies to every API action, a rule without
 * `times` never runs out. `times` counts the calls the rule actually affected (delayed, throttled, failed, reset).
 */
export const FaultRuleSchema = z
  .object({
    /** Only these actions (e.g. ["AddWorkspaceUsers"]). */
    actions: z.array(z.string().min(1)).optional(),
    /** Affect at most this many calls, then go quiet. */
    times: z.number().int().positive().optional(),
    /** Fixed delay before the call is processed. */
    latencyMs: z.number().min(0).optional(),
    /** Extra uniform random delay in [0, jitterMs]. */
    jitterMs: z.number().min(0).optional(),
    /** Requests per second per access key; excess answered with Throttling.User (400). */
    qps: z.number().positive().optional(),
    /** Token bucket size (default: max(1, qps)). */
    burst: z.number().int().positive().optional(),
    /** Share of calls answered with a transient error instead of being processed. */
    errorRate: rate.optional(),
    /** The injected error's Code (default: ServiceUnavailable 503 or InternalError 500, chosen at random). */
    errorCode: z.string().min(1).optional(),
    errorStatus: z.number().int().min(400).max(599).optional(),
    errorMessage: z.string().optional(),
    /** Share of calls whose connection is destroyed before processing (nothing applied). */
    resetRate: rate.optional(),
    /** Share of calls processed normally but answered only after `slowMs` (beyond a client's timeout). */
    slowRate: rate.optional(),
    slowMs: z.number().min(0).optional(),
    /** Share of calls processed (mutation applied and persisted) whose connection is then destroyed. */
    failAfterApplyRate: rate.optional(),
  })
  .strict();

/** The whole fault configuration: a top-level rule (flags) plus scoped/counted `rules`, and the PRNG seed. */
export const FaultSettingsSchema = FaultRuleSchema.extend({
  randomSeed: z.number().int().optional(),
  rules: z.array(FaultRuleSchema).optional(),
}).strict();

export type FaultRule = z.infer<typeof FaultRuleSchema>;
export type FaultSettings = z.infer<typeof FaultSettingsSchema>;
export type FaultSettingsInput = z.input<typeof FaultSettingsSchema>;

/** Faults with a known meaning; any other `errorCode` needs `errorStatus` (default 500). */
const KNOWN_ERRORS: Record<string, () => QuickBIError> = {
  ServiceUnavailable: gatewayErrors.serviceUnavailable,
  InternalError: gatewayErrors.internalError,
  "Throttling.User": gatewayErrors.throttlingUser,
  Throttling: () => new QuickBIError("Throttling", "Request was denied due to request throttling.", 400),
  "Throttling.Api": () => new QuickBIError("Throttling.Api", "Request was denied due to api flow control.", 400),
  "Internal.System.Error": () => new QuickBIError("Internal.System.Error", "An internal system error occurred.", 400),
};

/** What the server must do to one API call. */
export interface FaultPlan {
  /** Delay before processing. */
  delayMs: number;
  /** Destroy the connection without processing. */
  resetBefore: boolean;
  /** Answer this error without processing. */
  reject?: QuickBIError;
  /** Process, then wait this long before answering. */
  slowMs: number;
  /** Process (and persist), then destroy the connection instead of answering. */
  resetAfter: boolean;
  /** Names of the injected faults, for the call log. */
  injected: string[];
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number | undefined;
  buckets: Map<string, TokenBucket>;
}

export interface FaultState {
  randomSeed: number;
  rules: Array<FaultRule & { remaining?: number }>;
}

/**
 * Decides per call which faults to inject. Rules are evaluated in order: every matching rule adds its latency; the
 * first rule that throttles, resets or fails the call decides it and later rules are not consulted for that call.
 * Random draws come from one seeded PRNG in a fixed order, so a sequential run is reproducible.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private random: () => number;
  private seed: number;

  constructor(
    settings: FaultSettingsInput = {},
    private readonly now: () => number = Date.now,
    defaultSeed: number = Math.floor(Math.random() * 2 ** 31),
  ) {
    this.seed = defaultSeed;
    this.random = mulberry32(defaultSeed);
    this.set(settings);
  }

  /** Replaces the whole configuration and reseeds the PRNG (with `randomSeed` if given, else the last seed). */
  set(input: FaultSettingsInput): void {
    const settings = FaultSettingsSchema.parse(input);
    const { randomSeed, rules, ...top } = settings;
    if (randomSeed !== undefined) this.seed = randomSeed;
    this.random = mulberry32(this.seed);
    const all = [top, ...(rules ?? [])].filter((r) => Object.values(r).some((v) => v !== undefined));
    this.rules = all.map((rule) => ({ rule, remaining: rule.times, buckets: new Map() }));
  }

  clear(): void {
    this.set({});
  }

  state(): FaultState {
    return {
      randomSeed: this.seed,
      rules: this.rules.map((r) => (r.remaining === undefined ? { ...r.rule } : { ...r.rule, remaining: r.remaining })),
    };
  }

  plan(action: string, accessKeyId: string): FaultPlan {
    const plan: FaultPlan = { delayMs: 0, resetBefore: false, slowMs: 0, resetAfter: false, injected: [] };
    let decided = false;
    for (const active of this.rules) {
      const { rule } = active;
      if (active.remaining !== undefined && active.remaining <= 0) continue;
      if (rule.actions && !rule.actions.includes(action)) continue;
      let fired = false;
      const delay = (rule.latencyMs ?? 0) + (rule.jitterMs ? Math.floor(this.random() * (rule.jitterMs + 1)) : 0);
      if (delay > 0) {
        plan.delayMs += delay;
        fired = true;
      }
      if (!decided) {
        if (rule.qps !== undefined && !this.bucketFor(active, accessKeyId).tryTake(this.now())) {
          plan.reject = gatewayErrors.throttlingUser();
          plan.injected.push("throttle");
          decided = fired = true;
        } else if (this.chance(rule.resetRate)) {
          plan.resetBefore = true;
          plan.injected.push("reset");
          decided = fired = true;
        } else if (this.chance(rule.errorRate)) {
          plan.reject = this.injectedError(rule);
          plan.injected.push(`error:${plan.reject.code}`);
          decided = fired = true;
        } else if (this.chance(rule.failAfterApplyRate)) {
          plan.resetAfter = true;
          plan.injected.push("failAfterApply");
          decided = fired = true;
        } else if (this.chance(rule.slowRate)) {
          plan.slowMs = Math.max(plan.slowMs, rule.slowMs ?? 30_000);
          plan.injected.push("slow");
          fired = true;
        }
      }
      if (fired && active.remaining !== undefined) active.remaining -= 1;
    }
    if (plan.delayMs > 0) plan.injected.unshift(`latency:${plan.delayMs}ms`);
    return plan;
  }

  // A rate of 0 or 1 draws nothing, so adding a certain fault does not shift the random sequence of others.
  private chance(p: number | undefined): boolean {
    if (p === undefined || p <= 0) return false;
    if (p >= 1) return true;
    return this.random() < p;
  }

  private injectedError(rule: FaultRule): QuickBIError {
    const code = rule.errorCode ?? (this.random() < 0.5 ? "ServiceUnavailable" : "InternalError");
    const known = KNOWN_ERRORS[code];
    const base = known ? known() : new QuickBIError(code, rule.errorMessage ?? `Injected fault ${code}.`, 500);
    if (rule.errorStatus === undefined && rule.errorMessage === undefined) return base;
    return new QuickBIError(code, rule.errorMessage ?? base.message, rule.errorStatus ?? base.httpStatus);
  }

  private bucketFor(active: ActiveRule, accessKeyId: string): TokenBucket {
    let bucket = active.buckets.get(accessKeyId);
    if (!bucket) {
      const qps = active.rule.qps!;
      bucket = new TokenBucket(qps, active.rule.burst ?? Math.max(1, qps), this.now());
      active.buckets.set(accessKeyId, bucket);
    }
    return bucket;
  }
}

import { Organization, type OrganizationOptions } from "./model/organization";
import { actions as defaultActions } from "./http/responses";
import type { Seed, SeedInput } from "./model/seed";
import { EmulatorServer, type ActionHandlerOf, type ModelBinding } from "./http/server";
import type { CallRecord } from "./http/callLog";
import type { FaultSettingsInput, FaultState } from "./http/faults";
import { modelRulesOf, parseQuirks } from "./http/quirks";
import { loadState, readSeedFile } from "./http/stateStore";
import { defaultSeed, DEMO_ACCESS_KEY } from "./defaultSeed";

export { defaultSeed, DEMO_ACCESS_KEY };
export { SeedSchema, type Seed, type SeedInput } from "./model/seed";
export { QuickBIError } from "./model/errors";
export { CallRecordSchema, type CallRecord } from "./http/callLog";
export {
  FaultRuleSchema,
  FaultSettingsSchema,
  type FaultRule,
  type FaultSettings,
  type FaultSettingsInput,
  type FaultState,
} from "./http/faults";
export type { CallContext } from "./http/server";
export { QUIRK_NAMES, UnknownQuirkError, type Quirk } from "./http/quirks";

export type EmulatorActionHandler = ActionHandlerOf<Organization>;

export interface EmulatorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The organization to start from: a seed object or the path of a seed JSON file. Default: `defaultSeed()`. */
  seed?: SeedInput | string;
  /** State file: loaded at start when it exists (instead of `seed`), rewritten atomically after every write. */
  statePath?: string;
  /** Fixed delay added to every API call. */
  latencyMs?: number;
  /** Extra uniform random delay in [0, jitterMs]. */
  jitterMs?: number;
  /** Requests per second per access key; excess is answered with Throttling.User. */
  qps?: number;
  burst?: number;
  /** Share of API calls failing with ServiceUnavailable (503) / InternalError (500). */
  errorRate?: number;
  /** Share of API calls whose connection is reset before processing. */
  resetRate?: number;
  /** Seeds the fault PRNG and the model's id generator: same seed + same calls = same run. */
  randomSeed?: number;
  /** Full fault settings (scoped and counted rules); merged over the flag-style fields above. */
  faults?: FaultSettingsInput;
  /** Accepted clock skew of signed requests, default 15 minutes. */
  timestampWindowMs?: number;
  /** Serve /__emulator/* to non-loopback clients as well (default: loopback only). */
  allowRemoteIntrospection?: boolean;
  /** Called after every API call (the CLI logs one line per call). */
  onCall?: (record: CallRecord) => void;
  /**
   * The other reading of ambiguous pages, by name (emulator/README.md, "What the pages leave open"):
   * `batch-errors-whole-request`, `batch-all-failed-success-true`, `failure-detail-literal-key`,
   * `failure-detail-as-string`, `errors-http-500`, `string-booleans`, `legacy-accountname`. An unknown name throws.
   */
  quirks?: readonly string[];
  /** Replace or add action handlers (tests of the HTTP layer); merged over the built-in action table. */
  actions?: Record<string, EmulatorActionHandler>;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** `127.0.0.1:PORT`, what `@alicloud/openapi-client` wants as `endpoint`. */
  endpoint: string;
  stop(): Promise<void>;
  /** Current state in seed shape, access key secrets redacted. */
  state(): Seed;
  /** The API call log, oldest first. */
  calls(filter?: { action?: string; sinceSeq?: number }): CallRecord[];
  clearCalls(): void;
  /** Replaces the fault settings (and reseeds the fault PRNG). */
  setFaults(settings: FaultSettingsInput): FaultState;
  faults(): FaultState;
  /** Back to the start seed, or to `seed` (which becomes the new start seed). */
  reset(seed?: SeedInput): void;
}

/** Starts a Quick BI emulator (for tests and demos only: the demo key is public, nothing is encrypted). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const quirks = parseQuirks(options.quirks ?? []);
  const fallback: SeedInput =
    typeof options.seed === "string" ? readSeedFile(options.seed) : (options.seed ?? defaultSeed());
  const seed = loadState(options.statePath, fallback);
  const orgOptions: OrganizationOptions = {
    rules: modelRulesOf(quirks),
    ...(options.randomSeed !== undefined ? { randomSeed: options.randomSeed } : {}),
  };
  const model: ModelBinding<Organization> = {
    fromSeed: (s: Seed) => Organization.fromSeed(s, orgOptions),
    actions: { ...defaultActions, ...(options.actions ?? {}) },
  };
  const faults: FaultSettingsInput = {
    ...definedOnly({
      latencyMs: options.latencyMs,
      jitterMs: options.jitterMs,
      qps: options.qps,
      burst: options.burst,
      errorRate: options.errorRate,
      resetRate: options.resetRate,
      randomSeed: options.randomSeed,
    }),
    ...(options.faults ?? {}),
  };
  const server = new EmulatorServer({
    model,
    seed,
    faults,
    quirks,
    ...definedOnly({
      statePath: options.statePath,
      randomSeed: options.randomSeed,
      timestampWindowMs: options.timestampWindowMs,
      allowRemoteIntrospection: options.allowRemoteIntrospection,
      onCall: options.onCall,
    }),
  });
  server.persist();
  const { port, url } = await server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  return {
    url,
    port,
    endpoint: new URL(url).host,
    stop: () => server.close(),
    state: () => server.state(),
    calls: (filter) => server.calls(filter),
    clearCalls: () => {
      server.clearCalls();
    },
    setFaults: (settings) => server.setFaults(settings),
    faults: () => server.faults(),
    reset: (s) => server.reset(s),
  };
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

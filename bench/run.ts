/**
 * Runs the bench matrix: for every scenario, size, engine, parallelism and mode (baseline = coalescing off,
 * coalesced, null = the floor), a fresh emulator and a fresh stack, then the scenario's phases in order. Per phase it
 * records the API calls the emulator received, the wall time, failed operations, the provider host's peak memory,
 * the provider's own calls inside the host (trace) and the checkpoint's size.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEMO_ACCESS_KEY, startEmulator, type CallRecord, type RunningEmulator } from "../emulator";
import { cliDefaultParallel, type BenchEngine } from "./engines/engine";
import { openCliEngine } from "./engines/cli";
import { openDriverEngine } from "./engines/driver";
import { HostMemoryWatcher } from "./hostMemory";
import { lowerBounds } from "./lowerBound";
import {
  BenchResultsSchema,
  providerOf,
  type BenchResults,
  type EngineName,
  type Mode,
  type Parallelism,
  type PhaseResult,
  type RunKey,
  type RunResult,
  type ScenarioName,
  ScenarioNameSchema,
} from "./results";
import { benchSeed } from "./scenario";
import { SCENARIOS } from "./scenarios";
import type { Access, PhaseSpec } from "./scenarios/scenario";
import { summarize, TraceReader } from "./traceSummary";

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

/** The emulator and client settings every run uses (README, "Scale": documented, never tuned for a ratio). */
export const SETTINGS = { latencyMs: 20, jitterMs: 20, qps: 100, burst: 100, maxQps: 150, maxRetries: 6, batchWindowMs: 60 } as const;

/** What Quick BI holds now, as the bench sees it (bench users only; the seeded owner left out). */
function accessNow(emu: RunningEmulator): Access {
  const state = emu.state();
  const out: Access = new Map();
  for (const m of state.workspaceMembers) if (m.userId.startsWith("be0c")) out.set(`ws:${m.workspaceId}:${m.userId}`, m.roleId);
  for (const m of state.userGroupMembers) out.set(`grp:${m.userGroupId}:${m.userId}`, true);
  return out;
}

/** Memberships found as declared, less the ones Quick BI holds that were not declared. */
function converged(have: Access, want: Access): { expected: number; found: number } {
  let found = 0;
  for (const [k, v] of want) if (have.get(k) === v) found++;
  const extra = [...have.keys()].filter((k) => !want.has(k)).length;
  return { expected: want.size, found: found - extra };
}

/** When the phase's first and last API request arrived, from its start. */
function apiSpan(calls: readonly CallRecord[], phaseStart: number): { firstMs: number; lastMs: number } | null {
  if (calls.length === 0) return null;
  const at = calls.map((c) => Date.parse(c.timestamp) - phaseStart);
  return { firstMs: Math.min(...at), lastMs: Math.max(...at) };
}

function byAction(calls: readonly CallRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) out[c.action ?? "(none)"] = (out[c.action ?? "(none)"] ?? 0) + 1;
  return out;
}

export function runLabel(k: RunKey): string {
  return `${k.scenario} ${k.users} ${k.engine} ${k.parallelism} ${k.mode}`;
}

export async function runOne(o: BenchOptions, key: RunKey): Promise<{ run: RunResult; cliVersion?: string }> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const scenario = SCENARIOS[key.scenario];
  const calls: CallRecord[] = [];
  const emu = await startEmulator({
    seed: benchSeed(key.users),
    latencyMs: o.latencyMs,
    jitterMs: o.jitterMs,
    qps: o.qps,
    burst: o.burst,
    randomSeed: 5,
    onCall: (r) => calls.push(r),
  });
  const traceDir = fs.mkdtempSync(path.join(os.tmpdir(), "quickbi-bench-trace-"));
  const setup = {
    scenario: key.scenario,
    users: key.users,
    provider: providerOf(key.mode),
    parallelism: key.parallelism,
    config: {
      "quickbi:endpoint": emu.url,
      "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
      "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
      "quickbi:maxQps": String(o.maxQps),
      "quickbi:maxRetries": String(o.maxRetries),
      "quickbi:coalesce": String(key.mode !== "baseline"),
      "quickbi:batchWindowMs": String(o.batchWindowMs),
    },
    secretKeys: ["quickbi:accessKeySecret"],
    traceFile: path.join(traceDir, "trace.jsonl"),
  };
  const defaultParallel = cliDefaultParallel(os.availableParallelism());
  const started = Date.now();
  let engine: BenchEngine | undefined;
  let cliVersion: string | undefined;
  const memory = new HostMemoryWatcher();
  const trace = new TraceReader(setup.traceFile);
  const phases: PhaseResult[] = [];
  let error: string | undefined;
  try {
    if (key.engine === "cli") {
      if (!o.cliDir) throw new Error("no Pulumi CLI: the cli engine needs `cliDir` (npm run pulumi-cli)");
      const cli = await openCliEngine(o.cliDir, setup, defaultParallel);
      cliVersion = cli.version;
      engine = cli;
    } else {
      engine = await openDriverEngine(setup, defaultParallel);
    }
    for (const phase of scenario.phases) phases.push(await runPhase(engine, phase));
  } catch (e) {
    // A run that cannot go on is recorded as such; the rest of the matrix still runs.
    error = e instanceof Error ? e.message : String(e);
    log(`${runLabel(key)}: FAILED: ${error}`);
  } finally {
    memory.stop();
    await engine?.close().catch(() => undefined);
    await emu.stop();
    fs.rmSync(traceDir, { recursive: true, force: true });
  }
  const parallel = engine?.parallel ?? (key.parallelism === "unbounded" ? "unbounded" : defaultParallel);
  return { run: { ...key, parallel, durationMs: Date.now() - started, ...(error ? { error } : {}), phases }, ...(cliVersion ? { cliVersion } : {}) };

  async function runPhase(e: BenchEngine, phase: PhaseSpec): Promise<PhaseResult> {
    calls.length = 0;
    trace.mark();
    memory.start();
    const phaseStart = Date.now();
    const r = phase.op === "up" ? await e.up(phase.stage!) : phase.op === "refresh" ? await e.refresh() : await e.destroy();
    const hostPeakRssMiB = memory.stop();
    // The null provider touches no API: Quick BI must stay as seeded.
    const want = key.mode === "null" ? new Map() : scenario.access(key.users, phase.stage);
    const conv = converged(accessNow(emu), want);
    const result: PhaseResult = {
      phase: phase.name,
      wallMs: r.wallMs,
      apiCalls: calls.length,
      callsByAction: byAction(calls),
      throttled: calls.filter((c) => c.code.startsWith("Throttling")).length,
      failedOperations: r.report.steps.filter((s) => s.error !== undefined).length,
      errors: r.report.errors.slice(0, 3).map((m) => m.slice(0, 500)),
      steps: Object.fromEntries(Object.entries(r.report.counts).filter(([, n]) => n > 0)),
      hostPeakRssMiB,
      membershipsExpected: conv.expected,
      membershipsFound: conv.found,
      trace: summarize(trace.read(), phaseStart),
      apiSpan: apiSpan(calls, phaseStart),
      checkpoint: e.checkpoint(),
    };
    const t = result.trace;
    log(
      `${runLabel(key).padEnd(40)} ${phase.name.padEnd(12)} ${(r.wallMs / 1000).toFixed(1).padStart(6)} s ${String(result.apiCalls).padStart(6)} calls ` +
        `${String(result.throttled).padStart(4)} throttled ${result.failedOperations} failed converged ${conv.found}/${conv.expected}` +
        (t?.check ? ` check p99 ${t.check.p99Ms} ms` : "") +
        (t?.diff ? ` diff p99 ${t.diff.p99Ms} ms` : "") +
        (r.report.ok ? "" : ` errors: ${r.report.errors.slice(0, 2).join("; ").slice(0, 300)}`),
    );
    return result;
  }
}

/** Every run of the matrix the options select, in a stable order. */
export function matrix(o: BenchOptions): RunKey[] {
  const keys: RunKey[] = [];
  // Sizes outermost, in the order given: the full run measures the targets' size (1000) first.
  for (const users of o.sizes)
    for (const scenario of o.scenarios)
      for (const engine of o.engines)
        for (const parallelism of o.parallelisms)
          for (const mode of o.modes) {
            const key: RunKey = { scenario, users, engine, parallelism, mode };
            if (!o.skip?.(key)) keys.push(key);
          }
  return keys;
}

/** The results of the runs so far (written after every run, so a long bench that stops keeps what it measured). */
export async function runBench(o: BenchOptions, onProgress?: (partial: BenchResults) => void): Promise<BenchResults> {
  const startedAt = new Date();
  const runs: RunResult[] = [];
  let cli: { version: string } | null = null;
  for (const key of matrix(o)) {
    const r = await runOne(o, key);
    runs.push(r.run);
    if (r.cliVersion) cli = { version: r.cliVersion };
    onProgress?.(assemble(o, startedAt, runs, cli));
  }
  return assemble(o, startedAt, runs, cli);
}

function assemble(o: BenchOptions, startedAt: Date, runs: RunResult[], cli: { version: string } | null): BenchResults {
  const pairs = [...new Set(runs.map((r) => `${r.scenario}|${r.users}`))].map((s) => {
    const [scenario, users] = s.split("|");
    return { scenario: ScenarioNameSchema.parse(scenario), users: Number(users) };
  });
  return BenchResultsSchema.parse({
    version: 2,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    quick: o.quick,
    machine: { node: process.version, cpus: os.availableParallelism(), platform: `${os.platform()} ${os.arch()}` },
    cli,
    emulator: { latencyMs: o.latencyMs, jitterMs: o.jitterMs, qps: o.qps, burst: o.burst },
    client: { maxQps: o.maxQps, maxRetries: o.maxRetries, batchWindowMs: o.batchWindowMs },
    scenarios: pairs.map(({ scenario, users }) => {
      const s = SCENARIOS[scenario];
      return { scenario, title: s.title, users, resources: s.resources(users), memberships: s.access(users, s.phases[0].stage).size };
    }),
    lowerBounds: pairs.flatMap(({ scenario, users }) => lowerBounds(SCENARIOS[scenario], users, o.qps)),
    runs,
  });
}

/**
 * Runs the bench scenario once per (concurrency, coalesce) pair, each against its own fresh emulator and stack, through
 * the offline engine driver and the real dynamic-provider host (one host per operation, as the CLI starts them).
 */
import * as os from "node:os";
import * as path from "node:path";
import { DEMO_ACCESS_KEY, startEmulator, type CallRecord, type RunningEmulator } from "../emulator";
import { createWorkspace, Engine, type RunReport } from "../engine";
import { PeakMemory } from "./hostMemory";
import { BenchResultsSchema, type BenchResults, type Concurrency, type PhaseName, type PhaseResult, type RunResult } from "./results";
import { runProgram, type ProgramModule } from "../engine/program";
import { benchSeed, GROUPS, groupId, shape, userId, WORKSPACES, workspaceId, type Stage } from "./scenario";

export interface BenchOptions {
  readonly users: number;
  readonly concurrencies: readonly Concurrency[];
  readonly quick: boolean;
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
  /** Progress lines (stderr by default). */
  readonly log?: (line: string) => void;
}

export const FULL: Omit<BenchOptions, "log"> = {
  users: 1000,
  concurrencies: ["unbounded", 16],
  quick: false,
  latencyMs: 20,
  jitterMs: 20,
  qps: 100,
  burst: 100,
  maxQps: 150,
  maxRetries: 6,
  batchWindowMs: 60,
};

export const QUICK: Omit<BenchOptions, "log"> = { ...FULL, users: 200, quick: true };

const REPO = path.resolve(__dirname, "../..");
/** bin/bench/run.js → repo root is two levels up; ts-jest runs bench/run.ts → one level up. */
function repoRoot(): string {
  return path.basename(path.dirname(__dirname)) === "bin" ? REPO : path.resolve(__dirname, "..");
}

/** What the program declares at a stage, as `ws:<workspace>:<user>` → role id and `grp:<group>:<user>`. */
/**
 * The stage's program as a module, so the engine runs it in a program worker as the CLI runs it in a language host of
 * its own (the compiled scenario: a worker loads JavaScript).
 */
function stageProgram(users: number, stage: Stage): ProgramModule {
  return { module: path.join(repoRoot(), "bin", "bench", "scenario.js"), exportName: "declareStage", args: [users, stage] };
}

function expectedMemberships(users: number, stage: Stage | "destroyed"): Map<string, number | true> {
  const out = new Map<string, number | true>();
  if (stage === "destroyed") return out;
  for (let i = 0; i < users; i++) {
    if (stage === "removed" && i % 10 === 9) continue;
    const role = stage !== "initial" && i % 2 === 0 ? 27 : 30;
    out.set(`ws:${workspaceId(i % WORKSPACES)}:${userId(i)}`, role);
    out.set(`ws:${workspaceId((i + 1) % WORKSPACES)}:${userId(i)}`, role);
    out.set(`grp:${groupId(i % GROUPS)}:${userId(i)}`, true);
    out.set(`grp:${groupId((i + 1) % GROUPS)}:${userId(i)}`, true);
  }
  return out;
}

function converged(emu: RunningEmulator, users: number, stage: Stage | "destroyed"): { expected: number; found: number } {
  const want = expectedMemberships(users, stage);
  const state = emu.state();
  const have = new Map<string, number | true>();
  for (const m of state.workspaceMembers) if (m.userId.startsWith("be0c")) have.set(`ws:${m.workspaceId}:${m.userId}`, m.roleId);
  for (const m of state.userGroupMembers) have.set(`grp:${m.userGroupId}:${m.userId}`, true);
  let found = 0;
  for (const [k, v] of want) if (have.get(k) === v) found++;
  // Memberships the program does not declare count against convergence too.
  const extra = [...have.keys()].filter((k) => !want.has(k)).length;
  return { expected: want.size, found: found - extra };
}

export async function runOne(o: BenchOptions, concurrency: Concurrency, coalesce: boolean): Promise<RunResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const calls: CallRecord[] = [];
  const emu = await startEmulator({
    seed: benchSeed(o.users),
    latencyMs: o.latencyMs,
    jitterMs: o.jitterMs,
    qps: o.qps,
    burst: o.burst,
    randomSeed: 5,
    onCall: (r) => calls.push(r),
  });
  const ws = await createWorkspace({ repoRoot: repoRoot() });
  const memory = new PeakMemory();
  const engine = new Engine({
    projectDir: ws.dir,
    config: {
      "quickbi:endpoint": emu.url,
      "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
      "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
      "quickbi:maxQps": String(o.maxQps),
      "quickbi:maxRetries": String(o.maxRetries),
      "quickbi:coalesce": String(coalesce),
      "quickbi:batchWindowMs": String(o.batchWindowMs),
    },
    secretKeys: ["quickbi:accessKeySecret"],
    parallel: concurrency,
    callTimeoutMs: 15 * 60_000,
    hostEnv: { QUICKBI_COALESCE: undefined, QUICKBI_MAX_QPS: undefined, QUICKBI_ACCESS_REPORT_FILE: undefined },
    onHostStarted: (h) => memory.watch(h.pid),
  });

  const phases: PhaseResult[] = [];
  const label = `${coalesce ? "coalesced" : "baseline "} concurrency=${concurrency}`;
  async function phase(name: PhaseName, stage: Stage | "destroyed", run: () => Promise<RunReport>): Promise<void> {
    calls.length = 0;
    const started = Date.now();
    const report = await run();
    const wallMs = Date.now() - started;
    const byAction: Record<string, number> = {};
    for (const c of calls) byAction[c.action ?? "(none)"] = (byAction[c.action ?? "(none)"] ?? 0) + 1;
    const conv = converged(emu, o.users, stage);
    const failed = report.steps.filter((s) => s.error !== undefined).length;
    const result: PhaseResult = {
      phase: name,
      wallMs,
      apiCalls: calls.length,
      callsByAction: byAction,
      throttled: calls.filter((c) => c.code.startsWith("Throttling")).length,
      failedOperations: failed,
      steps: Object.fromEntries(Object.entries(report.counts).filter(([, n]) => n > 0)),
      hostPeakRssMiB: memory.stop(),
      membershipsExpected: conv.expected,
      membershipsFound: conv.found,
    };
    phases.push(result);
    log(
      `${label} ${name.padEnd(12)} ${String(wallMs).padStart(7)} ms ${String(result.apiCalls).padStart(6)} calls ` +
        `${String(result.throttled).padStart(5)} throttled ${failed} failed ` +
        `converged ${conv.found}/${conv.expected}${report.ok ? "" : ` errors: ${report.errors.slice(0, 2).join("; ")}`}`,
    );
  }

  try {
    await phase("create", "initial", () => engine.up(stageProgram(o.users, "initial")));
    await phase("refresh", "initial", () => engine.refresh());
    await phase("change-roles", "roles-changed", () => engine.up(stageProgram(o.users, "roles-changed")));
    await phase("remove-10pct", "removed", () => engine.up(stageProgram(o.users, "removed")));
    await phase("destroy", "destroyed", () => engine.destroy());
  } finally {
    memory.stop();
    await emu.stop();
    await ws.cleanup();
  }
  return { concurrency, coalesce, phases };
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 10) / 10;
}

/**
 * The wall time of a stage's program alone: the Pulumi SDK registering every resource against a monitor that answers
 * at once (no provider host, no API), in a process of its own as in the runs. No engine can finish an `up` of that
 * program sooner, so it bounds the wall-time ratio any coalescing can show.
 */
async function programAlone(users: number, stage: Stage): Promise<number> {
  const started = Date.now();
  const run = await runProgram(stageProgram(users, stage));
  if (run.errors.length > 0) throw new Error(`the ${stage} program failed: ${run.errors[0].message}`);
  return Date.now() - started;
}

export async function runBench(o: BenchOptions): Promise<BenchResults> {
  const startedAt = new Date();
  const programAloneMs = {
    initial: await programAlone(o.users, "initial"),
    "roles-changed": await programAlone(o.users, "roles-changed"),
  };
  const runs: RunResult[] = [];
  for (const concurrency of o.concurrencies) {
    for (const coalesce of [false, true]) runs.push(await runOne(o, concurrency, coalesce));
  }
  const comparisons = o.concurrencies.flatMap((concurrency) => {
    const off = runs.find((r) => r.concurrency === concurrency && !r.coalesce)!;
    const on = runs.find((r) => r.concurrency === concurrency && r.coalesce)!;
    return off.phases.map((p, i) => ({
      concurrency,
      phase: p.phase,
      callsRatio: ratio(p.apiCalls, on.phases[i].apiCalls),
      wallRatio: ratio(p.wallMs, on.phases[i].wallMs),
    }));
  });
  const s = shape(o.users);
  return BenchResultsSchema.parse({
    version: 1,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    quick: o.quick,
    machine: { node: process.version, cpus: os.cpus().length, platform: `${os.platform()} ${os.arch()}` },
    emulator: { latencyMs: o.latencyMs, jitterMs: o.jitterMs, qps: o.qps, burst: o.burst },
    client: { maxQps: o.maxQps, maxRetries: o.maxRetries, batchWindowMs: o.batchWindowMs },
    scenario: { ...s, workspaces: WORKSPACES, groups: GROUPS },
    programAloneMs,
    runs,
    comparisons,
  });
}

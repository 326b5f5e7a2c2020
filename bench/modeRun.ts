/**
 * One run of the matrix: a scenario at a size, on one engine at one parallelism, in one mode (the null provider's
 * floor, the baseline, coalesced), against its own emulator and its own stack. Its phases are run one at a time by the
 * caller (run.ts interleaves the modes phase by phase); each records the API calls the emulator received, the wall
 * time, failed operations, the provider host's peak memory, the provider's calls inside the host (trace) and the
 * checkpoint's size.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEMO_ACCESS_KEY, startEmulator, type CallRecord, type RunningEmulator } from "../emulator";
import { cliDefaultParallel, type BenchEngine } from "./engines/engine";
import { openCliEngine } from "./engines/cli";
import { openDriverEngine } from "./engines/driver";
import { HostMemoryWatcher } from "./hostMemory";
import type { BenchOptions } from "./options";
import { providerOf, type PhaseResult, type RunKey, type RunResult } from "./results";
import { benchSeed } from "./scenario";
import { SCENARIOS } from "./scenarios";
import type { Access, PhaseSpec } from "./scenarios/scenario";
import { summarize, TraceReader } from "./traceSummary";

/** What Quick BI holds now, as the bench sees it (bench users only; the seeded owner left out). */
function accessNow(emu: RunningEmulator): Access {
  const state = emu.state();
  const out: Access = new Map();
  for (const m of state.workspaceMembers)
    if (m.userId.startsWith("be0c")) out.set(`ws:${m.workspaceId}:${m.userId}`, m.roleId);
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

export class ModeRun {
  readonly phases: PhaseResult[] = [];
  /** Set once the run cannot go on (its later phases are skipped). */
  error: string | undefined;
  cliVersion: string | undefined;
  readonly #calls: CallRecord[] = [];
  readonly #memory = new HostMemoryWatcher();
  readonly #traceDir = fs.mkdtempSync(path.join(os.tmpdir(), "quickbi-bench-trace-"));
  readonly #trace = new TraceReader(path.join(this.#traceDir, "trace.jsonl"));
  readonly #defaultParallel = cliDefaultParallel(os.availableParallelism());
  #emu: RunningEmulator | undefined;
  #engine: BenchEngine | undefined;
  #ms = 0;

  constructor(
    readonly key: RunKey,
    private readonly o: BenchOptions,
  ) {}

  private log(line: string): void {
    (this.o.log ?? ((l: string) => process.stderr.write(l + "\n")))(line);
  }

  private fail(e: unknown): void {
    this.error = e instanceof Error ? e.message : String(e);
    this.log(`${runLabel(this.key)}: FAILED: ${this.error}`);
  }

  /** A fresh emulator and a fresh stack, configured; not timed as part of any phase. */
  async open(): Promise<void> {
    const started = Date.now();
    try {
      const o = this.o;
      this.#emu = await startEmulator({
        seed: benchSeed(this.key.users),
        latencyMs: o.latencyMs,
        jitterMs: o.jitterMs,
        qps: o.qps,
        burst: o.burst,
        randomSeed: 5,
        onCall: (r) => this.#calls.push(r),
      });
      const setup = {
        scenario: this.key.scenario,
        users: this.key.users,
        provider: providerOf(this.key.mode),
        parallelism: this.key.parallelism,
        config: {
          "quickbi:endpoint": this.#emu.url,
          "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
          "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
          "quickbi:maxQps": String(o.maxQps),
          "quickbi:maxRetries": String(o.maxRetries),
          "quickbi:coalesce": String(this.key.mode !== "baseline"),
          "quickbi:batchWindowMs": String(o.batchWindowMs),
        },
        secretKeys: ["quickbi:accessKeySecret"],
        traceFile: this.#trace.file,
      };
      if (this.key.engine === "cli") {
        if (!o.cliDir) throw new Error("no Pulumi CLI: the cli engine needs `cliDir` (npm run pulumi-cli)");
        const cli = await openCliEngine(o.cliDir, setup, this.#defaultParallel);
        this.cliVersion = cli.version;
        this.#engine = cli;
      } else {
        this.#engine = await openDriverEngine(setup, this.#defaultParallel);
      }
    } catch (e) {
      this.fail(e);
    }
    this.#ms += Date.now() - started;
  }

  /** Runs one phase (nothing once the run has failed). */
  async phase(spec: PhaseSpec): Promise<void> {
    const e = this.#engine;
    const emu = this.#emu;
    if (this.error !== undefined || !e || !emu) return;
    const started = Date.now();
    try {
      this.phases.push(await this.measure(e, emu, spec));
    } catch (err) {
      this.fail(err);
    }
    this.#ms += Date.now() - started;
  }

  private async measure(e: BenchEngine, emu: RunningEmulator, spec: PhaseSpec): Promise<PhaseResult> {
    const key = this.key;
    const scenario = SCENARIOS[key.scenario];
    this.#calls.length = 0;
    this.#trace.mark();
    this.#memory.start();
    const phaseStart = Date.now();
    const r =
      spec.op === "up" ? await e.up(spec.stage!) : spec.op === "refresh" ? await e.refresh() : await e.destroy();
    const hostPeakRssMiB = this.#memory.stop();
    // The null provider touches no API: Quick BI must stay as seeded.
    const want = key.mode === "null" ? new Map() : scenario.access(key.users, spec.stage);
    const conv = converged(accessNow(emu), want);
    const calls = this.#calls;
    const result: PhaseResult = {
      phase: spec.name,
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
      trace: summarize(this.#trace.read(), phaseStart),
      apiSpan: apiSpan(calls, phaseStart),
      checkpoint: e.checkpoint(),
    };
    const t = result.trace;
    this.log(
      `${runLabel(key).padEnd(40)} ${spec.name.padEnd(12)} ${(r.wallMs / 1000).toFixed(1).padStart(6)} s ${String(result.apiCalls).padStart(6)} calls ` +
        `${String(result.throttled).padStart(4)} throttled ${result.failedOperations} failed converged ${conv.found}/${conv.expected}` +
        (t?.check ? ` check p99 ${t.check.p99Ms} ms` : "") +
        (t?.diff ? ` diff p99 ${t.diff.p99Ms} ms` : "") +
        (r.report.ok ? "" : ` errors: ${r.report.errors.slice(0, 2).join("; ").slice(0, 300)}`),
    );
    return result;
  }

  async close(): Promise<void> {
    this.#memory.stop();
    await this.#engine?.close().catch(() => undefined);
    await this.#emu?.stop();
    fs.rmSync(this.#traceDir, { recursive: true, force: true });
  }

  result(): RunResult {
    const parallel =
      this.#engine?.parallel ?? (this.key.parallelism === "unbounded" ? "unbounded" : this.#defaultParallel);
    return {
      ...this.key,
      parallel,
      durationMs: this.#ms,
      ...(this.error !== undefined ? { error: this.error } : {}),
      phases: this.phases,
    };
  }
}

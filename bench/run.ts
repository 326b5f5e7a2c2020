/**
 * Runs the bench matrix. Runs that differ only in mode (the floor, the baseline, coalesced) form a cell: their stacks
 * are opened side by side and their phases interleaved (phase 1 of each mode, then phase 2 of each, the order rotated
 * from phase to phase), so the three measurements of a phase are taken minutes apart on a shared machine rather than
 * a whole run apart, and load that comes and goes weighs on all three alike.
 */
import * as os from "node:os";
import { lowerBounds } from "./lowerBound";
import { ModeRun } from "./modeRun";
import type { BenchOptions } from "./options";
import {
  BenchResultsSchema,
  ScenarioNameSchema,
  type BenchResults,
  type Mode,
  type RunKey,
  type RunResult,
} from "./results";
import { SCENARIOS } from "./scenarios";

export type { BenchOptions } from "./options";
export { SETTINGS } from "./options";

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

/** The matrix's runs grouped into cells (same scenario, size, engine and parallelism), in order. */
export function cells(keys: readonly RunKey[]): RunKey[][] {
  const out = new Map<string, RunKey[]>();
  for (const k of keys) {
    const id = `${k.scenario}|${k.users}|${k.engine}|${k.parallelism}`;
    if (!out.has(id)) out.set(id, []);
    out.get(id)!.push(k);
  }
  return [...out.values()];
}

/** The modes' order in a phase: rotated by one from phase to phase. */
export function rotation(modes: readonly Mode[], phase: number): Mode[] {
  const n = modes.length;
  return modes.map((_, i) => modes[(i + phase) % n]);
}

async function runCell(o: BenchOptions, keys: readonly RunKey[]): Promise<ModeRun[]> {
  const runs = keys.map((k) => new ModeRun(k, o));
  try {
    for (const r of runs) await r.open();
    const phases = SCENARIOS[keys[0].scenario].phases;
    for (let i = 0; i < phases.length; i++) {
      const order = rotation(
        runs.map((r) => r.key.mode),
        i,
      );
      for (const mode of order) await runs.find((r) => r.key.mode === mode)!.phase(phases[i]);
    }
  } finally {
    for (const r of runs) await r.close();
  }
  return runs;
}

function sameRun(a: RunKey, b: RunKey): boolean {
  return (
    a.scenario === b.scenario &&
    a.users === b.users &&
    a.engine === b.engine &&
    a.parallelism === b.parallelism &&
    a.mode === b.mode
  );
}

/** The keys of a selection that the results so far do not hold yet. */
export function remaining(keys: readonly RunKey[], done: readonly RunKey[]): RunKey[] {
  return keys.filter((k) => !done.some((r) => sameRun(r, k)));
}

/**
 * The results of the runs so far (handed to `onProgress` after every cell, so a long bench that stops keeps them).
 * With `resumeFrom` (`--resume`), the runs it already holds are kept and not run again, and its start and duration
 * carry on: a matrix too long for one sitting is measured in several.
 */
export async function runBench(
  o: BenchOptions,
  onProgress?: (partial: BenchResults) => void,
  resumeFrom?: BenchResults,
): Promise<BenchResults> {
  const began = Date.now();
  const startedAt = resumeFrom ? new Date(resumeFrom.startedAt) : new Date();
  const earlierMs = resumeFrom?.durationMs ?? 0;
  const runs: RunResult[] = [...(resumeFrom?.runs ?? [])];
  let cli: { version: string } | null = resumeFrom?.cli ?? null;
  const assembled = () => assemble(o, startedAt, earlierMs + (Date.now() - began), runs, cli);
  for (const cell of cells(remaining(matrix(o), runs))) {
    for (const r of await runCell(o, cell)) {
      runs.push(r.result());
      if (r.cliVersion) cli = { version: r.cliVersion };
    }
    onProgress?.(assembled());
  }
  return assembled();
}

function assemble(
  o: BenchOptions,
  startedAt: Date,
  durationMs: number,
  runs: RunResult[],
  cli: { version: string } | null,
): BenchResults {
  const pairs = [...new Set(runs.map((r) => `${r.scenario}|${r.users}`))].map((s) => {
    const [scenario, users] = s.split("|");
    return { scenario: ScenarioNameSchema.parse(scenario), users: Number(users) };
  });
  return BenchResultsSchema.parse({
    version: 2,
    startedAt: startedAt.toISOString(),
    durationMs,
    quick: o.quick,
    machine: { node: process.version, cpus: os.availableParallelism(), platform: `${os.platform()} ${os.arch()}` },
    cli,
    emulator: { latencyMs: o.latencyMs, jitterMs: o.jitterMs, qps: o.qps, burst: o.burst },
    client: { maxQps: o.maxQps, maxRetries: o.maxRetries, batchWindowMs: o.batchWindowMs },
    scenarios: pairs.map(({ scenario, users }) => {
      const s = SCENARIOS[scenario];
      return {
        scenario,
        title: s.title,
        users,
        resources: s.resources(users),
        memberships: s.access(users, s.phases[0].stage).size,
      };
    }),
    lowerBounds: pairs.flatMap(({ scenario, users }) => lowerBounds(SCENARIOS[scenario], users, o.qps)),
    runs,
  });
}

/**
 * The bench on the offline engine driver (engine/): the real dynamic-provider host, one per operation as the CLI
 * starts them, and the program in a worker process of its own (a ProgramModule: the compiled scenario module).
 * Parallelism: the CLI's default (4 × cores), or unbounded.
 */
import * as path from "node:path";
import { createWorkspace, Engine, findRepoRoot, type ProgramModule, type RunReport } from "../../engine";
import { TRACE_FILE_ENV } from "../../provider/trace";
import { checkpointSize } from "./checkpointSize";
import type { BenchEngine, EngineSetup, PhaseRun } from "./engine";

/** The compiled scenario module the program worker loads (a worker runs JavaScript). */
function programModule(setup: EngineSetup, stage: string): ProgramModule {
  return {
    module: path.join(findRepoRoot(__dirname), "bin", "bench", "scenarios", "index.js"),
    exportName: "declareStage",
    args: [setup.scenario, setup.users, stage, setup.provider],
  };
}

async function timed(run: () => Promise<RunReport>): Promise<PhaseRun> {
  const started = performance.now();
  const report = await run();
  return { report, wallMs: Math.round(performance.now() - started) };
}

export async function openDriverEngine(setup: EngineSetup, defaultParallel: number): Promise<BenchEngine> {
  const ws = await createWorkspace({ repoRoot: findRepoRoot(__dirname) });
  const parallel = setup.parallelism === "unbounded" ? "unbounded" : defaultParallel;
  const engine = new Engine({
    projectDir: ws.dir,
    config: { ...setup.config },
    secretKeys: [...setup.secretKeys],
    parallel,
    callTimeoutMs: 30 * 60_000,
    hostEnv: {
      QUICKBI_COALESCE: undefined,
      QUICKBI_MAX_QPS: undefined,
      QUICKBI_ACCESS_REPORT_FILE: undefined,
      [TRACE_FILE_ENV]: setup.traceFile,
    },
  });
  return {
    name: "driver",
    parallel,
    up: (stage) => timed(() => engine.up(programModule(setup, stage))),
    refresh: () => timed(() => engine.refresh()),
    destroy: () => timed(() => engine.destroy()),
    checkpoint: () => checkpointSize(engine.statePath),
    close: () => ws.cleanup(),
  };
}

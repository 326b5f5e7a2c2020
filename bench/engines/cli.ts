/**
 * The bench on the Pulumi CLI: one stack through the Automation API (realengine/CliStack: temp `file://` backend,
 * passphrase, an inline program in this process), its program the scenario at the stage of the phase being run.
 * Parallelism: the CLI's default (no flag), or unbounded through PULUMI_PARALLEL (which the CLI reads as the default
 * of `--parallel` for up, refresh and destroy alike).
 *
 * Wall time is the lifetime of the `pulumi up|refresh|destroy` process, what a user at a shell waits for: the
 * Automation API runs `pulumi stack output` and `pulumi stack history` after each operation, which are not part of it.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { Operation } from "../../engine/report";
import { CliStack, EventLog } from "../../realengine";
import { REPORT_FILE_ENV } from "../../provider/report";
import { TRACE_FILE_ENV } from "../../provider/trace";
import { declareStage } from "../scenarios";
import { checkpointSize } from "./checkpointSize";
import { UNBOUNDED_PARALLEL, type BenchEngine, type EngineSetup, type PhaseRun } from "./engine";

const PROJECT = "quickbi-bench";
const STACK = "bench";

type RunFn = (args: string[], ...rest: unknown[]) => Promise<unknown>;

/** Times every CLI process the stack's workspace runs, by command (`up`, `refresh`, `destroy`, ...). */
function timeCommands(stack: CliStack): Map<string, number> {
  const last = new Map<string, number>();
  const cmd = stack.stack.workspace.pulumiCommand as unknown as { run: RunFn };
  const run = cmd.run.bind(cmd);
  cmd.run = async (args, ...rest) => {
    const started = performance.now();
    try {
      return await run(args, ...rest);
    } finally {
      last.set(args[0], performance.now() - started);
    }
  };
  return last;
}

export async function openCliEngine(
  cliDir: string,
  setup: EngineSetup,
  defaultParallel: number,
): Promise<BenchEngine & { version: string }> {
  let stage: string | undefined;
  const stack = await CliStack.create({
    cliDir,
    project: PROJECT,
    stack: STACK,
    passphrase: crypto.randomBytes(12).toString("base64url"),
    program: () => {
      if (stage === undefined) throw new Error("the bench ran a program without a stage");
      declareStage(setup.scenario, setup.users, stage, setup.provider);
    },
    env: {
      [TRACE_FILE_ENV]: setup.traceFile,
      // What a user pays: no access-report file (realengine's stacks write one for their tests).
      [REPORT_FILE_ENV]: "",
      // Unset (empty) means the CLI's own default, whatever this process's environment holds.
      PULUMI_PARALLEL: setup.parallelism === "unbounded" ? String(UNBOUNDED_PARALLEL) : "",
    },
  });
  // Config once, outside every timed phase (each `pulumi config` is a CLI run of its own).
  await stack.configure({ values: { ...setup.config }, secretKeys: [...setup.secretKeys] });
  const commandMs = timeCommands(stack);
  const checkpointFile = path.join(stack.backendDir, ".pulumi", "stacks", PROJECT, `${STACK}.json`);

  async function operate(
    operation: Operation,
    run: (onEvent: (e: EngineEvent) => void) => Promise<unknown>,
  ): Promise<PhaseRun> {
    const log = new EventLog(operation);
    const started = Date.now();
    commandMs.delete(operation);
    let failure: unknown;
    try {
      await run(log.onEvent);
    } catch (e) {
      failure = e;
    }
    const wallMs = commandMs.get(operation);
    if (wallMs === undefined) throw new Error(`the Automation API ran no \`pulumi ${operation}\` process`);
    return { report: log.report(started, {}, failure), wallMs: Math.round(wallMs) };
  }

  return {
    name: "cli",
    version: stack.version,
    parallel: setup.parallelism === "unbounded" ? "unbounded" : defaultParallel,
    up: (s) => {
      stage = s;
      return operate("up", (onEvent) => stack.stack.up({ onEvent }));
    },
    refresh: () => operate("refresh", (onEvent) => stack.stack.refresh({ onEvent })),
    destroy: () => operate("destroy", (onEvent) => stack.stack.destroy({ onEvent })),
    checkpoint: () => (fs.existsSync(checkpointFile) ? checkpointSize(checkpointFile) : null),
    close: () => stack.close(),
  };
}

// Runs a Pulumi program against our own resource monitor (monitor.ts: the role the engine plays for the language
// host), so the exact RegisterResourceRequests a program makes (serialized `__provider`, dependencies, options,
// secrets, unknowns) can be observed and answered. The answer (id + outputs) comes from a caller-supplied handler:
// a mock by default, the offline engine's real steps (deploy.ts). A function runs in this process, a module in a
// child process (programChild.ts).
import * as pulumi from "@pulumi/pulumi";
import { setMockOptions } from "@pulumi/pulumi/runtime/settings";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { createRequire } from "node:module";
import * as vm from "node:vm";
import { defaultHandler, RecordingMonitor } from "./monitor";
import { runInChildProcess } from "./programChild";
import type { ProgramFn, ProgramRun, ProgramSource, RunProgramOptions } from "./programTypes";

export * from "./registration";
export type { ProgramFn, ProgramModule, ProgramRun, ProgramSource, RunProgramOptions } from "./programTypes";
export { fromWire, toWire, type FromProgram, type ProgramStart, type ToProgram, type WireError } from "./programChild";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi"));
// Internal but stable: the language host waits on this before it reports the program finished.
const settingsInternal = pulumiRequire("./runtime/settings") as { waitForRPCs(): Promise<void> };
const stateInternal = pulumiRequire("./runtime/state") as { getStore(): { supportsResourceReferences: boolean } };

// The SDK's runtime state is process-global: one program at a time.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `program` as the body of the stack, answering each registration with `opts.onRegister`, and resolves once
 * every RPC the program started has finished (as the language host does before exiting). Never rejects for a
 * program error: errors are collected in `errors`, like a failed `pulumi up` that still reports what it did.
 * A registration the handler refuses resolves that resource's outputs as unknown (see registerResource).
 */
export function runProgram(program: ProgramSource, opts: RunProgramOptions = {}): Promise<ProgramRun> {
  // A child process has an SDK runtime of its own: nothing to wait for.
  if (typeof program !== "function") return runInChildProcess(program, opts);
  const run = queue.then(() => runExclusive(program, opts));
  queue = run.catch(() => undefined);
  return run;
}

async function runExclusive(program: ProgramFn, opts: RunProgramOptions): Promise<ProgramRun> {
  const project = opts.project ?? "project";
  const stack = opts.stack ?? "stack";
  const monitor = new RecordingMonitor(project, stack, opts.onRegister ?? defaultHandler);
  setMockOptions(monitor, project, stack, opts.preview ?? false);
  // setMockOptions keeps previous feature flags until the stack asks the monitor; make the first answer ours.
  stateInternal.getStore().supportsResourceReferences = false;
  // Same store fields the SDK fills from PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS at start-up.
  pulumi.runtime.setAllConfig(opts.config ?? {}, opts.secretKeys ?? []);

  const errors: Error[] = [];
  const record = (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    if (!errors.some((x) => x === err || x.message === err.message)) errors.push(err);
  };
  // The SDK reports a resource whose inputs failed (an apply that threw, say) by leaving a rejection unhandled on
  // purpose: the language host owns the process and counts those as program errors. We run in someone else's
  // process (a test runner, the demo), so for the duration of the run we take that role: the rejections become
  // `errors` instead of crashing the process or failing an unrelated test. The real process object is needed:
  // test runners hand modules a copy whose listeners the runtime never calls.
  const realProcess = vm.runInThisContext("process") as NodeJS.Process;
  const previous = realProcess.listeners("unhandledRejection");
  realProcess.removeAllListeners("unhandledRejection");
  realProcess.on("unhandledRejection", record);
  try {
    // The error is caught inside the stack's init: escaping from it would reach the SDK's own unhandled
    // paths, which end the process (the language host is a process per program; we are not).
    await runInPulumiStack(async () => {
      try {
        return (await program()) ?? {};
      } catch (e) {
        record(e);
        return {};
      }
    });
  } catch (e) {
    record(e);
  }
  try {
    await settingsInternal.waitForRPCs();
    // A rejection is reported unhandled only after the microtasks of its turn: let that happen while we listen.
    await new Promise((r) => setImmediate(r));
  } finally {
    realProcess.off("unhandledRejection", record);
    for (const l of previous) realProcess.on("unhandledRejection", l as (...args: unknown[]) => void);
  }
  return {
    registrations: monitor.registrations,
    stackOutputs: monitor.stackOutputs,
    secretStackOutputs: monitor.secretStackOutputs,
    errors,
    registrationErrors: monitor.errors,
    stackUrn: monitor.stackUrn,
  };
}

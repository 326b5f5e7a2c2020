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
import type { RegisterHandler, Registration } from "./registration";
import type { PropertyMap } from "./wire";

export * from "./registration";
export { fromWire, toWire, type FromProgram, type ProgramStart, type ToProgram, type WireError } from "./programChild";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi"));
// Internal but stable: the language host waits on this before it reports the program finished.
const settingsInternal = pulumiRequire("./runtime/settings") as { waitForRPCs(): Promise<void> };
const stateInternal = pulumiRequire("./runtime/state") as { getStore(): { supportsResourceReferences: boolean } };

export type ProgramFn = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/**
 * A program named by module instead of given as a function: `require(module)[exportName](...args)` is the program
 * body. It runs in a child process (programProcess.ts), as the CLI runs a program in a language-host process apart
 * from the engine, so the SDK's work of registering resources (stack capture, serialization: ~2.5 ms a resource) runs
 * beside the engine's steps instead of taking turns with them on one thread. `module` is an absolute path (or a
 * package name) of CommonJS JavaScript; `args` must survive structured cloning.
 */
export interface ProgramModule {
  module: string;
  exportName: string;
  args?: unknown[];
}

/** What the engine can run: a function in this process, or a module in a process of its own. */
export type ProgramSource = ProgramFn | ProgramModule;

export interface RunProgramOptions {
  project?: string;
  stack?: string;
  /** Stack config, keys fully qualified ("quickbi:endpoint"), values as strings (as PULUMI_CONFIG holds them). */
  config?: Record<string, string>;
  /** Keys of `config` that are secret (PULUMI_CONFIG_SECRET_KEYS). */
  secretKeys?: string[];
  preview?: boolean;
  /** Answers each registration; default: id `<name>-id`, outputs = inputs (like setMocks). */
  onRegister?: RegisterHandler;
}

export interface ProgramRun {
  /** Every registration in arrival order (the stack and components included, custom=false). */
  registrations: Registration[];
  /** Stack outputs, secrets unwrapped. */
  stackOutputs: PropertyMap;
  secretStackOutputs: string[];
  /** Errors the program itself raised (a failed registration does not raise: see registrationErrors). */
  errors: Error[];
  /** Registrations the handler refused; their outputs reached the program as unknown. */
  registrationErrors: { urn: string; error: Error }[];
  stackUrn: string;
}
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

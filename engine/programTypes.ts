// What runProgram runs and what it gives back (program.ts runs it; programChild.ts carries it to a child process).
import type { RegisterHandler, Registration } from "./registration";
import type { PropertyMap } from "./wire";

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

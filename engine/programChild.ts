// A program named by module runs in a child process of its own (programProcess.ts), as the CLI runs a program in a
// language host apart from the engine: registrations and answers cross an IPC channel with structured clone.
import { fork } from "node:child_process";
import * as path from "node:path";
import { defaultHandler } from "./monitor";
import type { ProgramModule, ProgramRun, RunProgramOptions } from "./programTypes";
import type { RegisterAnswer, Registration } from "./registration";

/** Messages between runInChildProcess and programProcess.ts. Errors cross as message + stack. */
export interface WireError {
  message: string;
  stack?: string;
}
export type ToProgram = { kind: "answer"; seq: number; answer?: RegisterAnswer; error?: WireError };
export type FromProgram =
  | { kind: "register"; seq: number; reg: Registration }
  | {
      kind: "done";
      run: Omit<ProgramRun, "errors" | "registrationErrors"> & {
        errors: WireError[];
        registrationErrors: { urn: string; error: WireError }[];
      };
    }
  | { kind: "failed"; error: WireError };
export type ProgramStart = { kind: "start"; program: ProgramModule; options: Omit<RunProgramOptions, "onRegister"> };

export function toWire(e: unknown): WireError {
  return e instanceof Error ? { message: e.message, stack: e.stack } : { message: String(e) };
}
export function fromWire(w: WireError): Error {
  const e = new Error(w.message);
  if (w.stack) e.stack = w.stack;
  return e;
}

/** The compiled child script: this file's sibling, or under bin/ when this file runs as TypeScript (ts-jest). */
function programScript(): string {
  return __filename.endsWith(".ts")
    ? path.resolve(__dirname, "..", "bin", path.basename(__dirname), "programProcess.js")
    : path.join(__dirname, "programProcess.js");
}

export async function runInChildProcess(program: ProgramModule, opts: RunProgramOptions): Promise<ProgramRun> {
  const { onRegister, ...options } = opts;
  const handler = onRegister ?? defaultHandler;
  // Structured clone on the IPC channel ("advanced"), so registrations cross as they are; the program's own output
  // goes where this process's goes, as it would from a function program.
  const child = fork(programScript(), [], {
    serialization: "advanced",
    execArgv: [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const send = (m: ToProgram | ProgramStart) => {
    if (child.connected) child.send(m);
  };
  try {
    return await new Promise<ProgramRun>((resolve, reject) => {
      child.on("message", (m: FromProgram) => {
        if (m.kind === "register") {
          handler(m.reg).then(
            (answer) => send({ kind: "answer", seq: m.seq, answer }),
            (e: unknown) => send({ kind: "answer", seq: m.seq, error: toWire(e) }),
          );
        } else if (m.kind === "done") {
          resolve({
            ...m.run,
            errors: m.run.errors.map(fromWire),
            registrationErrors: m.run.registrationErrors.map((r) => ({ urn: r.urn, error: fromWire(r.error) })),
          });
        } else {
          reject(fromWire(m.error));
        }
      });
      child.on("error", reject);
      child.on("exit", (code, signal) =>
        reject(new Error(`the program's process exited (${signal ?? `code ${code}`}) before the program finished`)),
      );
      send({ kind: "start", program, options });
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

// The child-process side of runProgram for a ProgramModule (program.ts): the offline engine's language host. It
// loads the module, runs the named export as the stack's body with this process's SDK, and sends each registration
// to the engine, which answers it once its steps are done. Started by runProgram with an IPC channel; the engine
// ends it when the program has finished.
import {
  fromWire,
  FromProgram,
  ProgramFn,
  ProgramStart,
  RegisterAnswer,
  runProgram,
  toWire,
  ToProgram,
} from "./program";

function send(m: FromProgram): void {
  process.send!(m);
}

const waiting = new Map<number, { resolve: (a: RegisterAnswer) => void; reject: (e: Error) => void }>();
let seq = 0;

async function run(start: ProgramStart): Promise<void> {
  const { program, options } = start;
  const body: ProgramFn = () => {
    // Loaded inside the stack, not before: a module that fails to load is a program error, reported like one.
    const mod = require(program.module) as Record<string, unknown>;
    const fn = mod[program.exportName];
    if (typeof fn !== "function")
      throw new Error(`${program.module} has no function export named "${program.exportName}"`);
    return (fn as (...args: unknown[]) => ReturnType<ProgramFn>)(...(program.args ?? []));
  };
  const result = await runProgram(body, {
    ...options,
    onRegister: (reg) =>
      new Promise<RegisterAnswer>((resolve, reject) => {
        const n = seq++;
        waiting.set(n, { resolve, reject });
        send({ kind: "register", seq: n, reg });
      }),
  });
  send({
    kind: "done",
    run: {
      ...result,
      errors: result.errors.map(toWire),
      registrationErrors: result.registrationErrors.map((r) => ({ urn: r.urn, error: toWire(r.error) })),
    },
  });
}

process.on("message", (m: ToProgram | ProgramStart) => {
  if (m.kind === "start") {
    run(m).catch((e: unknown) => send({ kind: "failed", error: toWire(e) }));
    return;
  }
  const w = waiting.get(m.seq);
  if (!w) return;
  waiting.delete(m.seq);
  if (m.error) w.reject(fromWire(m.error));
  else w.resolve(m.answer!);
});
// The engine going away ends the program.
process.on("disconnect", () => process.exit(1));

/**
 * `npm run demo`: the example stack's life against the embedded Quick BI emulator, printed as a reviewer reads it.
 *
 *  1 preview a new stack            2 up                  3 preview: no changes
 *  4 preview the staged change      5 up                  6 preview: no changes
 *  7 out-of-band edits (signed API calls, as a colleague in the console)
 *  8 refresh: the drift is reported 9 preview: putting it back   10 up
 * 11 destroy
 *
 * Every phase is checked, not only printed: previews make no writes, each up does exactly what its preview said, the
 * refresh finds the drift, destroy leaves Quick BI as it was. Any failed check or step makes the exit status 1.
 */
import * as crypto from "node:crypto";
import type { ProgramFn } from "../engine/program";
import { defaultSeed, startEmulator } from "../emulator";
import quickbiAccess = require("../examples/stack/index");
import { obtainCli } from "../realengine";
import { AutomationEngine } from "./automationEngine";
import type { DemoEngine } from "./demoEngine";
import { OfflineEngine } from "./offlineEngine";
import { PHASE2, PROJECT, STACK, stackSettings } from "./phases";
import { Printer } from "./printer";
import { fetchQuickBIState, renderView, viewOf } from "./quickbiView";
import type { DemoResult } from "./result";
import { STEP_DEADLINE_MS, StopDemo, Walkthrough, withDeadline } from "./walkthrough";

export type { Check, DemoResult, PhaseResult } from "./result";
export { plannedOps } from "./walkthrough";

export interface DemoOptions {
  /** Print nothing (tests); the result still carries every line in `lines`. */
  quiet?: boolean;
  /** Force colour on/off; default: on a TTY unless NO_COLOR is set. */
  color?: boolean;
  /** "auto" (default): the Pulumi CLI whenever one can be had (found or built), else the offline driver. */
  engine?: "auto" | "pulumi" | "offline";
  /** Offline driver: one provider host for the whole run instead of one per operation (faster; tests). */
  sharedHost?: boolean;
  /** The program to run; default examples/stack. */
  program?: ProgramFn;
  /** How long one step may run before the demo gives up on it (default 5 minutes). */
  stepDeadlineMs?: number;
  stream?: NodeJS.WriteStream;
}

/**
 * "auto": the real engine whenever a CLI can be had (PULUMI_QUICKBI_CLI_DIR, the cache, PATH, or a build when Go is
 * there, with the build's progress on stderr), else the offline driver, whose banner then says why.
 */
async function createEngine(kind: DemoOptions["engine"], program: ProgramFn, sharedHost: boolean): Promise<DemoEngine> {
  // A throwaway passphrase: the demo's state lives in a temp dir and is deleted at the end.
  const passphrase = crypto.randomBytes(12).toString("base64url");
  const opts = { program, project: PROJECT, stack: STACK, passphrase, sharedHost };
  if (kind === "offline") return OfflineEngine.create(opts, "--engine offline");
  const cli = await obtainCli({ build: true });
  if ("dir" in cli) return AutomationEngine.create(opts, cli);
  if (kind === "pulumi") throw new Error(`--engine pulumi: ${cli.error}`);
  return OfflineEngine.create(opts, cli.error);
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const p = new Printer({ quiet: options.quiet, color: options.color, stream: options.stream });
  const program = options.program ?? (quickbiAccess as ProgramFn);
  let demo: Walkthrough | undefined;
  const counter = { onCall: (_r: { mutated: boolean }) => undefined as void };
  const emu = await startEmulator({ seed: defaultSeed(), onCall: (r) => counter.onCall(r) });
  let engine: DemoEngine | undefined;
  const failures: string[] = [];
  try {
    engine = await createEngine(options.engine ?? "auto", program, options.sharedHost ?? false);
    p.line(p.paint("bold", "pulumi-quickbi demo: the example stack's life against an embedded Quick BI emulator"));
    for (const l of engine.banner) p.line(l);
    const seed = viewOf(await fetchQuickBIState(emu.url));
    p.line(
      `Quick BI: the emulator at ${emu.url} (OpenAPI quickbi-public 2022-01-01, signed requests), seeded with an ` +
        `organization of ${seed.users.size} users, ${seed.workspaces.size} workspaces and ${seed.groups.size} user groups`,
    );
    p.line(
      `Program: examples/stack as project ${PROJECT}, stack ${STACK}; config changes between phases (demo/phases.ts)`,
    );
    demo = new Walkthrough(p, emu, engine, program, options.stepDeadlineMs ?? STEP_DEADLINE_MS);
    counter.onCall = demo.onCall;
    await demo.start();
    p.line("");
    p.line(p.paint("dim", "Quick BI at the start:"));
    for (const l of renderView(seed, seed)) p.line(`  ${l}`);
    try {
      await demo.run();
    } catch (e) {
      if (!(e instanceof StopDemo)) throw e;
      demo.failures.push(e.message);
      // Leave no half-managed access behind in the emulator's organization (it is discarded anyway).
      await withDeadline(
        engine.destroy(stackSettings(emu.url, PHASE2)),
        options.stepDeadlineMs ?? STEP_DEADLINE_MS,
        "the clean-up destroy",
      ).catch(() => undefined);
    }
    failures.push(...demo.failures);
  } catch (e) {
    // The stack trace only helps when something unexpected broke; DEBUG=1 shows it.
    failures.push(e instanceof Error ? (process.env.DEBUG ? (e.stack ?? e.message) : e.message) : String(e));
  } finally {
    await engine?.close().catch((e: unknown) => failures.push(`cleanup: ${String(e)}`));
    await emu.stop();
  }
  p.line("");
  if (failures.length === 0) {
    p.line(p.paint("green", `Demo complete: ${demo?.phases.length ?? 0} steps, every check passed.`));
  } else {
    p.line(p.paint("red", `Demo FAILED (${failures.length}):`));
    for (const f of failures) p.line(`  ${f}`);
  }
  return {
    ok: failures.length === 0,
    exitCode: failures.length === 0 ? 0 : 1,
    engine: engine?.kind ?? "offline-driver",
    phases: demo?.phases ?? [],
    failures,
    lines: p.lines,
  };
}

/**
 * Which runs `npm run bench` makes. The full run: the issue-18 and issue-15 scenarios at 200, 1000 and 5000 users, on
 * both engines, at both parallelism settings, in all three modes; the list-form twin of the issue-18 scenario on the
 * CLI (the one-user vs list guidance); 5000 users on the offline driver only. `--quick`: one engine (the CLI when
 * there is one), both scenarios at 30 users, both parallelism settings, the floor and coalesced (the baseline only in
 * the full run), in under 5 minutes.
 */
import { InvalidArgumentError } from "commander";
import { z } from "zod";
import { SETTINGS, type BenchOptions } from "./options";
import { EngineNameSchema, ModeSchema, ParallelismSchema, ScenarioNameSchema, type RunKey } from "./results";

export interface PlanFlags {
  quick?: boolean;
  sizes?: number[];
  scenarios?: string[];
  engines?: string[];
  parallelism?: string[];
  modes?: string[];
}

function parseList<T>(schema: z.ZodType<T>, values: string[] | undefined, flag: string): T[] | undefined {
  return values?.map((v) => {
    const r = schema.safeParse(v);
    if (!r.success)
      throw new InvalidArgumentError(
        `--${flag}: "${v}" is not one of ${JSON.stringify((schema as unknown as z.ZodEnum<[string]>).options)}`,
      );
    return r.data;
  });
}

/**
 * The full run leaves out: 5000 users on the CLI (its file backend rewrites the whole checkpoint after every step, so
 * its floor grows with the square of the resources: minutes per phase at 1000 one-user resources already), and the
 * list-form scenario off the CLI.
 */
export function fullRunSkips(key: RunKey): boolean {
  if (key.users >= 5000 && key.engine === "cli") return true;
  if (key.scenario === "one-user-lists" && key.engine !== "cli") return true;
  return false;
}

/** The targets' size first, so a run that is stopped early has measured what matters most. */
export const FULL_SIZES = [1000, 200, 5000] as const;
export const QUICK_SIZES = [30] as const;

export function plan(flags: PlanFlags, found: { cliDir: string | undefined }): BenchOptions {
  const engines =
    parseList(EngineNameSchema, flags.engines, "engines") ??
    (flags.quick ? [found.cliDir ? "cli" : "driver"] : ["cli", "driver"]);
  if (engines.includes("cli") && !found.cliDir) {
    throw new InvalidArgumentError("the cli engine needs a Pulumi CLI: run `npm run pulumi-cli` (or --engines driver)");
  }
  return {
    ...SETTINGS,
    quick: flags.quick ?? false,
    scenarios:
      parseList(ScenarioNameSchema, flags.scenarios, "scenarios") ??
      (flags.quick ? ["one-user", "access"] : ["one-user", "access", "one-user-lists"]),
    sizes: flags.sizes ?? [...(flags.quick ? QUICK_SIZES : FULL_SIZES)],
    engines,
    parallelisms: parseList(ParallelismSchema, flags.parallelism, "parallelism") ?? ["default", "unbounded"],
    modes:
      parseList(ModeSchema, flags.modes, "modes") ??
      (flags.quick ? ["null", "coalesced"] : ["null", "baseline", "coalesced"]),
    skip: flags.quick ? undefined : fullRunSkips,
    ...(found.cliDir ? { cliDir: found.cliDir } : {}),
  };
}

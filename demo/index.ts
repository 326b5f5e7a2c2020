/**
 * `npm run demo` — see runDemo.ts and walkthrough.ts for the phases and the README, "The demo", for a sample of the output.
 * Options: --engine auto|pulumi|offline, --shared-host, --no-color (NO_COLOR is honoured too), --quiet.
 * Exits 1 when any step or check fails.
 */
import { Command, Option } from "commander";
import { runDemo } from "./runDemo";

export { runDemo, plannedOps, type DemoOptions, type DemoResult, type PhaseResult, type Check } from "./runDemo";

async function main(argv: string[]): Promise<number> {
  const cli = new Command("npm run demo --")
    .description(
      "Takes the example stack through preview, up, a staged change, drift and destroy against an embedded Quick BI emulator.",
    )
    .addOption(
      new Option("--engine <engine>", "which engine runs the stack")
        .choices(["auto", "pulumi", "offline"])
        .default("auto"),
    )
    .option(
      "--shared-host",
      "offline driver: one provider host for all operations (faster; the CLI starts one per operation)",
    )
    .option("--no-color", "no ANSI colour even on a terminal")
    .option("-q, --quiet", "print nothing; only the exit status tells")
    .parse(argv);
  const o = cli.opts<{
    engine: "auto" | "pulumi" | "offline";
    sharedHost?: boolean;
    color: boolean;
    quiet?: boolean;
  }>();
  const result = await runDemo({
    engine: o.engine,
    sharedHost: o.sharedHost === true,
    quiet: o.quiet === true,
    // --no-color forces it off; otherwise decided from the terminal and NO_COLOR.
    ...(o.color === false ? { color: false } : {}),
  });
  return result.exitCode;
}

if (require.main === module) {
  // Exit explicitly: after a failed (e.g. timed-out) step, abandoned work may still hold the event loop open.
  // The empty write's callback runs once earlier output is flushed (pipes are asynchronous on some platforms).
  main(process.argv).then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}

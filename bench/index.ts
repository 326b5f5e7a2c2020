/**
 * `npm run bench`: the bench matrix (docs/scale.md): scenarios × sizes × engines (the Pulumi CLI, the offline
 * driver) × parallelism (the CLI's default, unbounded) × modes (baseline, coalesced, the null provider's floor),
 * against the emulator with latency and flow control. Writes bench/results.json, prints the tables; `npm run
 * bench:tables` then puts them into docs/scale.md and draws bench/results.svg.
 */
import { Command, InvalidArgumentError } from "commander";
import * as fs from "node:fs";
import * as path from "node:path";
import { findCli } from "../realengine";
import { plan, type PlanFlags } from "./plan";
import { readResults } from "./resultsFile";
import { runBench } from "./run";
import { formatSummary } from "./summary";

function list<T>(parse: (v: string) => T): (v: string) => T[] {
  return (v) => v.split(",").map((x) => parse(x.trim()));
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`"${v}" is not a positive whole number`);
  return n;
}

async function main(): Promise<void> {
  const cmd = new Command("bench")
    .description(
      "baseline vs coalesced vs the null provider's floor, on the Pulumi CLI and the offline driver, against the Quick BI emulator",
    )
    .option("--quick", "a fast sanity run: small sizes, one engine (under 5 minutes)")
    .option("--sizes <list>", "numbers of users, e.g. 200,1000", list(positiveInt))
    .option("--scenarios <list>", "one-user, one-user-lists, access", list(String))
    .option("--engines <list>", "cli, driver", list(String))
    .option("--parallelism <list>", "default, unbounded", list(String))
    .option("--modes <list>", "baseline, coalesced, null", list(String))
    .option("--out <file>", "results file (default bench/results.json, --quick bench/results-quick.json)")
    .option("--resume", "keep the runs the results file already holds and run only the rest of the selection")
    .parse(process.argv);
  const flags = cmd.opts<PlanFlags & { out?: string; resume?: boolean }>();
  const out = flags.out ?? path.resolve(__dirname, "../../bench", flags.quick ? "results-quick.json" : "results.json");
  const cli = findCli();
  const options = plan(flags, { cliDir: cli?.dir });
  const started = Date.now();
  const write = (r: unknown) => fs.writeFileSync(out, JSON.stringify(r, null, 2) + "\n");
  const earlier = flags.resume ? readResults(out) : undefined;
  if (earlier && earlier.quick !== options.quick)
    throw new InvalidArgumentError(`--resume: ${out} holds a ${earlier.quick ? "--quick" : "full"} run`);
  const results = await runBench(options, write, earlier);
  write(results);
  process.stdout.write(
    formatSummary(results) +
      `\n\nresults: ${path.relative(process.cwd(), out)} (${((Date.now() - started) / 60_000).toFixed(1)} min)\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

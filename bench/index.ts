/**
 * `npm run bench`: the same scenario with request coalescing off (one call per membership, the baseline) and on, side
 * by side, through the real dynamic-provider host and the offline engine driver, against the emulator with latency
 * and flow control. Writes bench/results.json and prints a table with the on/off ratios. See the README, "Scale".
 */
import { Command, InvalidArgumentError } from "commander";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConcurrencySchema, type Concurrency } from "./results";
import { FULL, QUICK, runBench, type BenchOptions } from "./run";
import { formatTable } from "./table";

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive whole number");
  return n;
}

function concurrencies(v: string): Concurrency[] {
  return v.split(",").map((x) => {
    const parsed = ConcurrencySchema.safeParse(x.trim() === "unbounded" ? "unbounded" : Number(x));
    if (!parsed.success) throw new InvalidArgumentError(`"${x}" is not "unbounded" or a positive number`);
    return parsed.data;
  });
}

async function main(): Promise<void> {
  const cmd = new Command("bench")
    .description("coalescing off vs on, through the real provider host, against the Quick BI emulator")
    .option("--quick", `a fast sanity run (${QUICK.users} users)`)
    .option("--users <n>", "number of users (default 1000, --quick 200)", positiveInt)
    .option("--concurrency <list>", 'engine concurrencies, e.g. "unbounded,16"', concurrencies)
    .option("--qps <n>", "emulator flow-control limit (Throttling.User beyond it)", positiveInt)
    .option("--max-qps <n>", "client rate limit (quickbi:maxQps)", positiveInt)
    .option("--out <file>", "results file", path.resolve(__dirname, "../../bench/results.json"))
    .parse(process.argv);
  const flags = cmd.opts<{ quick?: boolean; users?: number; concurrency?: Concurrency[]; qps?: number; maxQps?: number; out: string }>();
  const base = flags.quick ? QUICK : FULL;
  const options: BenchOptions = {
    ...base,
    users: flags.users ?? base.users,
    concurrencies: flags.concurrency ?? base.concurrencies,
    qps: flags.qps ?? base.qps,
    burst: flags.qps ?? base.burst,
    maxQps: flags.maxQps ?? base.maxQps,
  };
  const results = await runBench(options);
  fs.writeFileSync(flags.out, JSON.stringify(results, null, 2) + "\n");
  process.stdout.write(formatTable(results) + `\n\nresults: ${path.relative(process.cwd(), flags.out)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

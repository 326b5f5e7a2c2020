#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { readJsonFile } from "./http/jsonFile";
import { FaultSettingsSchema, QUIRK_NAMES, startEmulator, type CallRecord, type EmulatorOptions } from "./index";

function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return n;
  };
}

function nonNegative(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number >= 0`);
    return n;
  };
}

function probability(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${name} must be between 0 and 1`);
    return n;
  };
}

interface CliOptions {
  port: number;
  host: string;
  seed?: string;
  state?: string;
  latencyMs?: number;
  jitterMs?: number;
  qps?: number;
  burst?: number;
  errorRate?: number;
  resetRate?: number;
  randomSeed?: number;
  faults?: string;
  timestampWindowMs?: number;
  allowRemoteIntrospection?: boolean;
  quirks?: string[];
  quiet?: boolean;
}

function formatCall(r: CallRecord): string {
  const faults = r.faults.length > 0 ? ` faults=${r.faults.join(",")}` : "";
  return (
    `${r.timestamp} ${r.action ?? "-"} ${r.code} ${r.httpStatus} ${r.durationMs}ms ` +
    `key=${r.accessKeyId ?? "-"} sig=${r.signature ?? "-"} req=${r.requestId}${faults}`
  );
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name("quickbi-emulator")
    .description(
      "Local Quick BI OpenAPI (quickbi-public 2022-01-01) emulator for tests and demos. " +
        "Prints its URL as the first line of stdout, then one line per API call.",
    )
    .option("--port <n>", "port to listen on (0 = any free port)", integer("--port", 0), 0)
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--seed <file>", "seed JSON (default: the built-in demo organization)")
    .option("--state <file>", "state file: loaded if it exists, rewritten atomically after every write")
    .option("--latency-ms <n>", "fixed delay per API call", nonNegative("--latency-ms"))
    .option("--jitter-ms <n>", "extra random delay in [0, n] ms", nonNegative("--jitter-ms"))
    .option("--qps <n>", "requests per second per access key (excess: Throttling.User)", nonNegative("--qps"))
    .option("--burst <n>", "token bucket size for --qps (default max(1, qps))", integer("--burst", 1))
    .option(
      "--error-rate <p>",
      "share of calls failing with ServiceUnavailable/InternalError",
      probability("--error-rate"),
    )
    .option("--reset-rate <p>", "share of calls whose connection is reset", probability("--reset-rate"))
    .option("--random-seed <n>", "seed for faults and generated ids (reproducible runs)", integer("--random-seed", 0))
    .option("--faults <file>", "fault settings JSON (same body as POST /__emulator/faults)")
    .option("--timestamp-window-ms <n>", "accepted clock skew of signed requests", integer("--timestamp-window-ms", 0))
    .option("--allow-remote-introspection", "serve /__emulator/* to non-loopback clients")
    .option(
      "--quirks <a,b,...>",
      `the other reading of ambiguous Quick BI pages, comma-separated: ${QUIRK_NAMES.join(", ")}`,
      (value: string) => value.split(","),
    )
    .option("--quiet", "do not log API calls")
    .parse(argv);
  const o = program.opts<CliOptions>();

  const options: EmulatorOptions = { port: o.port, host: o.host };
  if (o.seed !== undefined) options.seed = o.seed;
  if (o.state !== undefined) options.statePath = o.state;
  if (o.latencyMs !== undefined) options.latencyMs = o.latencyMs;
  if (o.jitterMs !== undefined) options.jitterMs = o.jitterMs;
  if (o.qps !== undefined && o.qps > 0) options.qps = o.qps;
  if (o.burst !== undefined) options.burst = o.burst;
  if (o.errorRate !== undefined) options.errorRate = o.errorRate;
  if (o.resetRate !== undefined) options.resetRate = o.resetRate;
  if (o.randomSeed !== undefined) options.randomSeed = o.randomSeed;
  if (o.timestampWindowMs !== undefined) options.timestampWindowMs = o.timestampWindowMs;
  if (o.allowRemoteIntrospection) options.allowRemoteIntrospection = true;
  if (o.quirks !== undefined) options.quirks = o.quirks;
  if (o.faults !== undefined) {
    options.faults = readJsonFile(o.faults, FaultSettingsSchema, "--faults");
  }
  if (!o.quiet) options.onCall = (r) => process.stdout.write(formatCall(r) + "\n");

  const emulator = await startEmulator(options);
  // Scripts read the first line to find the port; nothing may be printed before it.
  process.stdout.write(emulator.url + "\n");
  if (options.quirks !== undefined && options.quirks.length > 0) {
    process.stderr.write(`quickbi-emulator: quirks in force: ${options.quirks.join(", ")}\n`);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`quickbi-emulator: ${signal}, stopping\n`);
    emulator.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`quickbi-emulator: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`quickbi-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

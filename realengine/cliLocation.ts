/**
 * Where the Pulumi CLI for this repository's real-engine runs lives: $PULUMI_QUICKBI_CLI_DIR first (what CI exports
 * after `npm run pulumi-cli`), then a finished build in the cache, then a `pulumi` on PATH; optionally a build.
 * The cache and PATH rules are scripts/pulumi-cli.js's own functions, required at run time, so the order is decided
 * in one file; a build runs that script as a child process, its progress on this process's stderr.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { findRepoRoot } from "../engine/workspace";

export const CLI_DIR_ENV = "PULUMI_QUICKBI_CLI_DIR";
/** Set by `.ci/run`: a real-engine suite fails instead of skipping when no CLI can be had. */
export const REQUIRE_CLI_ENV = "PULUMI_QUICKBI_REQUIRE_CLI";

export type CliSource = "env" | "path" | "path-shim" | "cache" | "build";

export interface CliLocation {
  /** Absolute folder holding `pulumi` and `pulumi-resource-pulumi-nodejs`. */
  dir: string;
  source: CliSource;
}

const FoundSchema = z.object({ dir: z.string(), source: z.enum(["path", "path-shim", "cache", "build"]) });

interface CliScript {
  cacheRoot(env: NodeJS.ProcessEnv): string;
  fromPath(env: NodeJS.ProcessEnv, root: string): unknown;
  fromCache(root: string): unknown;
}

function script(): CliScript {
  // The script is plain JavaScript outside the TypeScript build; its path is the same from realengine/ and bin/realengine/.
  return require(scriptPath()) as CliScript;
}

function scriptPath(): string {
  return path.join(findRepoRoot(__dirname), "scripts", "pulumi-cli.js");
}

function parseFound(value: unknown): CliLocation | undefined {
  if (value === undefined) return undefined;
  return FoundSchema.parse(value);
}

/** A CLI that is already there (env, cache, PATH), without building anything. */
export function findCli(env: NodeJS.ProcessEnv = process.env): CliLocation | undefined {
  const fromEnv = env[CLI_DIR_ENV];
  if (fromEnv) {
    const dir = path.resolve(fromEnv);
    // A folder named on purpose that holds no CLI is a mistake to report, not a reason to look elsewhere.
    if (!fs.existsSync(path.join(dir, "pulumi"))) throw new Error(`${CLI_DIR_ENV}=${fromEnv} holds no \`pulumi\``);
    return { dir, source: "env" };
  }
  const s = script();
  const root = s.cacheRoot(env);
  return parseFound(s.fromCache(root)) ?? parseFound(s.fromPath(env, root));
}

/** `npm run pulumi-cli` as a child process: builds when Go is there; its progress goes to our stderr. */
export function buildCli(env: NodeJS.ProcessEnv = process.env): Promise<CliLocation | { error: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [scriptPath()], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      process.stderr.write(d);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const lines = stdout.trim().split("\n");
      const dir = lines[lines.length - 1];
      if (code === 0 && dir) resolve({ dir, source: "build" });
      else
        resolve({
          error: stderr
            .trim()
            .split("\n")
            .map((l) => l.replace(/^pulumi-cli: /, ""))
            .join("\n"),
        });
    });
  });
}

/** findCli, else a build when `build` is set. */
export async function obtainCli(opts: {
  env?: NodeJS.ProcessEnv;
  build: boolean;
}): Promise<CliLocation | { error: string }> {
  const env = opts.env ?? process.env;
  const found = findCli(env);
  if (found) return found;
  if (!opts.build)
    return { error: "no Pulumi CLI found (PULUMI_QUICKBI_CLI_DIR, the cache of `npm run pulumi-cli`, PATH)" };
  return buildCli(env);
}

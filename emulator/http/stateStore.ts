import { existsSync, renameSync, writeFileSync, unlinkSync } from "node:fs";
import { SeedSchema, type Seed, type SeedInput } from "../model/seed";
import { readJsonFile } from "./jsonFile";

export const REDACTED = "REDACTED";

export function readSeedFile(path: string, what = "seed file"): Seed {
  return readJsonFile(path, SeedSchema, what);
}

/** Reads `path` when it exists (a previous run's state), else returns the parsed `fallback`. */
export function loadState(path: string | undefined, fallback: SeedInput): Seed {
  if (path !== undefined && existsSync(path)) return readSeedFile(path, "state file");
  return SeedSchema.parse(fallback);
}

let tempCounter = 0;

/**
 * Write-then-rename: a crash mid-write leaves the previous complete file, never a torn one. The state file keeps
 * access key secrets (a restart must still verify signatures), unlike GET /__emulator/state.
 */
export function writeStateAtomic(path: string, seed: Seed): void {
  const temp = `${path}.${process.pid}.${++tempCounter}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(seed, null, 2) + "\n", { encoding: "utf8", mode: 0o600 });
    renameSync(temp, path);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // the temp file may never have been created
    }
    throw err;
  }
}

export function redactSecrets(seed: Seed): Seed {
  return { ...seed, accessKeys: seed.accessKeys.map((k) => ({ ...k, accessKeySecret: REDACTED })) };
}

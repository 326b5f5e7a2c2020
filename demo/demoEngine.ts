/**
 * The one interface the demo drives, with two implementations: the real Pulumi engine through the Automation API
 * (when a `pulumi` CLI is on PATH) and the offline driver in engine/ (otherwise). Both report in engine/report.ts's
 * shape, so the demo prints and checks them the same way.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PropertyMap } from "../engine/host";
import type { ProgramFn } from "../engine/program";
import type { RunReport } from "../engine/report";
import type { StackSettings } from "./phases";

export type EngineKind = "pulumi-cli" | "offline-driver";

/** One resource as the last operation left it in the stack's state (secret values already removed). */
export interface PriorResource {
  urn: string;
  type: string;
  name: string;
  id: string;
  inputs: PropertyMap;
  outputs: PropertyMap;
  secretInputs: string[];
  secretOutputs: string[];
}

export interface DemoEngine {
  readonly kind: EngineKind;
  /** First lines of the demo's output: which engine runs, said plainly. */
  readonly banner: string[];
  preview(settings: StackSettings): Promise<RunReport>;
  up(settings: StackSettings): Promise<RunReport>;
  refresh(settings: StackSettings): Promise<RunReport>;
  destroy(settings: StackSettings): Promise<RunReport>;
  /** The custom resources in state now, by URN. */
  priorResources(): Promise<Map<string, PriorResource>>;
  close(): Promise<void>;
}

export interface EngineFactoryOptions {
  program: ProgramFn;
  project: string;
  stack: string;
  /** Passphrase of the stack's secrets (temporary, made up per run). */
  passphrase: string;
  /** Offline driver only: one provider host for every operation (tests), instead of one per operation (the CLI). */
  sharedHost?: boolean;
}

/** The `pulumi` executable on PATH, if any. */
export function findPulumiCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const exts = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD").split(";") : [""];
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, `pulumi${ext}`);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * The one interface the demo drives, with two implementations: the real Pulumi engine through the Automation API
 * (whenever `npm run pulumi-cli` can find or build a CLI) and the offline driver in engine/ (otherwise). Both report in engine/report.ts's
 * shape, so the demo prints and checks them the same way.
 */
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
  /** Extra environment for the provider host (e.g. QUICKBI_PROVIDER_TRACE_FILE); the CLI passes it on to the host. */
  env?: Record<string, string>;
}

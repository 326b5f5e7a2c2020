/**
 * End-to-end plumbing: a Quick BI emulator, a throwaway user project that has `node_modules/pulumi-quickbi` linked to
 * this repository (built), the real `@pulumi/pulumi` dynamic-provider host running in it, and the `__provider` text and
 * inputs a real program registers. Tests drive the host over gRPC in the engine's order and look at the emulator's
 * state after every step.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InitFailedError, ProviderHost, type CheckResult, type PropertyMap } from "../../engine/host";
import { runProgram, type ProgramFn, type Registration } from "../../engine/program";
import { createWorkspace, type Workspace } from "../../engine/workspace";
import { createClient, type QuickBIClient } from "../../provider/api/client";
import {
  defaultSeed,
  DEMO_ACCESS_KEY,
  startEmulator,
  type RunningEmulator,
  type Seed,
  type SeedInput,
} from "pulumi-quickbi/emulator";
import { quirksUnderTest } from "../quirkMatrix/quirks";

const REPO = path.resolve(__dirname, "../..");

/** Ids from the emulator's default seed. */
export const SEED = {
  owner: "a1f0c2d3e4b5468796a0b1c2d3e4f501",
  pavel: "b2e1d3c4f5a6479807b1c2d3e4f5a602",
  dana: "c3d2e4f5a6b7480918c2d3e4f5a6b703",
  diego: "d4c3f5a6b7c8491a29d3e4f5a6b7c804",
  fatima: "e5b4a6b7c8d94a2b3ae4f5a6b7c8d905",
  anna: "f6a5b7c8d9ea4b3c4bf5a6b7c8d9ea06",
  arjun: "a7b6c8d9eafb4c4d5ca6b7c8d9eafb07",
  victor: "b8c7d9eafb0c4d5e6db7c8d9eafb0c08",
  sales: "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01",
  finance: "6a4f3d2b-9c8e-4f70-8b1c-2d3e4f5a6b02",
  sandbox: "7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03",
  engineering: "8c6b5f4d-1e0a-4b92-8d3e-4f5a6b7c8d01",
  business: "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03",
} as const;

export interface Harness {
  readonly emu: RunningEmulator;
  readonly host: ProviderHost;
  readonly workspace: Workspace;
  readonly config: Record<string, string>;
  /** A separate signed client for out-of-band changes (what a colleague clicking in the console would do). */
  readonly outOfBand: QuickBIClient;
}

export async function startHarness(
  seed: SeedInput = defaultSeed(),
  extraConfig: Record<string, string> = {},
): Promise<Harness> {
  const runtime = path.join(REPO, "bin/provider/runtime.js");
  if (!fs.existsSync(runtime)) {
    throw new Error(
      "bin/provider/runtime.js is missing: run `npm run build` first (the provider host loads the built package)",
    );
  }
  const emu = await startEmulator({ seed, quirks: quirksUnderTest() });
  const workspace = await createWorkspace({ repoRoot: REPO });
  const config = {
    "quickbi:endpoint": emu.url,
    "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
    "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
    "quickbi:maxRetries": "1",
    ...extraConfig,
  };
  // Credentials reach the host only through configure (stack config), never through its environment.
  const host = await ProviderHost.start({
    cwd: workspace.dir,
    env: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
      QUICKBI_ENDPOINT: undefined,
    },
    callTimeoutMs: 60_000,
  });
  await host.configure(config);
  const outOfBand = await createClient({ get: (k: string) => config[k as keyof typeof config] }, {});
  return { emu, host, workspace, config, outOfBand };
}

export async function stopHarness(h: Harness | undefined): Promise<void> {
  if (!h) return;
  await h.host.stop();
  await h.emu.stop();
  await h.workspace.cleanup();
}

/** Runs a real program under the mock monitor and returns its custom resources by name. */
export async function register(program: ProgramFn, config: Record<string, string>): Promise<Map<string, Registration>> {
  const run = await runProgram(program, { config, secretKeys: ["quickbi:accessKeySecret"] });
  if (run.errors.length > 0) throw new Error(`program failed: ${run.errors.map((e) => e.message).join("; ")}`);
  return new Map(run.registrations.filter((r) => r.custom).map((r) => [r.name, r]));
}

/** GET /__emulator/state: Quick BI's state as the emulator holds it. */
export async function quickbiState(emu: RunningEmulator): Promise<Seed> {
  const res = await fetch(`${emu.url}/__emulator/state`);
  expect(res.status).toBe(200);
  return (await res.json()) as Seed;
}

/** userId → every role id held in the workspace. */
export function membersOf(state: Seed, workspaceId: string): Map<string, number[]> {
  return new Map(
    state.workspaceMembers
      .filter((m) => m.workspaceId === workspaceId)
      .map((m) => [m.userId, [m.roleId, ...(m.roleIds ?? [])]]),
  );
}

export function groupMembersOf(state: Seed, userGroupId: string): Set<string> {
  return new Set(state.userGroupMembers.filter((m) => m.userGroupId === userGroupId).map((m) => m.userId));
}

export interface CallSummary {
  readonly action: string | null;
  readonly code: string;
  readonly requestId: string;
  readonly params: Record<string, string>;
  /** True when the call changed (and persisted) the organization. */
  readonly mutated?: boolean;
}

/** GET /__emulator/calls since a sequence number. */
export async function callsSince(emu: RunningEmulator, since: number): Promise<CallSummary[]> {
  const res = await fetch(`${emu.url}/__emulator/calls?since=${since}`);
  return (await res.json()) as CallSummary[];
}

export async function lastSeq(emu: RunningEmulator): Promise<number> {
  const res = await fetch(`${emu.url}/__emulator/calls`);
  const all = (await res.json()) as { seq: number }[];
  return all.length > 0 ? all[all.length - 1].seq : 0;
}

/**
 * One resource's life as the engine plays it: Check → Create on the first up; Check(olds = old inputs) → Diff(olds =
 * old outputs) → Update / Delete+Create (deleteBeforeReplace) on later ups; Read on refresh; Delete on destroy.
 */
export class Tracked {
  id = "";
  inputs: PropertyMap = {};
  outputs: PropertyMap = {};
  constructor(
    readonly host: ProviderHost,
    public reg: Registration,
  ) {}

  get urn(): string {
    return this.reg.urn;
  }

  async check(reg: Registration = this.reg): Promise<CheckResult> {
    return this.host.check(reg.urn, this.id ? this.inputs : {}, reg.inputs);
  }

  /** A partial create (InitFailedError) is recorded like the engine does (id + properties), then rethrown. */
  async create(): Promise<void> {
    const checked = await this.check();
    expect(checked.failures).toEqual([]);
    try {
      const r = await this.host.create(this.urn, checked.inputs);
      this.id = r.id;
      this.outputs = r.properties;
    } catch (e) {
      if (e instanceof InitFailedError) {
        this.id = e.id;
        this.outputs = e.properties;
        this.inputs = checked.inputs;
      }
      throw e;
    }
    this.inputs = checked.inputs;
  }

  async diff(reg: Registration): Promise<{ checked: PropertyMap; diff: Awaited<ReturnType<ProviderHost["diff"]>> }> {
    const checked = await this.check(reg);
    expect(checked.failures).toEqual([]);
    const diff = await this.host.diff(reg.urn, this.id, this.outputs, checked.inputs, this.inputs);
    return { checked: checked.inputs, diff };
  }

  /**
   * A later `up` with the program's new registration; returns what the engine would have done. A resource left
   * half-created (init errors) is updated even when diff finds nothing, as the engine does.
   */
  async up(reg: Registration, initErrors = false): Promise<"same" | "update" | "replace"> {
    const { checked, diff } = await this.diff(reg);
    this.reg = reg;
    if (diff.changes === "DIFF_NONE" && !initErrors) {
      this.inputs = checked;
      return "same";
    }
    if (diff.replaces.length > 0) {
      if (!diff.deleteBeforeReplace) throw new Error("expected deleteBeforeReplace for a natural-key resource");
      await this.host.delete(this.urn, this.id, this.outputs, this.inputs);
      const r = await this.host.create(this.urn, checked);
      this.id = r.id;
      this.inputs = checked;
      this.outputs = r.properties;
      return "replace";
    }
    try {
      const r = await this.host.update(this.urn, this.id, this.outputs, checked, this.inputs);
      this.outputs = r.properties;
    } catch (e) {
      if (e instanceof InitFailedError) {
        this.outputs = e.properties;
        this.inputs = checked;
      }
      throw e;
    }
    this.inputs = checked;
    return "update";
  }

  /** `pulumi refresh`: returns false when the resource dropped out of state. */
  async refresh(): Promise<boolean> {
    // Each refresh is an operation of its own (the CLI would start a new host for it).
    await this.host.beginOperation();
    const r = await this.host.read(this.urn, this.id, this.outputs, this.inputs);
    if (r.id === "") {
      this.id = "";
      this.outputs = {};
      return false;
    }
    this.outputs = r.properties;
    if (r.inputs) this.inputs = r.inputs;
    return true;
  }

  async destroy(): Promise<void> {
    await this.host.delete(this.urn, this.id, this.outputs, this.inputs);
  }
}

/** Outputs without the serialized provider. */
export function plain(outputs: PropertyMap): PropertyMap {
  const { __provider: _p, ...rest } = outputs;
  return rest;
}

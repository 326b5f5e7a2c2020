/**
 * The demo on a machine without the Pulumi CLI: engine/'s driver. The program runs under Pulumi's mock monitor and
 * every resource goes through @pulumi/pulumi's real dynamic-provider host over gRPC, in the engine's order, with a
 * JSON state file. It is not Pulumi, and the banner says so.
 */
import { Engine } from "../engine/engine";
import { ProviderHost } from "../engine/host";
import type { RunReport } from "../engine/report";
import { SecretsCrypter } from "../engine/secrets";
import { createWorkspace, type Workspace } from "../engine/workspace";
import type { DemoEngine, EngineFactoryOptions, PriorResource } from "./demoEngine";
import type { StackSettings } from "./phases";

/** Credentials reach the host only through stack config (as configure() hands them over), never from this shell. */
const HOST_ENV: Record<string, string | undefined> = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
  ALIBABA_CLOUD_SECURITY_TOKEN: undefined,
  QUICKBI_ENDPOINT: undefined,
};

/**
 * A deadline per provider call, which the engine does not have: a demo that hangs teaches nothing, one that fails
 * with "deadline exceeded" points at the step. Generous: the provider retries throttling for up to ~11 s per call.
 */
const CALL_TIMEOUT_MS = 120_000;

export class OfflineEngine implements DemoEngine {
  readonly kind = "offline-driver" as const;
  readonly banner: string[];

  private constructor(
    why: string,
    private readonly opts: EngineFactoryOptions,
    private readonly workspace: Workspace,
    private readonly host: ProviderHost | undefined,
  ) {
    this.banner = [
      "Engine: the OFFLINE DRIVER in engine/. This is NOT Pulumi: it runs the program under Pulumi's mock monitor and",
      "        drives @pulumi/pulumi's real dynamic-provider host over gRPC in the engine's order",
      "        (check and diff one resource at a time, the rest 4 × cores at once), with a JSON state file.",
      `        Why: ${why.split("\n")[0]}`,
      "        Install the Pulumi CLI, or Go >= 1.25 (`npm run pulumi-cli` builds the CLI), for the real engine.",
    ];
  }

  /** `why`: the reason the real engine is not used (said in the banner). */
  static async create(opts: EngineFactoryOptions, why: string): Promise<OfflineEngine> {
    const workspace = await createWorkspace({ project: opts.project });
    try {
      const host = opts.sharedHost
        ? await ProviderHost.start({
            cwd: workspace.dir,
            env: { ...HOST_ENV, ...opts.env },
            project: opts.project,
            callTimeoutMs: CALL_TIMEOUT_MS,
          })
        : undefined;
      return new OfflineEngine(why, opts, workspace, host);
    } catch (e) {
      await workspace.cleanup();
      throw e;
    }
  }

  private engine(settings: StackSettings): Engine {
    return new Engine({
      projectDir: this.workspace.dir,
      statePath: this.workspace.statePath,
      project: this.opts.project,
      stack: this.opts.stack,
      config: settings.values,
      secretKeys: settings.secretKeys,
      secretsPassphrase: this.opts.passphrase,
      hostEnv: { ...HOST_ENV, ...this.opts.env },
      callTimeoutMs: CALL_TIMEOUT_MS,
      ...(this.host ? { host: this.host } : {}),
    });
  }

  async preview(settings: StackSettings): Promise<RunReport> {
    // A shared host caches configure(); the config that matters to the provider (endpoint, key) is the same in every phase.
    return this.engine(settings).preview(this.opts.program);
  }

  async up(settings: StackSettings): Promise<RunReport> {
    return this.engine(settings).up(this.opts.program);
  }

  async refresh(settings: StackSettings): Promise<RunReport> {
    return this.engine(settings).refresh();
  }

  async destroy(settings: StackSettings): Promise<RunReport> {
    return this.engine(settings).destroy();
  }

  async priorResources(): Promise<Map<string, PriorResource>> {
    const engine = new Engine({
      projectDir: this.workspace.dir,
      statePath: this.workspace.statePath,
      secretsPassphrase: this.opts.passphrase,
    });
    const state = engine.readState();
    const crypter = new SecretsCrypter(this.opts.passphrase, state.secretsSalt);
    const out = new Map<string, PriorResource>();
    for (const r of state.resources) {
      if (!r.custom || r.delete) continue;
      const inputs = crypter.open(r.inputs);
      const outputs = crypter.open(r.outputs);
      const hide = (plain: Record<string, unknown>, secret: string[]) =>
        Object.fromEntries(Object.entries(plain).filter(([k]) => !secret.includes(k)));
      out.set(r.urn, {
        urn: r.urn,
        type: r.type,
        name: r.name,
        id: r.id,
        inputs: hide(inputs.plain, inputs.secretKeys),
        outputs: hide(outputs.plain, outputs.secretKeys),
        secretInputs: inputs.secretKeys,
        secretOutputs: outputs.secretKeys,
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.host?.stop();
    await this.workspace.cleanup();
  }
}

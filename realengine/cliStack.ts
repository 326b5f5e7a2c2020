/**
 * One stack on the real Pulumi engine: the CLI in a given folder, driven through the Automation API with an inline
 * program, a local `file://` backend in a temporary folder, the passphrase secrets provider and no update check.
 * The project folder is a throwaway "user project" whose node_modules/pulumi-quickbi links to this checkout, because
 * the CLI starts the dynamic-provider host there and the serialized provider require()s the package from it.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import type { PropertyMap } from "../engine/host";
import type { Operation, RunReport } from "../engine/report";
import { createWorkspace, type Workspace } from "../engine/workspace";
import { REPORT_FILE_ENV } from "../provider/report";
import { EventLog, nameOf } from "./eventLog";
import { isSecretCiphertext } from "./secrets";

/** Stack config as the engine receives it: fully qualified keys, string values (objects as JSON). */
export interface StackConfig {
  values: Record<string, string>;
  secretKeys: string[];
}

export type InlineProgram = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export interface CliStackOptions {
  /** Folder holding `pulumi` and `pulumi-resource-pulumi-nodejs` (see cliLocation.ts). */
  cliDir: string;
  program: InlineProgram;
  project: string;
  stack: string;
  passphrase: string;
  /** Extra environment for the CLI and the provider host it starts. */
  env?: Record<string, string>;
}

export interface OperationOptions {
  onEvent?: (e: EngineEvent) => void;
  /** Aborting sends SIGINT to the CLI (the Automation API's own cancellation). */
  signal?: AbortSignal;
  /** preview/up: `--diff` (the CLI's text then shows property changes). */
  diff?: boolean;
  /** refresh: `--clear-pending-creates`. */
  clearPendingCreates?: boolean;
  /** up: `--parallel`. */
  parallel?: number;
}

/** What an operation reports: the driver's RunReport plus the CLI's own text. */
export interface CliRunReport extends RunReport {
  stdout: string;
  stderr: string;
  events: EngineEvent[];
}

/** One resource in the checkpoint, secret values left out (only their names kept). */
export interface StateResource {
  urn: string;
  type: string;
  name: string;
  id: string;
  inputs: PropertyMap;
  outputs: PropertyMap;
  secretInputs: string[];
  secretOutputs: string[];
}

export class CliStack {
  private constructor(
    readonly stack: Stack,
    readonly workspace: Workspace,
    readonly backendDir: string,
    readonly cliDir: string,
    readonly version: string,
    private readonly env: Record<string, string>,
  ) {}

  /** The access report's JSON lines (QUICKBI_ACCESS_REPORT_FILE) of every operation so far. */
  get reportFile(): string {
    return path.join(this.backendDir, "access-report.jsonl");
  }

  static async create(opts: CliStackOptions): Promise<CliStack> {
    const workspace = await createWorkspace({ project: opts.project });
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-quickbi-backend-"));
    try {
      // PulumiCommand wants <root>/bin/pulumi and puts <root>/bin first on the CLI's PATH, where the plugin scripts are.
      const pulumiCommand = await PulumiCommand.get({ root: path.dirname(opts.cliDir) });
      const env: Record<string, string> = {
        PULUMI_CONFIG_PASSPHRASE: opts.passphrase,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        // No ~/.pulumi credentials or plugins of this machine: everything lives in the temp backend.
        PULUMI_HOME: path.join(backendDir, ".pulumi-home"),
        // Credentials come from stack config only: nothing from this shell reaches the provider host.
        ALIBABA_CLOUD_ACCESS_KEY_ID: "",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "",
        ALIBABA_CLOUD_SECURITY_TOKEN: "",
        QUICKBI_ENDPOINT: "",
        [REPORT_FILE_ENV]: path.join(backendDir, "access-report.jsonl"),
        ...(opts.env ?? {}),
      };
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: opts.stack, projectName: opts.project, program: async () => (await opts.program()) ?? {} },
        {
          workDir: workspace.dir,
          pulumiCommand,
          projectSettings: { name: opts.project, runtime: "nodejs", backend: { url: `file://${backendDir}` } },
          envVars: env,
        },
      );
      return new CliStack(
        stack,
        workspace,
        backendDir,
        opts.cliDir,
        pulumiCommand.version?.toString() ?? "unknown",
        env,
      );
    } catch (e) {
      await workspace.cleanup();
      fs.rmSync(backendDir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Replaces the stack's config with `config` (keys no longer given are removed). */
  async configure(config: StackConfig): Promise<void> {
    const current = await this.stack.getAllConfig();
    const stale = Object.keys(current).filter((k) => !(k in config.values));
    if (stale.length > 0) await this.stack.removeAllConfig(stale);
    await this.stack.setAllConfig(
      Object.fromEntries(
        Object.entries(config.values).map(([k, value]) => [k, { value, secret: config.secretKeys.includes(k) }]),
      ),
    );
  }

  private async run(
    operation: Operation,
    config: StackConfig | undefined,
    opts: OperationOptions,
    fn: (onEvent: (e: EngineEvent) => void) => Promise<{ stdout: string; stderr: string }>,
  ): Promise<CliRunReport> {
    const started = Date.now();
    const log = new EventLog(operation);
    const onEvent = (e: EngineEvent) => {
      log.onEvent(e);
      opts.onEvent?.(e);
    };
    const offset = fs.existsSync(this.reportFile) ? fs.statSync(this.reportFile).size : 0;
    let text = { stdout: "", stderr: "" };
    let failure: unknown;
    try {
      if (config) await this.configure(config);
      const r = await fn(onEvent);
      text = { stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      failure = e;
      const c = e as { commandResult?: { stdout?: string; stderr?: string } };
      text = { stdout: c.commandResult?.stdout ?? "", stderr: c.commandResult?.stderr ?? "" };
    }
    // The JSON lines of the access report: collectAccessReport() reads them from debug log entries.
    if (fs.existsSync(this.reportFile)) {
      const added = fs.readFileSync(this.reportFile).subarray(offset).toString("utf8");
      for (const line of added.split("\n").filter((l) => l.trim() !== "")) {
        log.logs.push({ severity: "debug", message: line, urn: "", streamId: 0, ephemeral: false, at: Date.now() });
      }
    }
    const outputs = failure || operation === "preview" || operation === "destroy" ? {} : await this.outputs();
    return { ...log.report(started, outputs, failure), ...text, events: log.events };
  }

  preview(config?: StackConfig, opts: OperationOptions = {}): Promise<CliRunReport> {
    return this.run("preview", config, opts, (onEvent) =>
      this.stack.preview({ onEvent, ...pick(opts, "diff", "signal") }),
    );
  }

  up(config?: StackConfig, opts: OperationOptions = {}): Promise<CliRunReport> {
    return this.run("up", config, opts, (onEvent) =>
      this.stack.up({ onEvent, ...pick(opts, "diff", "signal", "parallel") }),
    );
  }

  refresh(config?: StackConfig, opts: OperationOptions = {}): Promise<CliRunReport> {
    return this.run("refresh", config, opts, (onEvent) =>
      this.stack.refresh({ onEvent, ...pick(opts, "signal", "clearPendingCreates") }),
    );
  }

  destroy(config?: StackConfig, opts: OperationOptions = {}): Promise<CliRunReport> {
    return this.run("destroy", config, opts, (onEvent) => this.stack.destroy({ onEvent, ...pick(opts, "signal") }));
  }

  async outputs(): Promise<PropertyMap> {
    const outs = await this.stack.outputs();
    return Object.fromEntries(Object.entries(outs).map(([k, o]) => [k, o.secret ? "[secret]" : (o.value as unknown)]));
  }

  /**
   * The CLI run directly in the project folder with this stack's environment, e.g. `stack export` (which the
   * Automation API only runs with --show-secrets) or `cancel`. Resolves with the exit code and the text.
   */
  cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(this.cliDir, "pulumi"), [...args, "--non-interactive"], {
        cwd: this.workspace.dir,
        env: { ...process.env, ...this.env, PATH: `${this.cliDir}${path.delimiter}${process.env.PATH ?? ""}` },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** `pulumi stack export` without --show-secrets: the checkpoint as stored (secrets as ciphertext). */
  async exportCheckpoint(): Promise<string> {
    const r = await this.cli(["stack", "export", "--stack", this.stack.name]);
    if (r.code !== 0) throw new Error(`pulumi stack export failed (${r.code}): ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** The custom resources in the checkpoint now (pending deletes and providers left out). */
  async resources(): Promise<Map<string, StateResource>> {
    const exported = JSON.parse(await this.exportCheckpoint()) as {
      deployment?: {
        resources?: {
          urn: string;
          type: string;
          custom?: boolean;
          id?: string;
          inputs?: PropertyMap;
          outputs?: PropertyMap;
          delete?: boolean;
        }[];
      };
    };
    const out = new Map<string, StateResource>();
    for (const r of exported.deployment?.resources ?? []) {
      if (!r.custom || r.delete || r.type.startsWith("pulumi:providers:")) continue;
      const split = (m: PropertyMap = {}) => {
        const secret = Object.keys(m).filter((k) => isSecretCiphertext(m[k]));
        return { plain: Object.fromEntries(Object.entries(m).filter(([k]) => !secret.includes(k))), secret };
      };
      const i = split(r.inputs);
      const o = split(r.outputs);
      out.set(r.urn, {
        urn: r.urn,
        type: r.type,
        name: nameOf(r.urn),
        id: r.id ?? "",
        inputs: i.plain,
        outputs: o.plain,
        secretInputs: i.secret,
        secretOutputs: o.secret,
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.workspace.cleanup();
    fs.rmSync(this.backendDir, { recursive: true, force: true });
  }
}

function pick<T extends object, K extends keyof T>(o: T, ...keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

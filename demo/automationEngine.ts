/**
 * The demo with the real Pulumi engine: the Automation API drives the `pulumi` CLI found on PATH, with a local file
 * backend in a temporary directory and a made-up passphrase. The program is the same inline function the offline
 * driver runs; the project directory is a throwaway "user project" whose node_modules/pulumi-quickbi links to this
 * checkout, because the provider host resolves the serialized provider's require() there.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, type EngineEvent, type OpType, type Stack } from "@pulumi/pulumi/automation";
import type { LogEntry, LogSeverity, PropertyMap } from "../engine/host";
import { countSteps, type Operation, type RunReport, type Step, type StepOp } from "../engine/report";
import { SECRET_SIG, SIG_KEY } from "../engine/program";
import { REPORT_FILE_ENV } from "../provider/report";
import { createWorkspace, type Workspace } from "../engine/workspace";
import type { DemoEngine, EngineFactoryOptions, PriorResource } from "./demoEngine";
import type { StackSettings } from "./phases";

const DEPLOY_OPS: Partial<Record<OpType, StepOp>> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
  same: "same",
};

function logSeverity(s: string): LogSeverity {
  return s === "warning" || s === "error" ? s : "info";
}

/** Collects the engine's step events into the driver's report shape. */
class EventLog {
  readonly steps: Step[] = [];
  readonly logs: LogEntry[] = [];
  readonly errors: string[] = [];

  constructor(private readonly operation: Operation) {}

  readonly onEvent = (e: EngineEvent): void => {
    const d = e.diagnosticEvent;
    if (d && d.severity !== "info#err") {
      this.logs.push({ severity: logSeverity(d.severity), message: d.message.trim(), urn: d.urn ?? "", streamId: d.streamID ?? 0, ephemeral: d.ephemeral ?? false, at: Date.now() });
      if (d.severity === "error") this.errors.push(d.message.trim());
    }
    // Previews announce steps (pre events); the other operations report them done (outputs events).
    const done = this.operation === "preview" ? e.resourcePreEvent?.metadata : e.resOutputsEvent?.metadata;
    if (done && !done.type.startsWith("pulumi:")) this.record(done.op, done.urn, done.type, done);
    const failed = e.resOpFailedEvent?.metadata;
    if (failed) {
      const op = DEPLOY_OPS[failed.op] ?? "update";
      this.steps.push({ op, urn: failed.urn, type: failed.type, name: nameOf(failed.urn), error: `${failed.op} failed` });
    }
  };

  private record(op: OpType, urn: string, type: string, m: { diffs?: string[]; new?: unknown; keys?: string[] }): void {
    let step: StepOp | undefined;
    if (this.operation === "refresh") {
      if (op === "delete" || (op === "refresh" && m.new === undefined)) step = "refresh-deleted";
      else if ((op === "refresh" || op === "update") && (m.diffs?.length ?? 0) > 0) step = "refresh-changed";
      else step = "read";
    } else {
      step = DEPLOY_OPS[op];
    }
    if (!step) return; // create-replacement / delete-replaced belong to the replace step
    const detail = step === "replace" && m.keys?.length ? `replaces ${m.keys.join(", ")}` : m.diffs?.length ? `changed: ${m.diffs.join(", ")}` : undefined;
    this.steps.push({ op: step, urn, type, name: nameOf(urn), ...(detail ? { detail } : {}) });
  }

  report(started: number, outputs: PropertyMap, error?: unknown): RunReport {
    const errors = [...this.errors];
    if (error) errors.push(error instanceof Error ? error.message : String(error));
    return {
      operation: this.operation,
      ok: errors.length === 0 && this.steps.every((s) => !s.error),
      steps: this.steps,
      counts: countSteps(this.steps),
      logs: this.logs,
      durationMs: Date.now() - started,
      errors,
      warnings: [],
      outputs,
    };
  }
}

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

export class AutomationEngine implements DemoEngine {
  readonly kind = "pulumi-cli" as const;
  readonly banner: string[];

  private constructor(
    private readonly stack: Stack,
    private readonly workspace: Workspace,
    private readonly backendDir: string,
    cli: string,
    version: string,
  ) {
    this.banner = [
      `Engine: the Pulumi CLI ${version} (${cli}) through the Automation API, local file backend in a temporary`,
      "        directory, temporary secrets passphrase.",
    ];
  }

  static async create(opts: EngineFactoryOptions, cli: string): Promise<AutomationEngine> {
    const workspace = await createWorkspace({ project: opts.project });
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-quickbi-backend-"));
    try {
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: opts.stack, projectName: opts.project, program: async () => (await opts.program()) ?? {} },
        {
          workDir: workspace.dir,
          projectSettings: { name: opts.project, runtime: "nodejs", backend: { url: `file://${backendDir}` } },
          envVars: {
            PULUMI_CONFIG_PASSPHRASE: opts.passphrase,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            // Credentials come from stack config only, as in the offline run.
            ALIBABA_CLOUD_ACCESS_KEY_ID: "",
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: "",
            QUICKBI_ENDPOINT: "",
            // The CLI shows the provider's debug log only with --debug; the access report's JSON lines go here too.
            [REPORT_FILE_ENV]: reportFile(backendDir),
          },
        },
      );
      const version = stack.workspace.pulumiVersion;
      return new AutomationEngine(stack, workspace, backendDir, cli, version);
    } catch (e) {
      await workspace.cleanup();
      fs.rmSync(backendDir, { recursive: true, force: true });
      throw e;
    }
  }

  private async configure(settings: StackSettings): Promise<void> {
    const current = await this.stack.getAllConfig();
    const stale = Object.keys(current).filter((k) => !(k in settings.values));
    if (stale.length > 0) await this.stack.removeAllConfig(stale);
    await this.stack.setAllConfig(
      Object.fromEntries(Object.entries(settings.values).map(([k, value]) => [k, { value, secret: settings.secretKeys.includes(k) }])),
    );
  }

  private async outputs(): Promise<PropertyMap> {
    const outs = await this.stack.outputs();
    return Object.fromEntries(Object.entries(outs).map(([k, o]) => [k, o.secret ? "[secret]" : (o.value as unknown)]));
  }

  private async run(operation: Operation, settings: StackSettings, fn: (log: EventLog) => Promise<unknown>): Promise<RunReport> {
    const started = Date.now();
    const log = new EventLog(operation);
    const file = reportFile(this.backendDir);
    const offset = fs.existsSync(file) ? fs.statSync(file).size : 0;
    try {
      await this.configure(settings);
      await fn(log);
      if (fs.existsSync(file)) {
        const added = fs.readFileSync(file).subarray(offset).toString("utf8");
        for (const line of added.split("\n").filter((l) => l.trim() !== "")) {
          log.logs.push({ severity: "debug", message: line, urn: "", streamId: 0, ephemeral: false, at: Date.now() });
        }
      }
      return log.report(started, operation === "preview" || operation === "destroy" ? {} : await this.outputs());
    } catch (e) {
      return log.report(started, {}, e);
    }
  }

  preview(settings: StackSettings): Promise<RunReport> {
    return this.run("preview", settings, (log) => this.stack.preview({ onEvent: log.onEvent }));
  }

  up(settings: StackSettings): Promise<RunReport> {
    return this.run("up", settings, (log) => this.stack.up({ onEvent: log.onEvent }));
  }

  refresh(settings: StackSettings): Promise<RunReport> {
    return this.run("refresh", settings, (log) => this.stack.refresh({ onEvent: log.onEvent }));
  }

  destroy(settings: StackSettings): Promise<RunReport> {
    return this.run("destroy", settings, (log) => this.stack.destroy({ onEvent: log.onEvent }));
  }

  async priorResources(): Promise<Map<string, PriorResource>> {
    const exported = (await this.stack.exportStack()).deployment as {
      resources?: { urn: string; type: string; custom?: boolean; id?: string; inputs?: PropertyMap; outputs?: PropertyMap; delete?: boolean }[];
    };
    const out = new Map<string, PriorResource>();
    for (const r of exported.resources ?? []) {
      if (!r.custom || r.delete || r.type.startsWith("pulumi:providers:")) continue;
      const split = (m: PropertyMap = {}) => {
        const secret = Object.keys(m).filter((k) => isSecretCiphertext(m[k]));
        return { plain: Object.fromEntries(Object.entries(m).filter(([k]) => !secret.includes(k))), secret };
      };
      const i = split(r.inputs);
      const o = split(r.outputs);
      out.set(r.urn, { urn: r.urn, type: r.type, name: nameOf(r.urn), id: r.id ?? "", inputs: i.plain, outputs: o.plain, secretInputs: i.secret, secretOutputs: o.secret });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.workspace.cleanup();
    fs.rmSync(this.backendDir, { recursive: true, force: true });
  }
}

function reportFile(backendDir: string): string {
  return path.join(backendDir, "access-report.jsonl");
}

/** Pulumi's checkpoint format for an encrypted secret. */
function isSecretCiphertext(v: unknown): boolean {
  return v !== null && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/**
 * The Pulumi CLI's engine events (Automation API `onEvent`) turned into the offline driver's RunReport steps, so the
 * demo and the differential test read both engines the same way.
 */
import type { EngineEvent, OpType, StepEventMetadata } from "@pulumi/pulumi/automation";
import type { LogEntry, LogSeverity, PropertyMap } from "../engine/host";
import { countSteps, type Operation, type RunReport, type Step, type StepOp } from "../engine/report";

const DEPLOY_OPS: Partial<Record<OpType, StepOp>> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
  same: "same",
};

function logSeverity(s: string): LogSeverity {
  return s === "warning" || s === "error" || s === "debug" ? s : "info";
}

export function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Outputs without the serialized provider, for comparing what a refresh read with what state held. */
function comparable(outputs: Record<string, unknown> | undefined): string {
  const { __provider: _p, ...rest } = outputs ?? {};
  return JSON.stringify(sortKeys(rest));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
  );
}

export class EventLog {
  readonly steps: Step[] = [];
  readonly logs: LogEntry[] = [];
  readonly errors: string[] = [];
  /** Every event as received, for tests that look at what the engine said. */
  readonly events: EngineEvent[] = [];

  constructor(private readonly operation: Operation) {}

  readonly onEvent = (e: EngineEvent): void => {
    this.events.push(e);
    const d = e.diagnosticEvent;
    if (d && d.severity !== "info#err") {
      const message = d.message.trim();
      this.logs.push({
        severity: logSeverity(d.severity),
        message,
        urn: d.urn ?? "",
        streamId: d.streamID ?? 0,
        ephemeral: d.ephemeral ?? false,
        at: Date.now(),
      });
      if (d.severity === "error") this.errors.push(message);
    }
    // Previews announce steps (pre events); the other operations report them done (outputs events).
    const done = this.operation === "preview" ? e.resourcePreEvent?.metadata : e.resOutputsEvent?.metadata;
    if (done && !done.type.startsWith("pulumi:")) this.record(done);
    const failed = e.resOpFailedEvent?.metadata;
    if (failed) {
      const op = DEPLOY_OPS[failed.op] ?? "update";
      this.steps.push({
        op,
        urn: failed.urn,
        type: failed.type,
        name: nameOf(failed.urn),
        error: `${failed.op} failed`,
      });
    }
  };

  private record(m: StepEventMetadata): void {
    let step: StepOp | undefined;
    if (this.operation === "refresh") {
      if (m.op === "delete" || (m.op === "refresh" && m.new === undefined)) step = "refresh-deleted";
      // The CLI's refresh reports no property diffs for a dynamic resource: compare the outputs it read with state's.
      else if (
        (m.op === "refresh" || m.op === "update") &&
        ((m.diffs?.length ?? 0) > 0 || comparable(m.old?.outputs) !== comparable(m.new?.outputs))
      )
        step = "refresh-changed";
      else step = "read";
    } else {
      step = DEPLOY_OPS[m.op];
    }
    if (!step) return; // create-replacement / delete-replaced belong to the replace step
    const detail =
      step === "replace" && m.keys?.length
        ? `replaces ${m.keys.join(", ")}`
        : m.diffs?.length
          ? `changed: ${m.diffs.join(", ")}`
          : undefined;
    this.steps.push({ op: step, urn: m.urn, type: m.type, name: nameOf(m.urn), ...(detail ? { detail } : {}) });
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
      warnings: this.logs.filter((l) => l.severity === "warning").map((l) => l.message),
      outputs,
    };
  }
}

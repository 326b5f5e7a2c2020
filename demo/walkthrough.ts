/**
 * The demo's walk through the example stack's life: each phase run on the chosen engine, what it did to Quick BI, and
 * the checks that make a phase pass (previews make no writes, each up does exactly what its preview said, the refresh
 * finds the drift, destroy leaves Quick BI as it was). runDemo.ts sets the stage and reports.
 */
import type { ProgramFn } from "../engine/program";
import type { Operation, RunReport } from "../engine/report";
import type { RunningEmulator } from "../emulator";
import { createClient } from "../provider/api/client";
import { deleteUserFromWorkspace, updateWorkspaceUserRole } from "../provider/api/operations";
import { WORKSPACE_ROLES } from "../provider/api/roles";
import { collectAccessReport, formatAccessReportMarkdown } from "../provider/report";
import { declaredInputs, describeDrift, describeInputChanges, describeInputs } from "./changeDetails";
import type { DemoEngine, PriorResource } from "./demoEngine";
import { PHASE1, PHASE2, PROJECT, SEED_IDS, STACK, stackSettings, type StackSettings } from "./phases";
import type { Printer } from "./printer";
import {
  accessFingerprint,
  describeChanges,
  fetchQuickBIState,
  Names,
  renderView,
  viewOf,
  type QuickBIView,
} from "./quickbiView";
import { changingSteps, opSummary, renderCounts, renderSteps } from "./renderReport";
import type { PhaseResult } from "./result";

/** The changing steps of a report as `op urn` lines, for comparing a preview with the apply that follows it. */
export function plannedOps(report: RunReport): string[] {
  return changingSteps(report)
    .map((s) => `${s.op} ${s.urn}`)
    .sort();
}

/**
 * No step of the demo takes more than seconds; one that runs for minutes is stuck (a program whose Outputs wait on
 * each other never finishes), and a demo that hangs says nothing. The run fails with the step's name instead.
 */
export const STEP_DEADLINE_MS = 300_000;

export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export class StopDemo extends Error {
  constructor() {
    super("a step failed; the remaining steps were skipped");
  }
}

export class Walkthrough {
  readonly phases: PhaseResult[] = [];
  readonly failures: string[] = [];
  readonly names = new Names();
  private calls = 0;
  private writes = 0;
  private view!: QuickBIView;
  private baseline!: QuickBIView;
  private step = 0;
  private readonly total = 11;

  constructor(
    readonly p: Printer,
    readonly emu: RunningEmulator,
    readonly engine: DemoEngine,
    readonly program: ProgramFn,
    readonly stepDeadlineMs: number,
  ) {}

  /** Hook for the emulator's onCall: counts API calls (shown by the progress line and checked per phase). */
  readonly onCall = (r: { mutated: boolean }) => {
    this.calls++;
    if (r.mutated) this.writes++;
  };

  settings(phase: typeof PHASE1 | typeof PHASE2): StackSettings {
    return stackSettings(this.emu.url, phase);
  }

  async start(): Promise<void> {
    this.view = viewOf(await fetchQuickBIState(this.emu.url));
    this.baseline = this.view;
    this.names.remember(this.view);
  }

  heading(title: string): void {
    this.step++;
    this.p.line("");
    this.p.line(this.p.paint("bold", `━━ ${this.step}/${this.total}  ${title} ━━`));
  }

  check(phase: PhaseResult, name: string, ok: boolean, detail?: string): void {
    phase.checks.push({ name, ok, ...(detail ? { detail } : {}) });
    if (!ok) {
      this.failures.push(`${phase.title}: ${name}${detail ? ` (${detail})` : ""}`);
      this.p.line(`  ${this.p.paint("red", "✗ check failed:")} ${name}${detail ? ` — ${detail}` : ""}`);
    } else {
      this.p.line(`  ${this.p.paint("green", "✓")} ${this.p.paint("dim", name)}`);
    }
  }

  /** Reads Quick BI after a phase, prints what changed and the table. */
  showQuickBI(phase: PhaseResult, next: QuickBIView, table: boolean): void {
    this.names.remember(next);
    phase.quickbiChanges = describeChanges(this.view, next, this.names);
    this.view = next;
    if (phase.quickbiChanges.length === 0) {
      this.p.line(this.p.paint("dim", `  Quick BI: unchanged (${phase.calls} API calls, ${phase.writes} writes)`));
      return;
    }
    this.p.line(`  Quick BI changed (${phase.calls} API calls, ${phase.writes} writes):`);
    for (const c of phase.quickbiChanges) {
      const colour = c.startsWith("+") ? "green" : c.startsWith("-") ? "red" : "yellow";
      this.p.line(`    ${this.p.paint(colour, c)}`);
    }
    if (table) {
      this.p.line(this.p.paint("dim", "  Quick BI now (GET /__emulator/state):"));
      for (const l of renderView(this.view, this.baseline)) this.p.line(`    ${l}`);
    }
  }

  /** Runs one engine operation with a progress line, prints its steps, and records the phase. */
  async operate(
    title: string,
    operation: Operation,
    settings: StackSettings,
    detailsFor: Map<string, string> | (() => Promise<Map<string, string>>),
  ): Promise<PhaseResult> {
    this.heading(title);
    const calls0 = this.calls;
    const writes0 = this.writes;
    const run = {
      preview: () => this.engine.preview(settings),
      up: () => this.engine.up(settings),
      refresh: () => this.engine.refresh(settings),
      destroy: () => this.engine.destroy(settings),
    }[operation];
    const report = await this.p.progress(
      `pulumi ${operation}`,
      () => `${this.calls - calls0} Quick BI API calls`,
      () => withDeadline(run(), this.stepDeadlineMs, `pulumi ${operation}`),
    );
    const phase: PhaseResult = {
      title,
      operation,
      report,
      calls: this.calls - calls0,
      writes: this.writes - writes0,
      checks: [],
      quickbiChanges: [],
      accessReport: [],
    };
    this.phases.push(phase);
    // Read Quick BI first, so ids created by this step already have names in the details.
    const after = viewOf(await fetchQuickBIState(this.emu.url));
    this.names.remember(after);
    const details = typeof detailsFor === "function" ? await detailsFor() : detailsFor;
    renderSteps(this.p, report, details);
    renderCounts(this.p, report);
    const messages = report.logs.filter((l) => l.severity === "info" && l.message.trim() !== "");
    if (messages.length > 0) {
      this.p.line(
        `  Access report (logged by the provider${operation === "preview" ? ", before anything changes" : ""}):`,
      );
      for (const l of messages) for (const m of l.message.split("\n")) this.p.line(`    ${this.paintChange(m)}`);
    }
    try {
      phase.accessReport = collectAccessReport(report.logs);
    } catch (e) {
      this.check(phase, "the provider's access report is readable", false, e instanceof Error ? e.message : String(e));
    }
    for (const w of report.warnings) this.p.line(`  ${this.p.paint("yellow", "warning:")} ${w}`);
    for (const e of report.errors) this.p.line(`  ${this.p.paint("red", "error:")} ${e}`);
    this.check(phase, `${operation} succeeded`, report.ok, report.errors.join("; ") || undefined);
    if (operation === "preview" || operation === "refresh") {
      this.check(phase, `${operation} changed nothing in Quick BI`, phase.writes === 0, `${phase.writes} writes`);
    }
    this.showQuickBI(phase, after, operation === "up" || operation === "destroy");
    return phase;
  }

  private paintChange(line: string): string {
    const t = line.trimStart();
    return t.startsWith("+ ")
      ? this.p.paint("green", line)
      : t.startsWith("- ")
        ? this.p.paint("red", line)
        : t.startsWith("~ ")
          ? this.p.paint("yellow", line)
          : line;
  }

  /** Per-resource details for the steps of the coming preview/up: what changes, or what gets created. */
  async details(settings: StackSettings): Promise<Map<string, string>> {
    const prior = await this.engine.priorResources();
    const declared = await declaredInputs(this.program, settings, PROJECT, STACK, prior);
    const out = new Map<string, string>();
    for (const [urn, now] of declared) {
      const old = prior.get(urn);
      let text = describeInputs(now, this.names);
      if (old) {
        const changes = describeInputChanges(old.inputs, now, old.secretInputs, this.names);
        text = (changes.length > 0 ? changes : describeDrift(old.outputs, now, this.names)).join("; ");
      }
      if (text) out.set(urn, text);
    }
    return out;
  }

  /** After an up: the same details with the values that were unknown in the preview (new users' ids) filled in. */
  static appliedDetails(
    before: Map<string, PriorResource>,
    after: Map<string, PriorResource>,
    planned: Map<string, string>,
    names: Names,
  ): Map<string, string> {
    const out = new Map(planned);
    for (const [urn, now] of after) {
      const old = before.get(urn);
      const declared = { inputs: now.inputs, secretInputs: now.secretInputs };
      if (!old) out.set(urn, describeInputs(declared, names));
      else if (old.id !== now.id || JSON.stringify(old.inputs) !== JSON.stringify(now.inputs)) {
        const changes = describeInputChanges(old.inputs, declared, old.secretInputs, names);
        if (changes.length > 0) out.set(urn, changes.join("; "));
      }
    }
    return out;
  }

  /** After a refresh: which outputs moved, per resource, by comparing the state before and after. */
  static refreshDetails(
    before: Map<string, PriorResource>,
    after: Map<string, PriorResource>,
    names: Names,
  ): Map<string, string> {
    const out = new Map<string, string>();
    for (const [urn, old] of before) {
      const now = after.get(urn);
      if (!now) {
        out.set(urn, "deleted outside Pulumi; dropped from state");
        continue;
      }
      const text = describeInputChanges(
        old.outputs,
        { inputs: now.outputs, secretInputs: now.secretOutputs },
        old.secretOutputs,
        names,
      ).join("; ");
      if (text) out.set(urn, text);
    }
    return out;
  }

  /** Preview then up with the same config; the up must do what the preview said. */
  async previewAndUp(
    previewTitle: string,
    upTitle: string,
    settings: StackSettings,
    opts: { prComment?: boolean } = {},
  ): Promise<{ preview: PhaseResult; up: PhaseResult; details: Map<string, string> }> {
    // The details run the program too: a program that never finishes must hit the deadline here as well.
    const details = await withDeadline(
      this.details(settings),
      this.stepDeadlineMs,
      "reading the program's declared inputs",
    );
    const preview = await this.operate(previewTitle, "preview", settings, details);
    if (!preview.report?.ok) throw new StopDemo();
    if (opts.prComment && preview.accessReport.length > 0) {
      this.p.line(
        this.p.paint(
          "dim",
          "  The access report as a CI job would post it on the pull request (collectAccessReport + formatAccessReportMarkdown):",
        ),
      );
      for (const l of formatAccessReportMarkdown(preview.accessReport).split("\n")) this.p.line(`    ${l}`);
    }
    const before = await this.engine.priorResources();
    const up = await this.operate(upTitle, "up", settings, async () =>
      Walkthrough.appliedDetails(before, await this.engine.priorResources(), details, this.names),
    );
    if (!up.report?.ok) throw new StopDemo();
    const planned = plannedOps(preview.report);
    const done = plannedOps(up.report);
    const missing = planned.filter((x) => !done.includes(x));
    const extra = done.filter((x) => !planned.includes(x));
    this.check(
      up,
      `the up did exactly what the preview showed (${opSummary(up.report)})`,
      missing.length === 0 && extra.length === 0,
      [...missing.map((m) => `previewed but not done: ${m}`), ...extra.map((m) => `done but not previewed: ${m}`)].join(
        "; ",
      ) || undefined,
    );
    return { preview, up, details };
  }

  async noChanges(title: string, settings: StackSettings): Promise<void> {
    const phase = await this.operate(title, "preview", settings, new Map());
    if (!phase.report?.ok) throw new StopDemo();
    this.check(
      phase,
      "the second preview shows no changes",
      changingSteps(phase.report).length === 0,
      opSummary(phase.report),
    );
  }

  /** What a colleague does in the console, as real signed API calls with the same access key. */
  async outOfBand(settings: StackSettings, userIds: Record<string, string>): Promise<PhaseResult> {
    this.heading("out-of-band: a colleague edits access in the Quick BI console");
    const calls0 = this.calls;
    const writes0 = this.writes;
    const client = await createClient({ get: (k: string) => settings.values[k] }, {});
    const phase: PhaseResult = {
      title: "out-of-band edits",
      operation: "out-of-band",
      calls: 0,
      writes: 0,
      checks: [],
      quickbiChanges: [],
      accessReport: [],
    };
    this.phases.push(phase);
    const seq = this.emu.calls().at(-1)?.seq ?? 0;
    await updateWorkspaceUserRole(client, {
      workspaceId: SEED_IDS.sales,
      userId: userIds.nora,
      roleId: WORKSPACE_ROLES.analyst,
    });
    await deleteUserFromWorkspace(client, { workspaceId: SEED_IDS.finance, userId: userIds.lena });
    for (const c of this.emu.calls({ sinceSeq: seq }).filter((r) => r.mutated)) {
      this.p.line(
        `  ${c.action} ${Object.entries(c.params)
          .map(([k, v]) => `${k}=${this.names.of(v)}`)
          .join(" ")}  → ${c.code} (RequestId ${c.requestId})`,
      );
    }
    phase.calls = this.calls - calls0;
    phase.writes = this.writes - writes0;
    this.check(phase, "both edits were accepted by Quick BI", phase.writes === 2, `${phase.writes} writes`);
    this.showQuickBI(phase, viewOf(await fetchQuickBIState(this.emu.url)), false);
    return phase;
  }

  async run(): Promise<void> {
    const v1 = this.settings(PHASE1);
    const v2 = this.settings(PHASE2);

    const { up: up1 } = await this.previewAndUp(
      "preview: a new stack (3 users, 2 teams, 1 grant, 1 group, 1 secret admin)",
      "up",
      v1,
    );
    await this.noChanges("preview again: nothing to do", v1);

    const { preview: preview2, details: details2 } = await this.previewAndUp(
      "preview the pull request: sales analysts → viewer, Omar leaves, Lena's admin grant moves to Finance, Priya joins Business",
      "up",
      v2,
      { prComment: true },
    );
    const c = preview2.report?.counts;
    this.check(
      preview2,
      "the preview shows + create, ~ update, +- replace and - delete",
      !!c && c.create > 0 && c.update > 0 && c.replace > 0 && c.delete > 0,
      preview2.report ? opSummary(preview2.report) : undefined,
    );
    const roleLine = [...details2.values()].find((d) => d.includes("role: analyst→viewer"));
    this.check(preview2, "the role change reads analyst→viewer", roleLine !== undefined);

    await this.noChanges("preview again: nothing to do", v2);

    const ids = (up1.report?.outputs.userIds ?? {}) as Record<string, string>;
    await this.outOfBand(v2, ids);

    const before = await this.engine.priorResources();
    // What drifted is known only once the refresh has written the state: details are computed after it.
    const refresh = await this.operate("refresh: Pulumi reads Quick BI back", "refresh", v2, async () =>
      Walkthrough.refreshDetails(before, await this.engine.priorResources(), this.names),
    );
    const rc = refresh.report?.counts;
    this.check(
      refresh,
      "the refresh reports the drift (a changed and a deleted membership)",
      !!rc && rc["refresh-changed"] > 0 && rc["refresh-deleted"] > 0,
      refresh.report ? opSummary(refresh.report) : undefined,
    );

    await this.previewAndUp("preview: the program puts the drifted access back", "up", v2);

    const destroy = await this.operate("destroy", "destroy", v2, new Map());
    const left = await this.engine.priorResources();
    this.check(destroy, "the stack's state holds no resources", left.size === 0, `${left.size} left`);
    const same = JSON.stringify(accessFingerprint(this.view)) === JSON.stringify(accessFingerprint(this.baseline));
    this.check(destroy, "Quick BI is back to how the demo found it", same);
  }
}

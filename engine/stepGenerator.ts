// Planning, the engine's step generator (pkg/resource/deploy/step_generator.go): for one registration at a time,
// in the order they arrive, call Check (and Diff, unless diffs run on the workers) inline and decide the chain of
// steps. Everything a provider sees here happens one resource after another.
import { isDeepStrictEqual } from "node:util";
import { DependencyGraph } from "./dependencyGraph";
import type { OpenedEntry, Run } from "./run";
import type { DiffResult } from "./rpc";
import type { Step } from "./stepExecutor";
import { createReplacementStep, createStep, deleteReplacedStep, sameStep, updateStep, type Pending } from "./steps";
import type { ResourceState } from "./state";
import { UNKNOWN, type PropertyMap } from "./wire";
import type { Registration } from "./registration";

/** Check failures, worded like the CLI's "<type> resource '<name>': property <p> ... has a problem: <reason>". */
export class CheckFailedError extends Error {
  override readonly name = "CheckFailedError";
  constructor(
    readonly reg: { type: string; name: string },
    readonly failures: { property: string; reason: string }[],
  ) {
    super(
      failures
        .map((f) =>
          f.property
            ? `${reg.type} resource '${reg.name}': property ${f.property} has a problem: ${f.reason}`
            : `${reg.type} resource '${reg.name}' has a problem: ${f.reason}`,
        )
        .join("; "),
    );
  }
}

/** A plan is a chain, or (PULUMI_PARALLEL_DIFF) a diff to run on a worker and what to plan once it is back. */
export type Plan = { chain: Step[] } | { diff: () => Promise<DiffResult>; next: (diff: DiffResult) => Promise<Step[]> };

/** `ignoreChanges` paths ("a", "a.b"): the new inputs take the old values there (processIgnoreChanges). */
export function ignoreChanges(inputs: PropertyMap, oldInputs: PropertyMap, paths: readonly string[]): PropertyMap {
  const out = structuredClone(inputs);
  for (const p of paths) {
    const keys = p.split(".");
    let from: unknown = oldInputs;
    let to: unknown = out;
    for (const k of keys.slice(0, -1)) {
      from = from !== null && typeof from === "object" ? (from as Record<string, unknown>)[k] : undefined;
      to = to !== null && typeof to === "object" ? (to as Record<string, unknown>)[k] : undefined;
    }
    // A path whose container is missing on either side cannot be reset (the engine says so and goes on).
    if (from === null || typeof from !== "object" || to === null || typeof to !== "object") continue;
    const last = keys[keys.length - 1];
    if (last in (from as object))
      (to as Record<string, unknown>)[last] = structuredClone((from as Record<string, unknown>)[last]);
    else delete (to as Record<string, unknown>)[last];
  }
  return out;
}

export class StepGenerator {
  /** URNs registered in this run (a delete-before-replace never cascades to them). */
  private readonly operatedOn = new Set<string>();
  /** URNs deleted earlier in this run by a delete-before-replace cascade: their registration recreates them. */
  private readonly deleted = new Map<string, string[]>();
  /** The state as it was when the run began: the dependency graph a cascade follows. */
  private readonly graph: DependencyGraph;

  constructor(
    private readonly run: Run,
    private readonly parallelDiff: boolean,
  ) {
    this.graph = new DependencyGraph([...run.state.resources]);
  }

  async plan(p: Pending): Promise<Plan> {
    const { reg } = p;
    this.operatedOn.add(reg.urn);
    const old = this.run.live(reg.urn);
    const recreating = this.deleted.get(reg.urn);
    if (!old || recreating) {
      const checked = await this.check(reg, {}, reg.inputs);
      if (!old) return { chain: [createStep(this.run, p, checked)] };
      this.deleted.delete(reg.urn);
      const detail = `delete-before-replace; replaces ${recreating!.join(", ")}`;
      return { chain: [createReplacementStep(this.run, p, old, checked, { deleteFirst: true, detail })] };
    }
    const prior = this.run.open(old);
    const news = ignoreChanges(reg.inputs, prior.inputs, reg.options.ignoreChanges);
    const checked = await this.check(reg, prior.inputs, news);
    const diff = () => this.run.host.diff(reg.urn, old.id, prior.outputs, checked, prior.inputs);
    const next = (d: DiffResult) => this.fromDiff(p, old, prior, checked, d);
    if (this.parallelDiff) return { diff, next };
    return { chain: await next(await diff()) };
  }

  private async check(reg: Registration, olds: PropertyMap, news: PropertyMap): Promise<PropertyMap> {
    const res = await this.run.host.check(reg.urn, olds, news);
    if (res.failures.length > 0) throw new CheckFailedError(reg, res.failures);
    return res.inputs;
  }

  /** continueStepsFromDiff: update, replace or same. */
  private async fromDiff(
    p: Pending,
    old: ResourceState,
    prior: OpenedEntry,
    checked: PropertyMap,
    raw: DiffResult,
  ): Promise<Step[]> {
    const { reg } = p;
    const diff = this.settle(raw, reg, old, prior, checked);
    if (diff.changes !== "DIFF_SOME" && !old.pendingReplacement) {
      // A partially created resource is always updated, so that the provider can finish it.
      if (old.initErrors && old.initErrors.length > 0) return [updateStep(this.run, p, old, prior, checked)];
      return [sameStep(this.run, p, old, prior, checked)];
    }
    if (diff.replaces.length === 0 && !old.pendingReplacement) return [updateStep(this.run, p, old, prior, checked)];

    const dbr = reg.options.deleteBeforeReplace ?? diff.deleteBeforeReplace;
    const detail = `${dbr ? "delete-before-replace" : "create-before-delete"}; replaces ${diff.replaces.join(", ")}`;
    if (reg.options.protect && old.protect) {
      const message = `unable to replace resource "${reg.urn}" as it is currently marked for protection`;
      // A preview goes on, so that the whole plan is shown; an update stops before anything is created.
      if (!this.run.dryRun) throw new Error(message);
      this.run.errors.push(`${reg.urn}: ${message}`);
    }
    // The replacement starts from scratch: Check again, without old inputs, so defaults are computed anew.
    const fresh = await this.check(reg, {}, reg.inputs);
    if (!dbr) {
      return [
        createReplacementStep(this.run, p, old.pendingReplacement ? undefined : old, fresh, {
          deleteFirst: !!old.pendingReplacement,
          detail,
        }),
      ];
    }
    const who = { urn: reg.urn, type: reg.type, name: reg.name };
    const chain: Step[] = [];
    // Resources that would be replaced because this one is go first, dependents before what they depend on.
    const dependents =
      this.run.dryRun && !this.graph.resources.includes(old) ? [] : await this.dependentReplacements(old);
    for (const d of [...dependents].reverse()) {
      if (d.res.pendingReplacement || this.deleted.has(d.res.urn)) continue;
      if (d.res.protect)
        throw new Error(
          `unable to replace resource "${d.res.urn}" as part of replacing "${reg.urn}" as it is currently marked for protection`,
        );
      chain.push(deleteReplacedStep(this.run, d.res, who));
      this.deleted.set(d.res.urn, d.keys);
    }
    if (!old.pendingReplacement) chain.push(deleteReplacedStep(this.run, old, who));
    chain.push(createReplacementStep(this.run, p, old, fresh, { deleteFirst: true, detail }));
    return chain;
  }

  /**
   * The provider's answer as the engine reads it: DIFF_UNKNOWN compares the inputs itself (ignoreChanges applied),
   * and replaceOnChanges turns changed keys (known only then: the dynamic host reports none) into replacements.
   */
  private settle(
    diff: DiffResult,
    reg: Registration,
    old: ResourceState,
    prior: OpenedEntry,
    checked: PropertyMap,
  ): DiffResult {
    let { changes } = diff;
    const replaces = [...diff.replaces];
    if (changes === "DIFF_UNKNOWN") {
      const news = ignoreChanges(checked, prior.inputs, reg.options.ignoreChanges);
      const changed = Object.keys({ ...prior.inputs, ...news }).filter(
        (k) => !isDeepStrictEqual(prior.inputs[k], news[k]),
      );
      changes = changed.length > 0 ? "DIFF_SOME" : "DIFF_NONE";
      for (const k of changed) if (reg.options.replaceOnChanges.some((r) => r === "*" || r === k)) replaces.push(k);
    }
    if (old.initErrors?.length && reg.options.replaceOnChanges.some((r) => r === "*" || r === "__initErrors")) {
      replaces.push("__initErrors");
      changes = "DIFF_SOME";
    }
    return { ...diff, changes, replaces: [...new Set(replaces)] };
  }

  /**
   * calculateDependentReplacements: the resources that depend on `root` through an input (in the state as it was)
   * and that their provider's Diff, given that input as unknown, would replace. Not those registered already.
   */
  private async dependentReplacements(root: ResourceState): Promise<{ res: ResourceState; keys: string[] }[]> {
    const out: { res: ResourceState; keys: string[] }[] = [];
    const replaceSet = new Set([root.urn]);
    for (const d of this.graph.dependingOn(root, this.operatedOn)) {
      const keys = await this.wouldReplace(d, replaceSet);
      if (keys) {
        out.push({ res: d, keys });
        replaceSet.add(d.urn);
      }
    }
    return out;
  }

  private async wouldReplace(d: ResourceState, replaceSet: ReadonlySet<string>): Promise<string[] | undefined> {
    if (!d.custom) return undefined;
    if (d.deletedWith && replaceSet.has(d.deletedWith)) return [];
    const prior = this.run.open(d);
    const news: PropertyMap = {};
    let touched = false;
    for (const [k, v] of Object.entries(prior.inputs)) {
      const hit = (d.propertyDependencies?.[k] ?? []).some((u) => replaceSet.has(u));
      touched ||= hit;
      news[k] = hit ? UNKNOWN : v;
    }
    if (!touched) return undefined;
    const diff = await this.run.host.diff(d.urn, d.id, prior.outputs, news, prior.inputs);
    return diff.replaces.length > 0 ? diff.replaces : undefined;
  }
}

/**
 * The one skeleton of the four membership resources (WorkspaceMembership, GroupMembership, WorkspaceMembers,
 * GroupMembers). Each resource describes itself as a `MembershipKind` — its schemas, its replace rules, what an
 * operation would change (`plan*`, pure) and how to apply it (`apply`, `read`, `remove`) — and this file turns that
 * into Pulumi's check/diff/create/read/update/delete, with the parts every kind shares in one place:
 * - the ownership claims (ownership.ts) in check, and the delete that leaves alone what another resource owns;
 * - the access report (report/): planned in check (new resources) and diff (existing ones), from memory, because the
 *   engine calls check and diff one resource at a time; the apply reports again only when it did something else;
 * - the outcome rule: everything applied → outputs; nothing applied → a plain error (nothing recorded); some applied
 *   → PartialApplyError, which records what was applied.
 */
import type { z } from "zod";
import { listed } from "../api/bounded";
import { hiddenValue, SECRET_USERS_KEY, URN_KEY, urnOf as hiddenUrnOf } from "../contract/hiddenInputs";
import type { AccessReporter } from "../report/emit";
import type { NameDirectory } from "../report/names";
import type { AccessChange, AccessReportEntry, KeptMember, MembershipType } from "../report/schema";
import type { Services } from "../service";
import { failures, type MemberFailure, type Outcomes } from "../service/outcome";
import { checkFields, type CheckFailure, type FieldCheck } from "./checkFields";
import { ADOPT_REQUIRED, AdoptRequiredError, MembershipWriteError, PartialApplyError } from "./errors";
import { checkResult, parseOrThrow, readResult, type Handler } from "./handler";
import type { CreateJournal } from "./journal";
import type { ClaimMode, Ownership, TargetKind } from "./ownership";

/** What an operation does to access, for the report. `changes` undefined: not known before the apply. */
export interface AccessPlan {
  readonly operation: AccessReportEntry["operation"];
  /** The workspace or group id; undefined while unknown. */
  readonly target: string | undefined;
  readonly changes?: readonly AccessChange[];
  readonly kept?: readonly KeptMember[];
}

/** What an apply left in Quick BI: the outputs to record and every write's per-user outcome. */
export interface Converged {
  readonly outs: Record<string, unknown>;
  readonly outcomes: readonly Outcomes[];
  /** What the apply changed, when it can differ from the plan the preview showed (authoritative resources). */
  readonly plan?: AccessPlan;
}

/** What the handlers share, created once per host process by the runtime. */
export interface MembershipContext {
  readonly services: () => Services;
  readonly reporter: () => AccessReporter;
  readonly names: NameDirectory;
  readonly ownership: Ownership;
  /** Creates an earlier, interrupted run of a resource may have made (journal.ts). */
  readonly journal: CreateJournal;
  /** `quickbi:callerUserId`: the provider's own Quick BI identity, which the authoritative guards keep. */
  readonly callerUserId: () => string | undefined;
}

/** Per call: which resource, and the users another live resource of the stack owns on the same target. */
export interface ApplyContext extends MembershipContext {
  readonly urn: string | undefined;
  /** For each of `users` that another resource owns on `target`: that resource's URN. */
  ownedElsewhere(target: string, users: readonly string[]): Map<string, string>;
}

export interface MembershipKind<S extends z.ZodRawShape, State> {
  readonly type: MembershipType;
  readonly mode: ClaimMode;
  readonly target: TargetKind;
  readonly targetKey: "workspaceId" | "userGroupId";
  readonly shape: S;
  readonly inputs: z.ZodType<z.output<z.ZodObject<S>>, z.ZodTypeDef, unknown>;
  readonly state: z.ZodType<State, z.ZodTypeDef, unknown>;

  /**
   * The state exactly as this provider writes it in its common form (a one-user membership), told from the raw bag
   * without parsing; undefined means "parse it". A refresh reads and diffs every resource of a stack.
   */
  stateAtAGlance?(old: Readonly<Record<string, unknown>>): State | undefined;
  /**
   * The engine diffs every resource of a stack on each `up` and after each refresh read, and nearly all are unchanged.
   * True only where the full diff would find no change too, from the raw property bags alone (no parsing); false means
   * "look properly".
   */
  unchangedAtAGlance?(old: Readonly<Record<string, unknown>>, news: Readonly<Record<string, unknown>>): boolean;
  /** Rules across fields, visible in the inputs alone. */
  crossChecks(fc: FieldCheck<S>): CheckFailure[];
  /**
   * Rules that need Quick BI, each read at most once per host process (a custom role id's existence; the guards of a
   * new authoritative resource, which also plan its report). Most resources need none.
   */
  checkWithReads?(
    fc: FieldCheck<S>,
    isNew: boolean,
    ctx: MembershipContext,
  ): Promise<{ failures: CheckFailure[]; plan?: AccessPlan }>;
  /** The users the resource grants (additive), for the ownership claims; known ones only. */
  claimedUsers(fc: FieldCheck<S>): string[];
  id(want: z.output<z.ZodObject<S>>): string;
  container(state: State): string;
  replaces(state: State, fc: FieldCheck<S>): string[];
  changed(state: State, fc: FieldCheck<S>): boolean;
  planCreate(fc: FieldCheck<S>, ctx: MembershipContext): AccessPlan;
  /** From state to the program: one plan, or two for a replace (leave the old target, join the new one). */
  planChange(state: State, fc: FieldCheck<S>, replacing: boolean, ctx: MembershipContext): AccessPlan[];

  apply(id: string, want: z.output<z.ZodObject<S>>, state: State | undefined, ctx: ApplyContext): Promise<Converged>;
  /** Observed state, and the inputs to record when Quick BI differs from state; `undefined` when gone. */
  read(
    id: string,
    state: Partial<State>,
    ctx: ApplyContext,
  ): Promise<{ outs: Record<string, unknown>; inputs?: Record<string, unknown> } | undefined>;
  remove(
    id: string,
    state: Partial<State>,
    ctx: ApplyContext,
  ): Promise<{ outcomes: Outcomes; plan: AccessPlan } | undefined>;
  /** Partial state from the ID alone (a resource whose outputs were lost). */
  fromId(id: string): Partial<State>;
}

function bag(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v === null || typeof v !== "object") return out;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== null) out[k] = x;
  return out;
}

const NOTHING: Readonly<Record<string, unknown>> = Object.freeze({});

/** A property bag as handed over, without copying it (`bag` drops nulls into a copy). */
function record(v: unknown): Readonly<Record<string, unknown>> {
  return v !== null && typeof v === "object" ? (v as Record<string, unknown>) : NOTHING;
}

/** The hidden URN when it is an engine URN: ownership claims and report names are keyed by nothing else. */
function urnOf(props: unknown): string | undefined {
  const urn = hiddenUrnOf(props);
  return urn?.startsWith("urn:pulumi:") === true ? urn : undefined;
}

/** The resource's name in the program: its URN's last segment. */
function nameOf(urn: string | undefined): string | undefined {
  return urn === undefined ? undefined : urn.slice(urn.lastIndexOf("::") + 2);
}

export function membershipHandler<S extends z.ZodRawShape, State>(
  kind: MembershipKind<S, State>,
  ctx: MembershipContext,
): Handler {
  const resourceLabel = (id: string): string => `${kind.type} ${id}`;
  /** The last entry reported per resource in this process, so an apply that did what was shown stays quiet. */
  const shown = new Map<string, string>();

  function parseState(props: unknown): State | undefined {
    const quick = kind.stateAtAGlance?.(record(props));
    if (quick !== undefined) return quick;
    const r = kind.state.safeParse(bag(props));
    return r.success ? r.data : undefined;
  }

  function partialState(id: string, props: unknown): Partial<State> {
    const full = parseState(props);
    if (full !== undefined) return full;
    return { ...kind.fromId(id), ...(bag(props) as Partial<State>) };
  }

  /** `ifChanged`: only when it differs from what this resource last reported (an apply confirming its preview). */
  function report(plan: AccessPlan, urn: string | undefined, id: string | undefined, ifChanged = false): void {
    const entry = {
      resource: urn ?? `${kind.type} ${id ?? `(new) on ${plan.target ?? "(unknown)"}`}`,
      type: kind.type,
      ...(nameOf(urn) !== undefined ? { name: nameOf(urn) } : {}),
      operation: plan.operation,
      [kind.targetKey]: plan.target ?? "(unknown)",
      changes: plan.changes ? [...plan.changes] : [],
      ...(plan.changes === undefined ? { unknown: true } : {}),
      ...(plan.kept && plan.kept.length > 0 ? { kept: [...plan.kept] } : {}),
    } as AccessReportEntry;
    const key = `${urn ?? id}\u0000${plan.operation}\u0000${plan.target}`;
    const text = JSON.stringify(entry);
    if (ifChanged && shown.get(key) === text) return;
    shown.set(key, text);
    try {
      ctx.reporter().report(entry, urn);
    } catch {
      // Informational only: a report that cannot be produced never fails a deployment.
    }
  }

  function applyContext(urn: string | undefined): ApplyContext {
    return {
      ...ctx,
      urn,
      ownedElsewhere: (target, users) => ctx.ownership.membershipOwners(urn, { kind: kind.target, id: target }, users),
    };
  }

  /** The outcome rule shared by create and update. */
  function finish(
    id: string,
    r: Converged,
    verb: string,
    inputs: unknown,
    urn: string | undefined,
  ): Record<string, unknown> {
    if (r.plan !== undefined) report(r.plan, urn, id, true);
    const outs = withHidden(r.outs, urn);
    const failed: MemberFailure[] = r.outcomes.flatMap((o) => failures(o));
    if (failed.length === 0) return outs;
    const appliedCount = r.outcomes.reduce((n, o) => n + [...o.values()].filter((x) => x.ok).length, 0);
    if (appliedCount === 0) {
      // Nothing changed in Quick BI: a plain error, so no resource is recorded and the next up starts afresh.
      if (failed.every((f) => f.code === ADOPT_REQUIRED)) {
        throw new AdoptRequiredError(
          resourceLabel(id),
          failed.map((f) => f.message.replace(/; to manage it here, set `adopt: true`$/, "")),
        );
      }
      throw new MembershipWriteError(resourceLabel(id), verb, failed);
    }
    throw new PartialApplyError(
      id,
      outs,
      failed,
      `${resourceLabel(id)}: ${failed.length} user change(s) failed (${listed(failed.map((f) => f.userId))})`,
      inputs,
    );
  }

  return {
    async check(olds, news) {
      const fc = checkFields(kind.shape, news);
      const result = checkResult(kind.shape, news, (f) => kind.crossChecks(f), fc);
      if ((result.failures ?? []).length > 0) return result;
      const urn = urnOf(news);
      const target = fc.values[kind.targetKey as keyof typeof fc.values] as string | undefined;
      if (target !== undefined) {
        const conflicts = ctx.ownership.claimTarget(
          urn,
          kind.mode,
          { kind: kind.target, id: target },
          kind.claimedUsers(fc),
          kind.targetKey,
        );
        if (conflicts.length > 0) return { ...result, failures: conflicts };
      }
      const isNew = Object.keys(bag(olds)).length === 0;
      let plan: AccessPlan | undefined;
      if (kind.checkWithReads !== undefined) {
        const r = await kind.checkWithReads(fc, isNew, ctx);
        if (r.failures.length > 0) return { ...result, failures: r.failures };
        plan = r.plan;
      }
      // A new resource gets no diff: its preview report comes from here.
      if (isNew) report(plan ?? kind.planCreate(fc, ctx), urn, undefined);
      return result;
    },

    async diff(id, olds, news) {
      ctx.journal.known(urnOf(news));
      rememberSecretUsers(olds);
      if (kind.unchangedAtAGlance?.(record(olds), record(news)) === true) return { changes: false };
      const old = parseState(olds);
      // State we cannot read: let update converge it rather than guess at a replace.
      if (old === undefined) return { changes: true };
      const fc = checkFields(kind.shape, news);
      const replaces = kind.replaces(old, fc);
      const replacing = replaces.length > 0;
      if (!replacing && !kind.changed(old, fc)) return { changes: false };
      for (const plan of kind.planChange(old, fc, replacing, ctx)) report(plan, urnOf(news), id);
      if (replacing) ctx.ownership.replacing(urnOf(news));
      return replacing ? { changes: true, replaces, deleteBeforeReplace: true } : { changes: true };
    },

    async create(inputs) {
      const want = parseOrThrow(kind.type, "inputs", kind.inputs, inputs);
      const id = kind.id(want);
      const urn = urnOf(inputs);
      const target = String((want as Record<string, unknown>)[kind.targetKey]);
      return {
        id,
        outs: finish(
          id,
          await kind.apply(id, want, undefined, applyContext(urn)),
          `add to ${kind.target} ${target}`,
          inputs,
          urn,
        ),
      };
    },

    async read(id, props) {
      const urn = urnOf(props);
      ctx.journal.known(urn);
      rememberSecretUsers(props);
      const r = await kind.read(id, partialState(id, props), applyContext(urn));
      if (r === undefined) return {};
      const outs = withHidden(r.outs, urn);
      return r.inputs === undefined ? { id, props: outs } : readResult(id, props, outs, () => r.inputs!);
    },

    async update(id, olds, news) {
      const want = parseOrThrow(kind.type, "inputs", kind.inputs, news);
      const urn = urnOf(news);
      ctx.journal.known(urn);
      return { outs: finish(id, await kind.apply(id, want, parseState(olds), applyContext(urn)), "update", news, urn) };
    },

    async delete(id, props) {
      const urn = urnOf(props);
      ctx.journal.known(urn);
      rememberSecretUsers(props);
      const r = await kind.remove(id, partialState(id, props), applyContext(urn));
      ctx.ownership.deleted(urn);
      if (r === undefined) return;
      report(r.plan, urn, id);
      const failed = failures(r.outcomes);
      if (failed.length > 0)
        throw new MembershipWriteError(resourceLabel(id), `remove from ${kind.target} ${r.plan.target ?? ""}`, failed);
    },
  };

  /** Users this membership's state says have a secret nickname: never named, whatever else the host has learnt. */
  function rememberSecretUsers(props: unknown): void {
    const v = hiddenValue(props, SECRET_USERS_KEY);
    if (Array.isArray(v)) for (const u of v) if (typeof u === "string") ctx.names.markSecret(u);
  }

  /**
   * Outputs keep what only this host knows and a later delete needs (delete sees outputs only): the URN (to name the
   * resource and tell its own claims), and which of its users have secret nicknames.
   */
  function withHidden(outs: Record<string, unknown>, urn: string | undefined): Record<string, unknown> {
    const users = Array.isArray(outs.userIds)
      ? (outs.userIds as string[])
      : Object.keys((outs.members as Record<string, unknown> | undefined) ?? {});
    const secret = ctx.names.secretAmong(users);
    return {
      ...outs,
      ...(urn !== undefined ? { [URN_KEY]: urn } : {}),
      ...(secret.length > 0 ? { [SECRET_USERS_KEY]: secret } : {}),
    };
  }
}

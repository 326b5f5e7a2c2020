/**
 * WorkspaceMembers: the EXACT member → role map of one workspace. Whoever Quick BI lists and the program does not is
 * removed on the next update (after a refresh shows them as drift, or whenever the resource updates), except the
 * workspace owner and the provider's own identity, which the guards keep (see guards.ts). The resource ID is the
 * workspace id: one authoritative resource per workspace, and it must not be mixed with WorkspaceMembership on the same
 * workspace (ownership.ts refuses that within a stack).
 *
 * Its preview compares the program with state (what the last up or refresh saw), like every diff; only a NEW resource
 * reads the workspace's roster in check, once, because nothing else can say whom it would remove or whether the
 * guards allow it. The apply always reads the roster again and reports what it really changed.
 */
import { z } from "zod";
import { isPresetWorkspaceRoleId, workspaceRoleFromId } from "../api/roles";
import { roleLabel, workspaceChanges } from "../report/changes";
import type { Outcomes } from "../service";
import { AccessGuardError, planWorkspace, protectedUsers, type WorkspacePlan } from "./guards";
import { GoneError } from "./errors";
import { idField, userIdField } from "./fields";
import { compact } from "./handler";
import {
  membershipHandler,
  type AccessPlan,
  type ApplyContext,
  type MembershipContext,
  type MembershipKind,
} from "./membership";
import type { Handler } from "./handler";
import { workspaceRoleField, workspaceRoleId } from "./membershipSchema";

const memberKey = userIdField("a Quick BI user id (getUser(...).userId or QuickBIUser.userId) as the key");

/** userId → role. Keys are checked like every user id; an empty map means "nobody but the guarded members". */
export const membersField = z
  .record(workspaceRoleField, { invalid_type_error: "must be an object mapping Quick BI user ids to roles" })
  .superRefine((m, ctx) => {
    for (const k of Object.keys(m)) {
      const r = memberKey.safeParse(k);
      if (!r.success || r.data !== k) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [k],
          message: `is not a valid user id key: ${r.success ? "remove the surrounding spaces" : r.error.issues[0]?.message}`,
        });
      }
    }
  });

export const workspaceMembersShape = {
  workspaceId: idField("the workspace id (getWorkspace(...).workspaceId)"),
  members: membersField,
};
export const WorkspaceMembersInputsSchema = z.object(workspaceMembersShape);
type Shape = typeof workspaceMembersShape;

const roleOut = z.union([z.string(), z.number()]);
export const WorkspaceMembersOutputsSchema = z.object({
  workspaceId: z.string(),
  /** Everyone the resource manages, with the role Quick BI holds (after a refresh: including out-of-band members). */
  members: z.record(roleOut),
  ownerUserId: z.string().nullish(),
  /** Guarded members the program does not list, kept at their role. */
  protectedMembers: z.record(roleOut).nullish(),
});
export type WorkspaceMembersOutputs = z.infer<typeof WorkspaceMembersOutputsSchema>;

function ids(members: Readonly<Record<string, string | number>>): Map<string, number> {
  return new Map(
    Object.entries(members).map(([u, r]) => [
      u,
      typeof r === "number" ? r : workspaceRoleId(workspaceRoleField.parse(r)),
    ]),
  );
}

function sameRoles(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function named(m: ReadonlyMap<string, number>): Record<string, string | number> {
  return Object.fromEntries([...m].map(([u, r]) => [u, workspaceRoleFromId(r)]));
}

function accessPlan(
  operation: AccessPlan["operation"],
  workspaceId: string | undefined,
  p: WorkspacePlan | undefined,
): AccessPlan {
  if (p === undefined) return { operation, target: workspaceId };
  return {
    operation,
    target: workspaceId,
    changes: workspaceChanges(p.before, p.after),
    kept: p.kept.map((k) => ({ userId: k.userId, role: roleLabel(k.roleId), reason: k.reason })),
  };
}

/** Every member and the role it holds, with the owner; `undefined` when the workspace does not exist. */
async function observe(
  ctx: MembershipContext,
  workspaceId: string,
  declared: ReadonlyMap<string, number>,
): Promise<{ roles: Map<string, number>; ownerUserId?: string } | undefined> {
  const svc = ctx.services();
  const roster = await svc.directory.workspaceMembers(workspaceId);
  if (roster === undefined) return undefined;
  ctx.names.remember([...roster.values()].map((m) => [m.userId, m.nickName] as const));
  const roles = new Map<string, number>();
  // Members without a preset role, or declared with a custom one, need the per-user role listing.
  const slow = new Map<number | undefined, string[]>();
  for (const m of roster.values()) {
    const want = declared.get(m.userId);
    const wantCustom = want !== undefined && !isPresetWorkspaceRoleId(want);
    if (m.presetRoleId !== undefined && !wantCustom) roles.set(m.userId, m.presetRoleId);
    else slow.set(wantCustom ? want : undefined, [...(slow.get(wantCustom ? want : undefined) ?? []), m.userId]);
  }
  for (const [prefer, users] of slow) {
    for (const [u, r] of (await svc.workspaceMembers.getRoles(workspaceId, users, prefer)) ?? []) roles.set(u, r);
  }
  const info = await svc.directory.workspace(workspaceId);
  return { roles, ownerUserId: info?.ownerUserId };
}

async function plan(
  ctx: MembershipContext,
  workspaceId: string,
  declared: ReadonlyMap<string, number>,
): Promise<(WorkspacePlan & { ownerUserId?: string }) | undefined> {
  const seen = await observe(ctx, workspaceId, declared);
  if (seen === undefined) return undefined;
  const guarded = protectedUsers(seen.ownerUserId, ctx.callerUserId());
  return { ...planWorkspace(workspaceId, declared, seen.roles, guarded), ownerUserId: seen.ownerUserId };
}

function outputsOf(
  workspaceId: string,
  after: ReadonlyMap<string, number>,
  kept: ReadonlySet<string>,
  ownerUserId: string | undefined,
): Record<string, unknown> {
  const managed = new Map([...after].filter(([u]) => !kept.has(u)));
  const prot = new Map([...after].filter(([u]) => kept.has(u)));
  return compact({ workspaceId, members: named(managed), ownerUserId, protectedMembers: named(prot) });
}

/** State → what the program asks for, without reading Quick BI (the guards are checked again at apply). */
function planFromState(
  old: WorkspaceMembersOutputs,
  declared: ReadonlyMap<string, number> | undefined,
  callerUserId: string | undefined,
): WorkspacePlan | undefined {
  if (declared === undefined) return undefined;
  const before = new Map([...ids(old.members), ...ids(old.protectedMembers ?? {})]);
  return planWorkspace(old.workspaceId, declared, before, protectedUsers(old.ownerUserId ?? undefined, callerUserId));
}

export const workspaceMembersKind: MembershipKind<Shape, WorkspaceMembersOutputs> = {
  type: "WorkspaceMembers",
  mode: "authoritative",
  target: "workspace",
  targetKey: "workspaceId",
  shape: workspaceMembersShape,
  inputs: WorkspaceMembersInputsSchema,
  state: WorkspaceMembersOutputsSchema,

  crossChecks: () => [],

  async checkWithReads(fc, isNew, ctx) {
    const workspaceId = fc.values.workspaceId;
    if (!isNew || workspaceId === undefined || fc.values.members === undefined) return { failures: [] };
    // A failed read only costs the preview its report: create reads again and decides.
    const p = await plan(ctx, workspaceId, ids(fc.values.members)).catch(() => null);
    if (p === null) return { failures: [] };
    if (p === undefined) {
      return {
        failures: [
          {
            property: "workspaceId",
            reason: `workspace ${workspaceId} does not exist in the Quick BI organization; look workspaces up by name with getWorkspace`,
          },
        ],
      };
    }
    if (p.violations.length > 0) return { failures: p.violations.map((reason) => ({ property: "members", reason })) };
    return { failures: [], plan: accessPlan("create", workspaceId, p) };
  },

  claimedUsers: () => [],
  id: (want) => want.workspaceId,
  container: (state) => state.workspaceId,
  replaces: (old, fc) =>
    fc.unknown.has("workspaceId") || (fc.values.workspaceId !== undefined && fc.values.workspaceId !== old.workspaceId)
      ? ["workspaceId"]
      : [],
  changed: (old, fc) =>
    fc.unknown.has("members") ||
    fc.values.members === undefined ||
    !sameRoles(ids(fc.values.members), ids(old.members)),

  planCreate: (fc) =>
    accessPlan("create", fc.unknown.has("workspaceId") ? undefined : fc.values.workspaceId, undefined),

  planChange(old, fc, replacing, ctx) {
    const declared = fc.unknown.has("members") || fc.values.members === undefined ? undefined : ids(fc.values.members);
    if (replacing) {
      // Leaving the old workspace removes everyone this resource managed there, except whom the guards protect.
      const guarded = protectedUsers(old.ownerUserId ?? undefined, ctx.callerUserId());
      const leave = new Map([...ids(old.members)].filter(([u]) => !guarded.has(u)));
      const newWs = fc.unknown.has("workspaceId") ? undefined : fc.values.workspaceId;
      return [
        accessPlan("delete", old.workspaceId, { before: leave, after: new Map(), kept: [], violations: [] }),
        accessPlan("create", newWs, undefined),
      ];
    }
    const p = planFromState(old, declared, ctx.callerUserId());
    if (p !== undefined && p.violations.length > 0)
      throw new AccessGuardError(`WorkspaceMembers ${old.workspaceId}`, p.violations);
    return [accessPlan("update", old.workspaceId, p)];
  },

  async apply(id, want, _state, ctx) {
    const workspaceId = want.workspaceId;
    const p = await plan(ctx, workspaceId, ids(want.members));
    if (p === undefined) {
      throw _state === undefined
        ? new Error(
            `WorkspaceMembers: workspace ${workspaceId} does not exist in the Quick BI organization; look workspaces up by name with getWorkspace`,
          )
        : new GoneError(`WorkspaceMembers ${id}`, `workspace ${workspaceId}`);
    }
    if (p.violations.length > 0) throw new AccessGuardError(`WorkspaceMembers ${id}`, p.violations);
    const svc = ctx.services().workspaceMembers;
    const adds = new Map<number, string[]>();
    const sets = new Map<number, string[]>();
    for (const [u, r] of p.after) {
      const now = p.before.get(u);
      const bucket = now === undefined ? adds : now !== r ? sets : undefined;
      bucket?.set(r, [...(bucket.get(r) ?? []), u]);
    }
    const removed = [...p.before.keys()].filter((u) => !p.after.has(u));
    // Adds and re-roles first, removals last, so an admin exists throughout.
    const outcomes: Outcomes[] = [];
    for (const [r, users] of adds) outcomes.push(await svc.addMembers(workspaceId, r, users));
    for (const [r, users] of sets) outcomes.push(await svc.setRole(workspaceId, r, users));
    outcomes.push(await svc.removeMembers(workspaceId, removed));
    const result = new Map(p.after);
    for (const out of outcomes) {
      for (const [u, o] of out) {
        if (o.ok) continue;
        const was = p.before.get(u);
        if (was === undefined) result.delete(u);
        else result.set(u, was);
      }
    }
    const kept = new Set(p.kept.map((k) => k.userId));
    const done = { ...p, after: result };
    return {
      outs: outputsOf(workspaceId, result, kept, p.ownerUserId),
      outcomes,
      plan: accessPlan(_state === undefined ? "create" : "update", workspaceId, done),
    };
  },

  async read(id, prev, ctx) {
    const workspaceId = prev.workspaceId ?? id;
    const declared = ids(prev.members ?? {});
    const seen = await observe(ctx, workspaceId, declared);
    if (seen === undefined) return undefined;
    const guarded = protectedUsers(seen.ownerUserId, ctx.callerUserId());
    const kept = new Set([...guarded.keys()].filter((u) => seen.roles.has(u) && !declared.has(u)));
    const outs = outputsOf(workspaceId, seen.roles, kept, seen.ownerUserId);
    return { outs, inputs: compact({ workspaceId, members: outs.members }) };
  },

  async remove(id, prev, ctx: ApplyContext) {
    const workspaceId = prev.workspaceId ?? id;
    const seen = await observe(ctx, workspaceId, new Map());
    if (seen === undefined) return undefined;
    const guarded = protectedUsers(seen.ownerUserId, ctx.callerUserId());
    const candidates = Object.keys(prev.members ?? {}).filter((u) => seen.roles.has(u) && !guarded.has(u));
    const elsewhere = ctx.ownedElsewhere(workspaceId, candidates);
    const managed = candidates.filter((u) => !elsewhere.has(u));
    const after = new Map([...seen.roles].filter(([u]) => !managed.includes(u)));
    if (managed.length > 0 && ![...after.values()].includes(25)) {
      throw new AccessGuardError(`WorkspaceMembers ${id}`, [
        `removing its members would leave workspace ${workspaceId} without an admin. Add an admin outside this ` +
          `resource first, or keep the members with the resource option \`retainOnDelete: true\`.`,
      ]);
    }
    const outcomes = await ctx.services().workspaceMembers.removeMembers(workspaceId, managed);
    const done = new Map([
      ...after,
      ...[...managed].filter((u) => outcomes.get(u)?.ok === false).map((u) => [u, seen.roles.get(u)!] as const),
    ]);
    return {
      outcomes,
      plan: accessPlan("delete", workspaceId, { before: seen.roles, after: done, kept: [], violations: [] }),
    };
  },

  fromId: (id) => ({ workspaceId: id }),
};

/** The WorkspaceMembers handler (what the runtime serves for this kind). */
export function createWorkspaceMembersHandler(ctx: MembershipContext): Handler {
  return membershipHandler(workspaceMembersKind, ctx);
}

/**
 * WorkspaceMembership: the declared users hold one role in one workspace. A role change is an in-place update
 * (UpdateWorkspaceUsersRole / UpdateWorkspaceUserRole), never a replace; users added to or removed from the list are
 * added / removed; a new workspaceId (or switching between userId and userIds) replaces, deleting first because the
 * membership is a natural key.
 *
 * Writes go first and their answers say who was a member already, so a create needs no read: only members Quick BI
 * refuses as existing are read (to adopt them, or to say what they hold).
 */
import { isPresetWorkspaceRoleId, workspaceRoleFromId } from "../api/roles";
import { workspaceChanges } from "../report/changes";
import { isAlreadyMember, isNotMember, OK, type MemberOutcome, type Outcomes } from "../service/outcome";
import type { CheckFailure } from "./checkFields";
import { ADOPT_REQUIRED } from "./errors";
import { journalKey } from "./journal";
import { compact, sameSet } from "./handler";
import { parseMembershipId } from "./ids";
import {
  membershipHandler,
  type AccessPlan,
  type ApplyContext,
  type MembershipKind,
  type MembershipContext,
} from "./membership";
import type { Handler } from "./handler";
import {
  declaredUsers,
  memberFormChecks,
  membershipId,
  membershipReplaces,
  onlyUser,
  redeclaresOneUser,
} from "./members";
import {
  WorkspaceMembershipInputsSchema,
  WorkspaceMembershipOutputsSchema,
  workspaceMembershipShape,
  workspaceRoleId,
  type WorkspaceMembershipInputs,
  type WorkspaceRoleInput,
  type WorkspaceMembershipOutputs,
} from "./membershipSchema";

type Shape = typeof workspaceMembershipShape;

export function roleName(roleId: number): string {
  const r = workspaceRoleFromId(roleId);
  return typeof r === "number" ? `custom role ${r}` : `${r} (${roleId})`;
}

/** Each listed member's role: the drifted ones from `userRoles`, the rest `roleId`. */
function rolesIn(state: Pick<WorkspaceMembershipOutputs, "userIds" | "roleId" | "userRoles">): Map<string, number> {
  return new Map(state.userIds.map((u) => [u, state.userRoles?.[u] ?? state.roleId]));
}

function outputsOf(
  want: WorkspaceMembershipInputs,
  roleId: number,
  members: ReadonlyMap<string, number>,
): Record<string, unknown> {
  const drifted = [...members].filter(([, r]) => r !== roleId);
  return compact({
    workspaceId: want.workspaceId,
    userId: want.userId ?? undefined,
    userIds: [...members.keys()],
    role: want.role,
    roleId,
    userRoles: drifted.length > 0 ? Object.fromEntries(drifted) : undefined,
  });
}

/**
 * Adds `users` with the role; members Quick BI refuses as existing are taken over when `adopt`, and otherwise fail
 * with ADOPT_REQUIRED saying what they hold. `known` users were this resource's already (they left out of band and
 * are re-added, no adopt needed).
 */
async function addOrAdopt(
  ctx: ApplyContext,
  workspaceId: string,
  roleId: number,
  users: readonly string[],
  adopt: boolean,
): Promise<Outcomes> {
  const svc = ctx.services().workspaceMembers;
  const key = (u: string) => journalKey.workspace(workspaceId, u, roleId);
  // Taken over: with `adopt`, or when an earlier, interrupted run of this resource set out to create it (journal.ts).
  const takeOver = (u: string) => adopt || ctx.journal.ours(ctx.urn, key(u));
  ctx.journal.intend(ctx.urn, users.map(key));
  const out = await svc.addMembers(workspaceId, roleId, users);
  const already = users.filter((u) => isAlreadyMember(out.get(u)));
  if (already.length === 0) return out;
  // One read, only for the users Quick BI says exist (a whole-request refusal names nobody: read them all).
  const held = (await svc.getRoles(workspaceId, already, roleId)) ?? new Map<string, number>();
  const absent = already.filter((u) => !held.has(u));
  // Refused as existing but not a member now: someone removed them meanwhile, or the refusal was for the whole list.
  const retried =
    absent.length > 0 ? await svc.addMembers(workspaceId, roleId, absent) : new Map<string, MemberOutcome>();
  const present = already.filter((u) => held.has(u));
  const reRole = present.filter((u) => takeOver(u) && held.get(u) !== roleId);
  const set = reRole.length > 0 ? await svc.setRole(workspaceId, roleId, reRole) : new Map<string, MemberOutcome>();
  ctx.journal.refused(ctx.urn, present.filter((u) => !takeOver(u)).map(key));
  for (const u of already) {
    if (retried.has(u)) out.set(u, retried.get(u)!);
    else if (takeOver(u)) out.set(u, set.get(u) ?? OK);
    else {
      out.set(u, {
        ok: false,
        code: ADOPT_REQUIRED,
        message: `user ${u} is already a member of workspace ${workspaceId} as ${roleName(held.get(u) ?? 0)}; to manage it here, set \`adopt: true\``,
      });
    }
  }
  return out;
}

/** A one-user state as this provider writes it (no member seen holding another role), recognised without parsing. */
function oneUserState(old: Readonly<Record<string, unknown>>): WorkspaceMembershipOutputs | undefined {
  const { workspaceId, userId, userIds, role, roleId, userRoles, adopt } = old;
  if (
    typeof workspaceId !== "string" ||
    typeof userId !== "string" ||
    !onlyUser(userIds, userId) ||
    (typeof role !== "string" && typeof role !== "number") ||
    typeof roleId !== "number" ||
    userRoles != null ||
    (adopt != null && typeof adopt !== "boolean")
  )
    return undefined;
  return { workspaceId, userId, userIds: [userId], role, roleId, ...(adopt != null ? { adopt } : {}) };
}

export const workspaceMembershipKind: MembershipKind<Shape, WorkspaceMembershipOutputs> = {
  type: "WorkspaceMembership",
  mode: "additive",
  target: "workspace",
  targetKey: "workspaceId",
  shape: workspaceMembershipShape,
  inputs: WorkspaceMembershipInputsSchema,
  state: WorkspaceMembershipOutputsSchema,

  stateAtAGlance: oneUserState,

  // The single-user form as recorded, with no member seen holding another role (the list form looks properly).
  unchangedAtAGlance(old, news) {
    const state = oneUserState(old);
    return (
      state !== undefined &&
      redeclaresOneUser(news, state, "workspaceId", state.workspaceId) &&
      news.role === state.role &&
      workspaceRoleId(state.role as WorkspaceRoleInput) === state.roleId
    );
  },

  crossChecks: (fc) => memberFormChecks(fc),

  async checkWithReads(fc, _isNew, ctx) {
    const { workspaceId, role } = fc.values;
    if (workspaceId === undefined || role === undefined || typeof role !== "number" || isPresetWorkspaceRoleId(role))
      return { failures: [] };
    // A custom role id: read the workspace's roles once per process (every other resource then checks from memory).
    const roles = await ctx.names.workspaceRoles(workspaceId).catch(() => undefined);
    if (roles === undefined || roles.size === 0 || roles.has(role)) return { failures: [] };
    const valid = [...roles].map(([id, name]) => `${id} (${name})`).join(", ");
    const failure: CheckFailure = {
      property: "role",
      reason: `role ${role} is not a role of workspace ${workspaceId}; its roles are ${valid}, or use admin, developer, analyst, viewer`,
    };
    return { failures: [failure] };
  },

  claimedUsers: (fc) => declaredUsers(fc.values),
  id: (want) => membershipId(want.workspaceId, want),
  container: (state) => state.workspaceId,

  replaces: (old, fc) =>
    membershipReplaces(
      "workspaceId",
      { containerId: fc.values.workspaceId, userId: fc.values.userId, unknown: fc.unknown, present: fc.present },
      { containerId: old.workspaceId, userId: old.userId },
    ),

  changed(old, fc) {
    const n = fc.values;
    if (fc.unknown.has("role") || fc.unknown.has("userIds") || n.role === undefined) return true;
    const users = declaredUsers(n);
    if (!n.userId && !sameSet(users, old.userIds)) return true;
    const roleId = workspaceRoleId(n.role);
    // Compare with what each member was observed to hold, so one drifted user in a list is corrected.
    const now = rolesIn(old);
    return roleId !== old.roleId || users.some((u) => (now.get(u) ?? old.roleId) !== roleId);
  },

  planCreate(fc) {
    const v = fc.values;
    const target = fc.unknown.has("workspaceId") ? undefined : v.workspaceId;
    if (
      target === undefined ||
      v.role === undefined ||
      fc.unknown.has("userIds") ||
      fc.unknown.has("userId") ||
      fc.unknown.has("role")
    ) {
      return { operation: "create", target };
    }
    const roleId = workspaceRoleId(v.role);
    return {
      operation: "create",
      target,
      changes: workspaceChanges(new Map(), new Map(declaredUsers(v).map((u) => [u, roleId]))),
    };
  },

  planChange(old, fc, replacing) {
    const v = fc.values;
    const before = rolesIn(old);
    const target = fc.unknown.has("workspaceId") ? undefined : (v.workspaceId ?? old.workspaceId);
    const unknown =
      v.role === undefined || fc.unknown.has("role") || fc.unknown.has("userIds") || fc.unknown.has("userId");
    const after = unknown ? undefined : new Map(declaredUsers(v).map((u) => [u, workspaceRoleId(v.role!)]));
    if (replacing) {
      const leave: AccessPlan = {
        operation: "delete",
        target: old.workspaceId,
        changes: workspaceChanges(before, new Map()),
      };
      return [leave, { operation: "create", target, changes: after && workspaceChanges(new Map(), after) }];
    }
    return [{ operation: "update", target, changes: after && workspaceChanges(before, after) }];
  },

  async apply(_id, want, state, ctx) {
    const svc = ctx.services().workspaceMembers;
    const ws = want.workspaceId;
    const users = declaredUsers(want);
    const roleId = workspaceRoleId(want.role);
    const before = state === undefined || state.workspaceId !== ws ? new Map<string, number>() : rolesIn(state);
    const elsewhere = ctx.ownedElsewhere(ws, [...before.keys()]);
    // Users dropped from the list; one another resource of the stack now grants stays (that resource owns it).
    const removed = [...before.keys()].filter((u) => !users.includes(u) && !elsewhere.has(u));
    const added = users.filter((u) => !before.has(u));
    const reRole = users.filter((u) => before.has(u) && before.get(u) !== roleId);
    const [removeOut, addOut, setOut] = await Promise.all([
      svc.removeMembers(ws, removed),
      addOrAdopt(ctx, ws, roleId, added, want.adopt === true),
      svc.setRole(ws, roleId, reRole),
    ]);
    // Members of this resource that left out of band are added back.
    const left = reRole.filter((u) => isNotMember(setOut.get(u)));
    if (left.length > 0) for (const [u, o] of await svc.addMembers(ws, roleId, left)) setOut.set(u, o);

    const members = new Map<string, number>();
    for (const u of users) {
      const o = addOut.get(u) ?? setOut.get(u) ?? OK;
      if (o.ok) members.set(u, roleId);
      else if (before.has(u) && !isNotMember(o)) members.set(u, before.get(u)!);
    }
    // Users whose removal failed stay listed, so the next update retries removing them.
    for (const u of removed) if (removeOut.get(u)?.ok === false) members.set(u, before.get(u)!);
    return { outs: outputsOf(want, roleId, members), outcomes: [removeOut, addOut, setOut] };
  },

  async read(id, prev, ctx) {
    const fromId = parseMembershipId(id);
    const workspaceId = prev.workspaceId ?? fromId?.parentId;
    const users = prev.userIds ?? (fromId?.kind === "single" ? [fromId.userId] : []);
    if (workspaceId === undefined || users.length === 0) return undefined;
    const single = prev.userId ?? (fromId?.kind === "single" ? fromId.userId : undefined);
    const current = await ctx.services().workspaceMembers.observeRoles(workspaceId, users, prev.roleId);
    if (current === undefined) return undefined;
    const members = new Map(users.filter((u) => current.has(u)).map((u) => [u, current.get(u)!] as const));
    if (members.size === 0) return undefined;
    // When every member holds the same role, that role is what the program should now say (drift shows as a change).
    const held = [...new Set(members.values())];
    const roleId = held.length === 1 ? held[0] : (prev.roleId ?? held[0]);
    const role = roleId === prev.roleId && prev.role !== undefined ? prev.role : workspaceRoleFromId(roleId);
    const form = { workspaceId, userId: single ?? undefined, role } as WorkspaceMembershipInputs;
    return {
      outs: outputsOf(form, roleId, members),
      inputs: compact({
        workspaceId,
        userId: single ?? undefined,
        userIds: single ? undefined : [...members.keys()],
        role,
      }),
    };
  },

  async remove(id, prev, ctx) {
    const fromId = parseMembershipId(id);
    const workspaceId = prev.workspaceId ?? fromId?.parentId;
    const users = prev.userIds ?? (fromId?.kind === "single" ? [fromId.userId] : []);
    if (workspaceId === undefined || users.length === 0) return undefined;
    const elsewhere = ctx.ownedElsewhere(workspaceId, users);
    const leaving = users.filter((u) => !elsewhere.has(u));
    const outcomes = await ctx.services().workspaceMembers.removeMembers(workspaceId, leaving);
    const before = new Map(leaving.map((u) => [u, prev.userRoles?.[u] ?? prev.roleId ?? 0] as const));
    return {
      outcomes,
      plan: { operation: "delete", target: workspaceId, changes: workspaceChanges(before, new Map()) },
    };
  },

  fromId(id) {
    const p = parseMembershipId(id);
    return p === undefined
      ? {}
      : { workspaceId: p.parentId, ...(p.kind === "single" ? { userId: p.userId, userIds: [p.userId] } : {}) };
  },
};

/** The WorkspaceMembership handler (what the runtime serves for this kind). */
export function createWorkspaceMembershipHandler(ctx: MembershipContext): Handler {
  return membershipHandler(workspaceMembershipKind, ctx);
}

/**
 * GroupMembers: the EXACT list of users directly in one user group (child groups are not touched). Users Quick BI
 * lists and the program does not are removed on the next update, except the provider's own identity
 * (`quickbi:callerUserId`), which is kept. The resource ID is the user group id; it must not be mixed with
 * GroupMembership on the same group (ownership.ts refuses that within a stack). As for WorkspaceMembers, only a NEW
 * resource reads the group in check; diffs compare with state, and the apply reads again.
 */
import { z } from "zod";
import { groupChanges } from "../report/changes";
import { GoneError } from "./errors";
import { idField, MAX_USERS_PER_RESOURCE, userIdField } from "./fields";
import { compact, sameSet } from "./handler";
import { membershipHandler, type AccessPlan, type MembershipContext, type MembershipKind } from "./membership";
import type { Handler } from "./handler";
import { knownDuplicates } from "./members";

/** Like the additive list, but empty is allowed: "this group has no direct members". */
export const exactUserIdsField = z
  .array(userIdField(), { invalid_type_error: "must be a list of Quick BI user ids" })
  .max(MAX_USERS_PER_RESOURCE, `must name at most ${MAX_USERS_PER_RESOURCE} users`);

export const groupMembersShape = {
  userGroupId: idField("the user group id (getUserGroup(...).userGroupId)"),
  userIds: exactUserIdsField,
};
export const GroupMembersInputsSchema = z.object(groupMembersShape);
type Shape = typeof groupMembersShape;

export const GroupMembersOutputsSchema = z.object({
  userGroupId: z.string(),
  /** Everyone the resource manages (after a refresh: including users added out of band). */
  userIds: z.array(z.string()),
  /** The provider's identity, kept although the program does not list it. */
  protectedUserIds: z.array(z.string()).nullish(),
});
export type GroupMembersOutputs = z.infer<typeof GroupMembersOutputsSchema>;

interface GroupPlan {
  readonly before: ReadonlySet<string>;
  readonly after: ReadonlySet<string>;
  readonly kept: readonly string[];
}

function accessPlan(
  operation: AccessPlan["operation"],
  userGroupId: string | undefined,
  p: GroupPlan | undefined,
): AccessPlan {
  if (p === undefined) return { operation, target: userGroupId };
  return {
    operation,
    target: userGroupId,
    changes: groupChanges(p.before, p.after),
    kept: p.kept.map((userId) => ({ userId, role: "member", reason: "provider identity" as const })),
  };
}

function planOf(before: ReadonlySet<string>, declared: readonly string[], caller: string | undefined): GroupPlan {
  const kept = caller && before.has(caller) && !declared.includes(caller) ? [caller] : [];
  return { before, after: new Set([...declared, ...kept]), kept };
}

async function plan(
  ctx: MembershipContext,
  userGroupId: string,
  declared: readonly string[],
): Promise<GroupPlan | undefined> {
  const roster = await ctx.services().directory.groupMembers(userGroupId);
  if (roster === undefined) return undefined;
  ctx.names.remember(roster);
  return planOf(new Set(roster.keys()), declared, ctx.callerUserId());
}

export const groupMembersKind: MembershipKind<Shape, GroupMembersOutputs> = {
  type: "GroupMembers",
  mode: "authoritative",
  target: "user group",
  targetKey: "userGroupId",
  shape: groupMembersShape,
  inputs: GroupMembersInputsSchema,
  state: GroupMembersOutputsSchema,

  // Duplicates are reported among the known ids even while other entries are unknown.
  crossChecks: (fc) => knownDuplicates(fc.raw.userIds),

  async checkWithReads(fc, isNew, ctx) {
    const gid = fc.values.userGroupId;
    if (!isNew || gid === undefined || fc.values.userIds === undefined) return { failures: [] };
    // A failed read only costs the preview its report: create reads again and decides.
    const p = await plan(ctx, gid, fc.values.userIds).catch(() => null);
    if (p === null) return { failures: [] };
    if (p === undefined) {
      return {
        failures: [
          {
            property: "userGroupId",
            reason: `user group ${gid} does not exist in the Quick BI organization; look groups up by name with getUserGroup`,
          },
        ],
      };
    }
    return { failures: [], plan: accessPlan("create", gid, p) };
  },

  claimedUsers: () => [],
  id: (want) => want.userGroupId,
  container: (state) => state.userGroupId,
  replaces: (old, fc) =>
    fc.unknown.has("userGroupId") || (fc.values.userGroupId !== undefined && fc.values.userGroupId !== old.userGroupId)
      ? ["userGroupId"]
      : [],
  changed: (old, fc) =>
    fc.unknown.has("userIds") || fc.values.userIds === undefined || !sameSet(fc.values.userIds, old.userIds),

  planCreate: (fc) =>
    accessPlan("create", fc.unknown.has("userGroupId") ? undefined : fc.values.userGroupId, undefined),

  planChange(old, fc, replacing, ctx) {
    const caller = ctx.callerUserId();
    if (replacing) {
      const leave = new Set(old.userIds.filter((u) => u !== caller));
      const gid = fc.unknown.has("userGroupId") ? undefined : fc.values.userGroupId;
      return [
        accessPlan("delete", old.userGroupId, { before: leave, after: new Set(), kept: [] }),
        accessPlan("create", gid, undefined),
      ];
    }
    if (fc.unknown.has("userIds") || fc.values.userIds === undefined)
      return [accessPlan("update", old.userGroupId, undefined)];
    const before = new Set([...old.userIds, ...(old.protectedUserIds ?? [])]);
    return [accessPlan("update", old.userGroupId, planOf(before, fc.values.userIds, caller))];
  },

  async apply(id, want, state, ctx) {
    const userGroupId = want.userGroupId;
    const p = await plan(ctx, userGroupId, want.userIds);
    if (p === undefined) {
      throw state === undefined
        ? new Error(
            `GroupMembers: user group ${id} does not exist in the Quick BI organization; look groups up by name with getUserGroup`,
          )
        : new GoneError(`GroupMembers ${id}`, `user group ${userGroupId}`);
    }
    const svc = ctx.services().groupMembers;
    const removed = [...p.before].filter((u) => !p.after.has(u));
    const [removeOut, addOut] = await Promise.all([
      svc.removeMembers(userGroupId, removed),
      svc.addMembers(
        userGroupId,
        [...p.after].filter((u) => !p.before.has(u)),
      ),
    ]);
    const members = [...p.after].filter((u) => p.before.has(u) || addOut.get(u)?.ok === true);
    const stillThere = removed.filter((u) => removeOut.get(u)?.ok === false);
    const userIds = [...members.filter((u) => !p.kept.includes(u)), ...stillThere];
    const done = { ...p, after: new Set([...members, ...stillThere]) };
    return {
      outs: compact({ userGroupId, userIds, protectedUserIds: [...p.kept] }),
      outcomes: [removeOut, addOut],
      plan: accessPlan(state === undefined ? "create" : "update", userGroupId, done),
    };
  },

  async read(id, prev, ctx) {
    const userGroupId = prev.userGroupId ?? id;
    const roster = await ctx.services().directory.groupMembers(userGroupId);
    if (roster === undefined) return undefined;
    ctx.names.remember(roster);
    const declared = new Set(prev.userIds ?? []);
    const caller = ctx.callerUserId();
    const kept = caller && roster.has(caller) && !declared.has(caller) ? [caller] : [];
    const userIds = [...roster.keys()].filter((u) => !kept.includes(u));
    // Keep the state's order for users still there, then newcomers, so a refresh without drift changes nothing.
    const ordered = [
      ...(prev.userIds ?? []).filter((u) => userIds.includes(u)),
      ...userIds.filter((u) => !declared.has(u)),
    ];
    return {
      outs: compact({ userGroupId, userIds: ordered, protectedUserIds: kept }),
      inputs: compact({ userGroupId, userIds: ordered }),
    };
  },

  async remove(id, prev, ctx) {
    const userGroupId = prev.userGroupId ?? id;
    const roster = await ctx.services().directory.groupMembers(userGroupId);
    if (roster === undefined) return undefined;
    const caller = ctx.callerUserId();
    const candidates = (prev.userIds ?? []).filter((u) => roster.has(u) && u !== caller);
    const elsewhere = ctx.ownedElsewhere(userGroupId, candidates);
    const managed = candidates.filter((u) => !elsewhere.has(u));
    const outcomes = await ctx.services().groupMembers.removeMembers(userGroupId, managed);
    const before = new Set(roster.keys());
    const after = new Set([...before].filter((u) => !managed.includes(u) || outcomes.get(u)?.ok === false));
    return { outcomes, plan: accessPlan("delete", userGroupId, { before, after, kept: [] }) };
  },

  fromId: (id) => ({ userGroupId: id }),
};

/** The GroupMembers handler (what the runtime serves for this kind). */
export function createGroupMembersHandler(ctx: MembershipContext): Handler {
  return membershipHandler(groupMembersKind, ctx);
}

/**
 * GroupMembership: the declared users are direct members of one user group (AddUserGroupMember, ≤1000 ids per call;
 * DeleteUserGroupMember per user). Users added to / removed from the list are added / removed in place; a new
 * userGroupId (or switching between userId and userIds) replaces, deleting first.
 *
 * AddUserGroupMember accepts a user who is a member already without a word, so the group's members are read before
 * adding (one listing per group per coalescing window, shared by every resource in it): a member the resource did not
 * grant is taken over only with `adopt`.
 */
import { groupChanges } from "../report/changes";
import { OK, type MemberOutcome, type Outcomes } from "../service/outcome";
import { ADOPT_REQUIRED } from "./errors";
import { journalKey } from "./journal";
import { compact, sameSet } from "./handler";
import { parseMembershipId } from "./ids";
import { membershipHandler, type AccessPlan, type MembershipKind, type MembershipContext } from "./membership";
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
  GroupMembershipInputsSchema,
  GroupMembershipOutputsSchema,
  groupMembershipShape,
  type GroupMembershipOutputs,
} from "./membershipSchema";

type Shape = typeof groupMembershipShape;

function outputsOf(
  userGroupId: string,
  userId: string | null | undefined,
  members: readonly string[],
): Record<string, unknown> {
  return compact({ userGroupId, userId: userId ?? undefined, userIds: [...members] });
}

/** A one-user state as this provider writes it, recognised without parsing. */
function oneUserState(old: Readonly<Record<string, unknown>>): GroupMembershipOutputs | undefined {
  const { userGroupId, userId, userIds, adopt } = old;
  if (
    typeof userGroupId !== "string" ||
    typeof userId !== "string" ||
    !onlyUser(userIds, userId) ||
    (adopt != null && typeof adopt !== "boolean")
  )
    return undefined;
  return { userGroupId, userId, userIds: [userId], ...(adopt != null ? { adopt } : {}) };
}

export const groupMembershipKind: MembershipKind<Shape, GroupMembershipOutputs> = {
  type: "GroupMembership",
  mode: "additive",
  target: "user group",
  targetKey: "userGroupId",
  shape: groupMembershipShape,
  inputs: GroupMembershipInputsSchema,
  state: GroupMembershipOutputsSchema,

  crossChecks: (fc) => memberFormChecks(fc),
  claimedUsers: (fc) => declaredUsers(fc.values),
  id: (want) => membershipId(want.userGroupId, want),
  container: (state) => state.userGroupId,

  stateAtAGlance: oneUserState,

  // The single-user form as recorded (the list form looks properly).
  unchangedAtAGlance(old, news) {
    const state = oneUserState(old);
    return state !== undefined && redeclaresOneUser(news, state, "userGroupId", state.userGroupId);
  },

  replaces: (old, fc) =>
    membershipReplaces(
      "userGroupId",
      { containerId: fc.values.userGroupId, userId: fc.values.userId, unknown: fc.unknown, present: fc.present },
      { containerId: old.userGroupId, userId: old.userId },
    ),

  changed: (old, fc) => fc.unknown.has("userIds") || !sameSet(declaredUsers(fc.values), old.userIds),

  planCreate(fc) {
    const target = fc.unknown.has("userGroupId") ? undefined : fc.values.userGroupId;
    if (target === undefined || fc.unknown.has("userIds") || fc.unknown.has("userId"))
      return { operation: "create", target };
    return { operation: "create", target, changes: groupChanges(new Set(), new Set(declaredUsers(fc.values))) };
  },

  planChange(old, fc, replacing) {
    const before = new Set(old.userIds);
    const target = fc.unknown.has("userGroupId") ? undefined : (fc.values.userGroupId ?? old.userGroupId);
    const unknown = fc.unknown.has("userIds") || fc.unknown.has("userId");
    const after = unknown ? undefined : new Set(declaredUsers(fc.values));
    if (replacing) {
      const leave: AccessPlan = {
        operation: "delete",
        target: old.userGroupId,
        changes: groupChanges(before, new Set()),
      };
      return [leave, { operation: "create", target, changes: after && groupChanges(new Set(), after) }];
    }
    return [{ operation: "update", target, changes: after && groupChanges(before, after) }];
  },

  async apply(_id, want, state, ctx) {
    const svc = ctx.services().groupMembers;
    const gid = want.userGroupId;
    const users = declaredUsers(want);
    const known = new Set(state !== undefined && state.userGroupId === gid ? state.userIds : []);
    const elsewhere = ctx.ownedElsewhere(gid, [...known]);
    const removed = [...known].filter((u) => !users.includes(u) && !elsewhere.has(u));
    // A missing group shows up below as each write's Usergroup.Not.Exist, with its RequestId.
    const current = (await svc.getMembers(gid)) ?? new Set<string>();
    const key = (u: string) => journalKey.group(gid, u);
    // Taken over: with `adopt`, or when an earlier, interrupted run of this resource set out to add it (journal.ts).
    const takeOver = (u: string) => want.adopt === true || ctx.journal.ours(ctx.urn, key(u));
    const foreign = users.filter((u) => current.has(u) && !known.has(u));
    const refused = new Map<string, MemberOutcome>(
      foreign
        .filter((u) => !takeOver(u))
        .map((u) => [
          u,
          {
            ok: false,
            code: ADOPT_REQUIRED,
            message: `user ${u} is already a member of user group ${gid}; to manage it here, set \`adopt: true\``,
          },
        ]),
    );
    ctx.journal.refused(ctx.urn, [...refused.keys()].map(key));
    const adding = users.filter((u) => !current.has(u));
    ctx.journal.intend(ctx.urn, adding.map(key));
    const [removeOut, addOut] = await Promise.all([svc.removeMembers(gid, removed), svc.addMembers(gid, adding)]);
    const adopted: Outcomes = new Map(foreign.filter(takeOver).map((u) => [u, OK]));
    const isMember = (u: string): boolean => (current.has(u) && !refused.has(u)) || addOut.get(u)?.ok === true;
    const stillThere = removed.filter((u) => removeOut.get(u)?.ok === false);
    return {
      outs: outputsOf(gid, want.userId, [...users.filter(isMember), ...stillThere]),
      outcomes: [removeOut, addOut, refused, adopted],
    };
  },

  async read(id, prev, ctx) {
    const fromId = parseMembershipId(id);
    const userGroupId = prev.userGroupId ?? fromId?.parentId;
    const userId = prev.userId ?? (fromId?.kind === "single" ? fromId.userId : undefined);
    const users = prev.userIds ?? (userId ? [userId] : []);
    if (userGroupId === undefined || users.length === 0) return undefined;
    const current = await ctx.services().groupMembers.observeMembers(userGroupId);
    if (current === undefined) return undefined;
    const members = users.filter((u) => current.has(u));
    if (members.length === 0) return undefined;
    return {
      outs: outputsOf(userGroupId, userId, members),
      inputs: compact({ userGroupId, userId: userId ?? undefined, userIds: userId ? undefined : members }),
    };
  },

  async remove(id, prev, ctx) {
    const fromId = parseMembershipId(id);
    const userGroupId = prev.userGroupId ?? fromId?.parentId;
    const userId = prev.userId ?? (fromId?.kind === "single" ? fromId.userId : undefined);
    const users = prev.userIds ?? (userId ? [userId] : []);
    if (userGroupId === undefined || users.length === 0) return undefined;
    const elsewhere = ctx.ownedElsewhere(userGroupId, users);
    const leaving = users.filter((u) => !elsewhere.has(u));
    const outcomes = await ctx.services().groupMembers.removeMembers(userGroupId, leaving);
    return {
      outcomes,
      plan: { operation: "delete", target: userGroupId, changes: groupChanges(new Set(leaving), new Set()) },
    };
  },

  fromId(id) {
    const p = parseMembershipId(id);
    return p === undefined
      ? {}
      : { userGroupId: p.parentId, ...(p.kind === "single" ? { userId: p.userId, userIds: [p.userId] } : {}) };
  },
};

/** The GroupMembership handler (what the runtime serves for this kind). */
export function createGroupMembershipHandler(ctx: MembershipContext): Handler {
  return membershipHandler(groupMembershipKind, ctx);
}

/**
 * GroupMembership: the declared users are direct members of one user group (AddUserGroupMember, ≤1000 ids per call,
 * chunked; DeleteUserGroupMember per user). Users added to / removed from the list are added / removed in place; a new
 * userGroupId (or switching between userId and userIds) replaces, deleting first.
 */
import type { MemberFailure } from "../service/outcome";
import { failures } from "../service/outcome";
import { checkFields } from "./checkFields";
import { AdoptRequiredError, MembershipWriteError, PartialApplyError } from "./errors";
import { checkResult, compact, parseOrThrow, readResult, sameSet, type Handler, type ServicesProvider } from "./handler";
import { parseMembershipId } from "./ids";
import { declaredUsers, memberFormChecks, membershipId, membershipReplaces } from "./members";
import {
  GroupMembershipInputsSchema,
  GroupMembershipOutputsSchema,
  groupMembershipShape,
  type GroupMembershipInputs,
} from "./membershipSchema";

const RESOURCE = "GroupMembership";

function outputsOf(userGroupId: string, userId: string | null | undefined, members: readonly string[]): Record<string, unknown> {
  return compact({ userGroupId, userId: userId ?? undefined, userIds: [...members] });
}

function stateOf(id: string, props: unknown): { userGroupId?: string; userId?: string; userIds: string[] } {
  const parsed = GroupMembershipOutputsSchema.partial().safeParse(props ?? {});
  const prev = parsed.success ? parsed.data : {};
  const fromId = parseMembershipId(id);
  const userId = prev.userId ?? (fromId?.kind === "single" ? fromId.userId : undefined);
  return {
    userGroupId: prev.userGroupId ?? fromId?.parentId,
    userId: userId ?? undefined,
    userIds: prev.userIds ?? (userId ? [userId] : []),
  };
}

export function createGroupMembershipHandler(services: ServicesProvider): Handler {
  async function converge(
    id: string,
    want: GroupMembershipInputs,
    known: ReadonlySet<string>,
    removed: readonly string[],
  ): Promise<{ outs: Record<string, unknown>; failed: MemberFailure[]; applied: number }> {
    const svc = services().groupMembers;
    const users = declaredUsers(want);
    // A missing group shows up below as each write's Usergroup.Not.Exist, with its RequestId.
    const current = (await svc.getMembers(want.userGroupId)) ?? new Set<string>();
    const foreign = users.filter((u) => current.has(u) && !known.has(u));
    if (foreign.length > 0 && !want.adopt) {
      throw new AdoptRequiredError(
        `${RESOURCE} ${id}`,
        foreign.map((u) => `user ${u} is already a member of user group ${want.userGroupId}`),
      );
    }
    const removeOut = await svc.removeMembers(want.userGroupId, removed);
    const addOut = await svc.addMembers(want.userGroupId, users.filter((u) => !current.has(u)));
    const isMember = (u: string): boolean => current.has(u) || addOut.get(u)?.ok === true;
    const stillThere = removed.filter((u) => removeOut.get(u)?.ok === false);
    const members = [...users.filter(isMember), ...stillThere];
    const failed = [...failures(removeOut), ...failures(addOut)];
    const applied = [...removeOut.values(), ...addOut.values()].filter((o) => o.ok).length;
    return { outs: outputsOf(want.userGroupId, want.userId, members), failed, applied };
  }

  return {
    async check(_olds, news) {
      return checkResult(groupMembershipShape, news, (fc) => memberFormChecks(fc.present));
    },

    async diff(_id, olds, news) {
      const o = GroupMembershipOutputsSchema.safeParse(olds);
      if (!o.success) return { changes: true };
      const old = o.data;
      const fc = checkFields(groupMembershipShape, news);
      const n = fc.values;
      const replaces = membershipReplaces(
        "userGroupId",
        { containerId: n.userGroupId, userId: n.userId, unknown: fc.unknown, present: fc.present },
        { containerId: old.userGroupId, userId: old.userId },
      );
      if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: true };
      if (fc.unknown.has("userIds")) return { changes: true };
      return { changes: !sameSet(declaredUsers(n), old.userIds) };
    },

    async create(inputs) {
      const want = parseOrThrow(RESOURCE, "inputs", GroupMembershipInputsSchema, inputs);
      const id = membershipId(want.userGroupId, want);
      const { outs, failed, applied } = await converge(id, want, new Set(), []);
      if (failed.length === 0) return { id, outs };
      // Nothing changed in Quick BI: a plain error, so no resource is recorded and the next up starts afresh.
      if (applied === 0) throw new MembershipWriteError(`${RESOURCE} ${id}`, `add to user group ${want.userGroupId}`, failed);
      throw new PartialApplyError(id, outs, failed, `${RESOURCE} ${id}: ${failed.length} of ${declaredUsers(want).length} users could not be added`);
    },

    async read(id, props) {
      const prev = stateOf(id, props);
      if (prev.userGroupId === undefined || prev.userIds.length === 0) return {};
      const current = await services().groupMembers.getMembers(prev.userGroupId);
      if (current === undefined) return {};
      const members = prev.userIds.filter((u) => current.has(u));
      if (members.length === 0) return {};
      const outs = outputsOf(prev.userGroupId, prev.userId, members);
      return readResult(id, props, outs, () =>
        compact({ userGroupId: prev.userGroupId, userId: prev.userId, userIds: prev.userId ? undefined : members }),
      );
    },

    async update(id, olds, news) {
      const want = parseOrThrow(RESOURCE, "inputs", GroupMembershipInputsSchema, news);
      const prevUsers = stateOf(id, olds).userIds;
      const users = declaredUsers(want);
      const removed = prevUsers.filter((u) => !users.includes(u));
      const { outs, failed, applied } = await converge(id, want, new Set(prevUsers), removed);
      if (failed.length === 0) return { outs };
      if (applied === 0) throw new MembershipWriteError(`${RESOURCE} ${id}`, "update", failed);
      throw new PartialApplyError(id, outs, failed, `${RESOURCE} ${id}: ${failed.length} user change(s) failed`);
    },

    async delete(id, props) {
      const prev = stateOf(id, props);
      if (prev.userGroupId === undefined || prev.userIds.length === 0) return;
      const failed = failures(await services().groupMembers.removeMembers(prev.userGroupId, prev.userIds));
      if (failed.length > 0) throw new MembershipWriteError(`${RESOURCE} ${id}`, `remove from user group ${prev.userGroupId}`, failed);
    },
  };
}

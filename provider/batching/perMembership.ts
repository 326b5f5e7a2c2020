/**
 * The uncoalesced baseline (`quickbi:coalesce=false`): one API call per membership, the pattern of the Terraform
 * alicloud provider. Each user of a request is read, added or re-roled on its own; the client's rate limiter and
 * throttling backoff still apply. Kept for comparison (`npm run bench`) and as an escape hatch.
 */
import type { GroupMemberService, Outcomes, WorkspaceMemberService } from "../service";

async function eachUser(userIds: readonly string[], op: (userId: string) => Promise<Outcomes>): Promise<Outcomes> {
  const parts = await Promise.all([...new Set(userIds)].map(op));
  return new Map(parts.flatMap((m) => [...m]));
}

export function onePerMembershipWorkspace(direct: WorkspaceMemberService): WorkspaceMemberService {
  return {
    async getRoles(workspaceId, userIds, preferRoleId) {
      const parts = await Promise.all(
        [...new Set(userIds)].map((u) => direct.getRoles(workspaceId, [u], preferRoleId)),
      );
      if (parts.some((p) => p === undefined)) return undefined;
      return new Map(parts.flatMap((p) => [...(p ?? [])]));
    },
    observeRoles(workspaceId, userIds, preferRoleId) {
      return this.getRoles(workspaceId, userIds, preferRoleId);
    },
    addMembers: (workspaceId, roleId, userIds) => eachUser(userIds, (u) => direct.addMembers(workspaceId, roleId, [u])),
    setRole: (workspaceId, roleId, userIds) => eachUser(userIds, (u) => direct.setRole(workspaceId, roleId, [u])),
    removeMembers: (workspaceId, userIds) => direct.removeMembers(workspaceId, userIds),
  };
}

export function onePerMembershipGroup(direct: GroupMemberService): GroupMemberService {
  return {
    // QueryUserGroupMember is the only membership read of a group: one call per request.
    getMembers: (userGroupId) => direct.getMembers(userGroupId),
    observeMembers: (userGroupId) => direct.getMembers(userGroupId),
    addMembers: (userGroupId, userIds) => eachUser(userIds, (u) => direct.addMembers(userGroupId, [u])),
    removeMembers: (userGroupId, userIds) => direct.removeMembers(userGroupId, userIds),
  };
}

/**
 * Who is in a workspace or a user group and what people and roles are called: the complete rosters the authoritative
 * resources compare against, workspace owners for the guards, and the names the access report shows.
 */
import type { QuickBICaller } from "../api/call";
import { isUserGroupNotFound, isWorkspaceNotFound } from "../api/errors";
import { onceUnlessFailed } from "./onceUnlessFailed";
import {
  iterateUsers,
  listAllOrganizationWorkspaces,
  listAllWorkspaceUsers,
  listWorkspaceRoles,
  queryUserGroupMember,
} from "../api/operations";

export interface WorkspaceMember {
  readonly userId: string;
  readonly nickName?: string;
  /** The preset role the listing shows; absent for a member holding only custom roles. */
  readonly presetRoleId?: number;
}

export interface WorkspaceInfo {
  readonly workspaceId: string;
  readonly name: string;
  readonly ownerUserId?: string;
}

export interface DirectoryService {
  /** Every member of the workspace; `undefined` when the workspace does not exist. */
  workspaceMembers(workspaceId: string): Promise<Map<string, WorkspaceMember> | undefined>;
  /** `undefined` when no workspace of the organization has this id. */
  workspace(workspaceId: string): Promise<WorkspaceInfo | undefined>;
  /** Direct user members of the group (id → name); `undefined` when the group does not exist. */
  groupMembers(userGroupId: string): Promise<Map<string, string | undefined> | undefined>;
  /** Every organization user's nickname (one paged QueryUserList). */
  organizationNickNames(): Promise<Map<string, string>>;
  /** Role id → Quick BI's role name in this workspace (custom roles included). */
  workspaceRoleNames(workspaceId: string): Promise<Map<number, string>>;
}

export function createDirectoryService(c: QuickBICaller): DirectoryService {
  // One listing per process serves every resource; a workspace created since is found by listing again.
  const workspaces = onceUnlessFailed(async () => {
    const list = await listAllOrganizationWorkspaces(c);
    return new Map(
      list.map((w) => [
        w.WorkspaceId,
        { workspaceId: w.WorkspaceId, name: w.WorkspaceName, ownerUserId: w.Owner || undefined },
      ]),
    );
  });

  return {
    async workspaceMembers(workspaceId) {
      let list;
      try {
        list = await listAllWorkspaceUsers(c, { workspaceId });
      } catch (e) {
        if (isWorkspaceNotFound(e)) return undefined;
        throw e;
      }
      return new Map(
        list.map((m) => [
          m.UserId,
          { userId: m.UserId, nickName: m.NickName || undefined, presetRoleId: m.Role?.RoleId },
        ]),
      );
    },

    async workspace(workspaceId) {
      const hit = (await workspaces()).get(workspaceId);
      if (hit) return hit;
      workspaces.reset();
      return (await workspaces()).get(workspaceId);
    },

    async groupMembers(userGroupId) {
      let list;
      try {
        list = await queryUserGroupMember(c, { userGroupId });
      } catch (e) {
        if (isUserGroupNotFound(e)) return undefined;
        throw e;
      }
      return new Map(list.filter((m) => !m.IsUserGroup).map((m) => [m.Id, m.Name || undefined] as const));
    },

    async organizationNickNames() {
      const all = new Map<string, string>();
      for await (const u of iterateUsers(c)) if (u.NickName) all.set(u.UserId, u.NickName);
      return all;
    },

    async workspaceRoleNames(workspaceId) {
      const defs = await listWorkspaceRoles(c, { workspaceId });
      return new Map(defs.map((d) => [d.RoleId, d.RoleName] as const));
    },
  };
}

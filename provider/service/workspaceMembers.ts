/**
 * Workspace membership per user. Batch actions (AddWorkspaceUsers, UpdateWorkspaceUsersRole) report failures under
 * opaque keys, so after any batch that did not fully succeed the service re-reads membership and attributes outcomes
 * from what Quick BI now holds.
 */
import type { QuickBICaller } from "../api/call";
import { isMembershipNotFound, isQuickBIApiError, isUserNotFound, isWorkspaceNotFound } from "../api/errors";
import {
  addUserToWorkspace,
  addWorkspaceUsers,
  deleteUserFromWorkspace,
  listAllWorkspaceUsers,
  listWorkspaceUserRolesByUserId,
  queryUserRoleInfoInWorkspace,
  updateWorkspaceUserRole,
  updateWorkspaceUsersRole,
  type BatchResult,
} from "../api/operations";
import { isPresetWorkspaceRoleId } from "../api/roles";
import { perChunk } from "./chunked";
import { OK, allWith, detailFor, failureOf, type MemberOutcome, type Outcomes } from "./outcome";

/**
 * Largest user list in one AddWorkspaceUsers / UpdateWorkspaceUsersRole. Quick BI documents no limit for these two;
 * 1000 is its documented limit for AddUserGroupMember and for list page sizes, and the emulator applies it to every
 * id list.
 */
export const MAX_USERS_PER_BATCH = 1000;

export interface WorkspaceMemberService {
  /**
   * The role each of `userIds` holds in the workspace; non-members are absent from the map. `undefined` when the
   * workspace itself does not exist. When a member holds several roles and one of them is `preferRoleId`, that one
   * is reported (the member already has what was asked for).
   */
  getRoles(workspaceId: string, userIds: readonly string[], preferRoleId?: number): Promise<Map<string, number> | undefined>;
  /** Adds users with a role. Preset role and several users: AddWorkspaceUsers; otherwise AddUserToWorkspace per user. */
  addMembers(workspaceId: string, roleId: number, userIds: readonly string[]): Promise<Outcomes>;
  /** Sets existing members' role. Preset: UpdateWorkspaceUsersRole; custom: UpdateWorkspaceUserRole per user. */
  setRole(workspaceId: string, roleId: number, userIds: readonly string[]): Promise<Outcomes>;
  /** Removes users; a user who is not (or no longer) a member, or a workspace that is gone, counts as removed. */
  removeMembers(workspaceId: string, userIds: readonly string[]): Promise<Outcomes>;
}

export function createWorkspaceMemberService(c: QuickBICaller): WorkspaceMemberService {
  /** All roles a user holds in one workspace (custom ones included), via ListWorkspaceUserRolesByUserId. */
  async function rolesOfUser(workspaceId: string, userId: string): Promise<number[]> {
    try {
      const all = await listWorkspaceUserRolesByUserId(c, { userId });
      return all.filter((r) => r.WorkspaceId === workspaceId).map((r) => r.RoleModel.RoleId);
    } catch (e) {
      if (isUserNotFound(e)) return [];
      throw e;
    }
  }

  function pick(held: readonly number[], prefer: number | undefined): number | undefined {
    if (prefer !== undefined && held.includes(prefer)) return prefer;
    return held.find(isPresetWorkspaceRoleId) ?? held[0];
  }

  async function getRoles(
    workspaceId: string,
    userIds: readonly string[],
    preferRoleId?: number,
  ): Promise<Map<string, number> | undefined> {
    const roles = new Map<string, number>();
    const preferCustom = preferRoleId !== undefined && !isPresetWorkspaceRoleId(preferRoleId);
    if (userIds.length === 1 && !preferCustom) {
      // One user: the single-membership read is cheaper than listing the workspace.
      const userId = userIds[0];
      try {
        roles.set(userId, (await queryUserRoleInfoInWorkspace(c, { workspaceId, userId })).RoleId);
        return roles;
      } catch (e) {
        if (isWorkspaceNotFound(e)) return undefined;
        if (isMembershipNotFound(e) || isUserNotFound(e)) return roles;
        if (!(isQuickBIApiError(e) && e.code === "User.PresetWorkspaceRole.NotExist")) throw e;
        // A member with custom roles only: fall through to the complete listing.
      }
    }
    let members;
    try {
      members = await listAllWorkspaceUsers(c, { workspaceId });
    } catch (e) {
      if (isWorkspaceNotFound(e)) return undefined;
      throw e;
    }
    const wanted = new Set(userIds);
    for (const m of members) {
      if (!wanted.has(m.UserId)) continue;
      const preset = m.Role?.RoleId;
      if (preset !== undefined && (!preferCustom || preset === preferRoleId)) {
        roles.set(m.UserId, preset);
        continue;
      }
      // The listing shows preset roles only; custom roles need the per-user listing.
      const held = await rolesOfUser(workspaceId, m.UserId);
      const role = pick(preset === undefined ? held : [preset, ...held], preferRoleId);
      if (role !== undefined) roles.set(m.UserId, role);
    }
    return roles;
  }

  /** Per-user outcome of a batch: trust a clean result, otherwise look at what Quick BI now holds. */
  async function attribute(
    workspaceId: string,
    roleId: number,
    userIds: readonly string[],
    r: BatchResult,
    action: string,
  ): Promise<Outcomes> {
    if (!r.requestSucceeded) {
      // Nothing was applied, but the answer may still say why per user (FailureDetail): keep that reason.
      return new Map(
        userIds.map((u): [string, MemberOutcome] => {
          const d = detailFor(u, r.failureDetail);
          return [u, {
            ok: false,
            code: d?.code ?? r.code ?? "Unsuccessful",
            message: d?.message ?? r.message ?? "Quick BI answered Success:false; nothing was applied",
            requestId: r.requestId,
            action,
          }];
        }),
      );
    }
    if (r.failure === 0) return allWith(userIds, OK);
    const now = (await getRoles(workspaceId, userIds, roleId)) ?? new Map<string, number>();
    const out: Outcomes = new Map();
    for (const u of userIds) {
      if (now.get(u) === roleId) {
        out.set(u, OK);
        continue;
      }
      const d = detailFor(u, r.failureDetail);
      out.set(u, {
        ok: false,
        code: d?.code ?? "BatchItem.Failed",
        message: d?.message ?? `Quick BI reported ${r.failure} of ${r.total} users as failed without naming them`,
        requestId: r.requestId,
        action,
      });
    }
    return out;
  }

  async function eachUser(userIds: readonly string[], op: (userId: string) => Promise<MemberOutcome>): Promise<Outcomes> {
    // The client's limiter paces the calls; issuing them together lets it use its full allowance.
    const results = await Promise.all(userIds.map(async (u) => [u, await op(u)] as const));
    return new Map(results);
  }

  return {
    getRoles,

    async addMembers(workspaceId, roleId, userIds) {
      if (userIds.length === 0) return new Map();
      if (userIds.length === 1 || !isPresetWorkspaceRoleId(roleId)) {
        return eachUser(userIds, async (userId) => {
          try {
            await addUserToWorkspace(c, { workspaceId, userId, roleId });
            return OK;
          } catch (e) {
            return failureOf(e);
          }
        });
      }
      return perChunk(userIds, MAX_USERS_PER_BATCH, async (part) =>
        attribute(workspaceId, roleId, part, await addWorkspaceUsers(c, { workspaceId, userIds: part, roleId }), "AddWorkspaceUsers"),
      );
    },

    async setRole(workspaceId, roleId, userIds) {
      if (userIds.length === 0) return new Map();
      if (!isPresetWorkspaceRoleId(roleId)) {
        return eachUser(userIds, async (userId) => {
          try {
            await updateWorkspaceUserRole(c, { workspaceId, userId, roleIds: [roleId] });
            return OK;
          } catch (e) {
            return failureOf(e);
          }
        });
      }
      return perChunk(userIds, MAX_USERS_PER_BATCH, async (part) =>
        attribute(workspaceId, roleId, part, await updateWorkspaceUsersRole(c, { workspaceId, userIds: part, roleId }), "UpdateWorkspaceUsersRole"),
      );
    },

    async removeMembers(workspaceId, userIds) {
      return eachUser(userIds, async (userId) => {
        try {
          await deleteUserFromWorkspace(c, { workspaceId, userId });
          return OK;
        } catch (e) {
          if (isMembershipNotFound(e) || isWorkspaceNotFound(e) || isUserNotFound(e)) return OK;
          return failureOf(e);
        }
      });
    },
  };
}

/**
 * Workspace membership per user, one Quick BI call at a time (the coalesced service in batching/ groups the same calls
 * across resources). Adds and role changes with a preset role use the batch actions (AddWorkspaceUsers,
 * UpdateWorkspaceUsersRole); custom roles, which those actions do not document, go one user per call.
 */
import type { QuickBICaller, Verify } from "../api/call";
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
import { writeOnce } from "./mergedWrite";
import { OK, allWith, detailFor, failureOf, keyedByUser, type MemberOutcome, type Outcomes } from "./outcome";

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
  getRoles(
    workspaceId: string,
    userIds: readonly string[],
    preferRoleId?: number,
  ): Promise<Map<string, number> | undefined>;
  /**
   * The same, for a refresh: the coalesced service answers every resource of a workspace from one recent listing
   * (batching/snapshots.ts). Never used before a write.
   */
  observeRoles(
    workspaceId: string,
    userIds: readonly string[],
    preferRoleId?: number,
  ): Promise<Map<string, number> | undefined>;
  /**
   * Adds users with a role; a user who is a member already gets Quick BI's refusal (`isAlreadyMember`), so no read is
   * needed before the write. Preset role and several users: AddWorkspaceUsers; otherwise AddUserToWorkspace per user.
   */
  addMembers(workspaceId: string, roleId: number, userIds: readonly string[]): Promise<Outcomes>;
  /** Sets existing members' role (`isNotMember` for one who left). Preset: UpdateWorkspaceUsersRole; custom: per user. */
  setRole(workspaceId: string, roleId: number, userIds: readonly string[]): Promise<Outcomes>;
  /** Removes users; a user who is not (or no longer) a member, or a workspace that is gone, counts as removed. */
  removeMembers(workspaceId: string, userIds: readonly string[]): Promise<Outcomes>;
}

/** What a read found for one user: the workspace is gone, or the user's preset role (absent: not a member). */
export type RoleRead =
  | { readonly workspace: "absent" }
  | { readonly workspace: "present"; readonly member: boolean; readonly presetRoleId?: number };

/** The direct service, plus the reads the coalesced service combines across resources. */
export interface WorkspaceMemberCalls extends WorkspaceMemberService {
  /** Every member's preset role (members holding only custom roles map to undefined); `undefined`: no workspace. */
  roster(workspaceId: string): Promise<Map<string, number | undefined> | undefined>;
  /** One user's preset role (QueryUserRoleInfoInWorkspace): one call whatever the workspace's size. */
  readOne(workspaceId: string, userId: string): Promise<RoleRead>;
  /** Turns per-user reads into roles, asking for custom roles where the reads show none or another one. */
  resolveRoles(
    workspaceId: string,
    userIds: readonly string[],
    reads: readonly RoleRead[],
    preferRoleId?: number,
  ): Promise<Map<string, number> | undefined>;
}

export function createWorkspaceMemberService(c: QuickBICaller): WorkspaceMemberCalls {
  async function roster(workspaceId: string): Promise<Map<string, number | undefined> | undefined> {
    try {
      const list = await listAllWorkspaceUsers(c, { workspaceId });
      return new Map(list.map((m) => [m.UserId, m.Role?.RoleId]));
    } catch (e) {
      if (isWorkspaceNotFound(e)) return undefined;
      throw e;
    }
  }

  async function readOne(workspaceId: string, userId: string): Promise<RoleRead> {
    try {
      const r = await queryUserRoleInfoInWorkspace(c, { workspaceId, userId });
      return { workspace: "present", member: true, presetRoleId: r.RoleId };
    } catch (e) {
      if (isWorkspaceNotFound(e)) return { workspace: "absent" };
      if (isMembershipNotFound(e) || isUserNotFound(e)) return { workspace: "present", member: false };
      // A member holding custom roles only.
      if (isQuickBIApiError(e) && e.code === "User.PresetWorkspaceRole.NotExist")
        return { workspace: "present", member: true };
      throw e;
    }
  }

  /** Role ids of every role the user holds in the workspace, custom ones included (ListWorkspaceUserRolesByUserId). */
  async function rolesOfUser(workspaceId: string, userId: string): Promise<number[]> {
    try {
      const all = await listWorkspaceUserRolesByUserId(c, { userId });
      return all.filter((r) => r.WorkspaceId === workspaceId).map((r) => r.RoleModel.RoleId);
    } catch (e) {
      if (isUserNotFound(e)) return [];
      throw e;
    }
  }

  async function resolveRoles(
    workspaceId: string,
    userIds: readonly string[],
    reads: readonly RoleRead[],
    preferRoleId?: number,
  ): Promise<Map<string, number> | undefined> {
    if (reads.some((r) => r.workspace === "absent")) return undefined;
    const preferCustom = preferRoleId !== undefined && !isPresetWorkspaceRoleId(preferRoleId);
    const roles = new Map<string, number>();
    await Promise.all(
      userIds.map(async (u, i) => {
        const r = reads[i];
        if (r.workspace !== "present" || !r.member) return;
        if (r.presetRoleId !== undefined && (!preferCustom || r.presetRoleId === preferRoleId)) {
          roles.set(u, r.presetRoleId);
          return;
        }
        // The listing shows preset roles only; a custom role needs the per-user role listing.
        const held = [
          ...(r.presetRoleId !== undefined ? [r.presetRoleId] : []),
          ...(await rolesOfUser(workspaceId, u)),
        ];
        const role =
          preferRoleId !== undefined && held.includes(preferRoleId)
            ? preferRoleId
            : (held.find(isPresetWorkspaceRoleId) ?? held[0]);
        if (role !== undefined) roles.set(u, role);
      }),
    );
    return roles;
  }

  async function getRoles(
    workspaceId: string,
    userIds: readonly string[],
    preferRoleId?: number,
  ): Promise<Map<string, number> | undefined> {
    const users = [...new Set(userIds)];
    if (users.length === 0) return new Map();
    if (users.length === 1)
      return resolveRoles(workspaceId, users, [await readOne(workspaceId, users[0])], preferRoleId);
    const all = await roster(workspaceId);
    if (all === undefined) return undefined;
    const reads = users.map((u): RoleRead => ({ workspace: "present", member: all.has(u), presetRoleId: all.get(u) }));
    return resolveRoles(workspaceId, users, reads, preferRoleId);
  }

  /**
   * Per-user outcome of one batch answer: FailureDetail keyed by user ids speaks for itself; anything else (opaque
   * keys, counts only) is settled by reading what Quick BI holds now.
   */
  async function attribute(
    workspaceId: string,
    roleId: number,
    users: readonly string[],
    r: BatchResult,
    action: string,
  ): Promise<Outcomes> {
    const failed = (u: string, fallback: string): MemberOutcome => {
      const d = detailFor(u, r.failureDetail);
      return {
        ok: false,
        code: d?.code ?? r.code ?? "BatchItem.Failed",
        message: d?.message ?? r.message ?? fallback,
        requestId: r.requestId,
        action,
      };
    };
    // Success:false: nothing was persisted, but the answer may still say why per user.
    if (!r.requestSucceeded)
      return new Map(users.map((u) => [u, failed(u, "Quick BI answered Success:false; nothing was applied")]));
    if (r.failure === 0) return allWith(users, OK);
    if (keyedByUser(users, r.failureDetail)) {
      return new Map(users.map((u) => [u, r.failureDetail[u] === undefined ? OK : failed(u, "failed")]));
    }
    const now = (await roster(workspaceId)) ?? new Map<string, number | undefined>();
    return new Map(
      users.map((u) => [
        u,
        now.get(u) === roleId
          ? OK
          : failed(
              u,
              `Quick BI reported ${r.failure} of ${r.total} users as failed without naming them, and a re-read shows this user without the role`,
            ),
      ]),
    );
  }

  async function eachUser(userIds: readonly string[], op: (userId: string) => Promise<unknown>): Promise<Outcomes> {
    // The client's limiter paces the calls; issuing them together lets it use its full allowance.
    const results = await Promise.all(
      userIds.map(async (u): Promise<[string, MemberOutcome]> => {
        try {
          await op(u);
          return [u, OK];
        } catch (e) {
          return [u, failureOf(e)];
        }
      }),
    );
    return new Map(results);
  }

  function landedWith(workspaceId: string, roleId: number) {
    return async (users: readonly string[]): Promise<ReadonlySet<string>> => {
      const now = (await roster(workspaceId)) ?? new Map<string, number | undefined>();
      return new Set(users.filter((u) => now.get(u) === roleId));
    };
  }

  return {
    getRoles,
    observeRoles: getRoles,
    roster,
    readOne,
    resolveRoles,

    async addMembers(workspaceId, roleId, userIds) {
      const users = [...new Set(userIds)];
      if (users.length === 0) return new Map();
      if (users.length === 1 || !isPresetWorkspaceRoleId(roleId)) {
        // One user: AddUserToWorkspace answers with the user's own error code.
        return eachUser(users, (userId) => addUserToWorkspace(c, { workspaceId, userId, roleId }));
      }
      // writeOnce settles a lost answer itself; what it throws is not a Quick BI answer and propagates.
      return perChunk(
        users,
        MAX_USERS_PER_BATCH,
        (part) =>
          writeOnce(
            {
              send: async (sending, verify: Verify) =>
                attribute(
                  workspaceId,
                  roleId,
                  sending,
                  await addWorkspaceUsers(c, { workspaceId, userIds: sending, roleId }, { verify }),
                  "AddWorkspaceUsers",
                ),
              landed: landedWith(workspaceId, roleId),
            },
            part,
          ),
        false,
      );
    },

    async setRole(workspaceId, roleId, userIds) {
      const users = [...new Set(userIds)];
      if (users.length === 0) return new Map();
      if (!isPresetWorkspaceRoleId(roleId)) {
        return eachUser(users, (userId) => updateWorkspaceUserRole(c, { workspaceId, userId, roleIds: [roleId] }));
      }
      // Overwriting a role is idempotent, so the client may resend it blindly.
      return perChunk(users, MAX_USERS_PER_BATCH, async (part) =>
        attribute(
          workspaceId,
          roleId,
          part,
          await updateWorkspaceUsersRole(c, { workspaceId, userIds: part, roleId }),
          "UpdateWorkspaceUsersRole",
        ),
      );
    },

    async removeMembers(workspaceId, userIds) {
      const results = await Promise.all(
        [...new Set(userIds)].map(async (userId): Promise<[string, MemberOutcome]> => {
          try {
            await deleteUserFromWorkspace(c, { workspaceId, userId });
            return [userId, OK];
          } catch (e) {
            if (isMembershipNotFound(e) || isWorkspaceNotFound(e) || isUserNotFound(e)) return [userId, OK];
            return [userId, failureOf(e)];
          }
        }),
      );
      return new Map(results);
    },
  };
}

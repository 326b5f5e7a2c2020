/**
 * Workspace membership with request coalescing. Every resource's request joins a quiet-gap window; when it closes:
 * - reads of the same workspace share ONE paged QueryWorkspaceUserList (PageSize 1000), or one
 *   QueryUserRoleInfoInWorkspace when a single user of that workspace was asked for;
 * - adds with the same workspace and preset role become ONE AddWorkspaceUsers per 1000 users;
 * - role changes with the same workspace and preset role become ONE UpdateWorkspaceUsersRole per 1000 users.
 * Each caller still gets its own per-user outcome. Custom roles (the batch actions document preset roles only) and
 * removals (DeleteUserFromWorkspace has no batch form) go one call per user through the client's rate limiter.
 */
import type { QuickBICaller, Verify } from "../api/call";
import { isMembershipNotFound, isQuickBIApiError, isUserNotFound, isWorkspaceNotFound } from "../api/errors";
import {
  addUserToWorkspace,
  addWorkspaceUsers,
  listAllWorkspaceUsers,
  listWorkspaceUserRolesByUserId,
  queryUserRoleInfoInWorkspace,
  updateWorkspaceUsersRole,
  type BatchResult,
} from "../api/operations";
import { isPresetWorkspaceRoleId } from "../api/roles";
import { perChunk } from "../service/chunked";
import { OK, allWith, detailFor, failureOf, type MemberOutcome, type Outcomes } from "../service/outcome";
import { MAX_USERS_PER_BATCH, type WorkspaceMemberService } from "../service/workspaceMembers";
import { Coalescer, groupBy } from "./coalescer";
import { writeOnce } from "./mergedWrite";
import type { WindowTiming } from "./quietWindow";


/** What a read found for one user: the workspace is gone, or the user's preset role (absent: not a member). */
type RoleRead = { readonly workspace: "absent" } | { readonly workspace: "present"; readonly member: boolean; readonly presetRoleId?: number };

interface ReadKey {
  readonly workspaceId: string;
  readonly userId: string;
}
interface WriteKey {
  readonly workspaceId: string;
  readonly roleId: number;
  readonly userId: string;
}

export function createCoalescedWorkspaceMemberService(
  c: QuickBICaller,
  direct: WorkspaceMemberService,
  timing: () => WindowTiming,
): WorkspaceMemberService {
  /** Every member's preset role (custom-only members map to undefined); `undefined` when the workspace is gone. */
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
      if (isQuickBIApiError(e) && e.code === "User.PresetWorkspaceRole.NotExist") return { workspace: "present", member: true };
      throw e;
    }
  }

  const reads = new Coalescer<ReadKey, RoleRead>(async (keys) => {
    const answers: (RoleRead | Error)[] = new Array(keys.length);
    await Promise.all(
      [...groupBy(keys, (k) => k.workspaceId)].map(async ([workspaceId, items]) => {
        const users = new Set(items.map((i) => i.key.userId));
        try {
          if (users.size === 1) {
            // One user asked: the single-membership read is one call whatever the workspace's size.
            const r = await readOne(workspaceId, items[0].key.userId);
            for (const i of items) answers[i.index] = r;
            return;
          }
          const all = await roster(workspaceId);
          for (const i of items) {
            answers[i.index] =
              all === undefined
                ? { workspace: "absent" }
                : { workspace: "present", member: all.has(i.key.userId), presetRoleId: all.get(i.key.userId) };
          }
        } catch (e) {
          for (const i of items) answers[i.index] = e instanceof Error ? e : new Error(String(e));
        }
      }),
    );
    return answers;
  }, timing);

  /** Role ids of every role the user holds in the workspace, custom ones included. */
  async function rolesOfUser(workspaceId: string, userId: string): Promise<number[]> {
    try {
      const all = await listWorkspaceUserRolesByUserId(c, { userId });
      return all.filter((r) => r.WorkspaceId === workspaceId).map((r) => r.RoleModel.RoleId);
    } catch (e) {
      if (isUserNotFound(e)) return [];
      throw e;
    }
  }

  /** Preset role of each of `userIds` now (fresh, uncoalesced: used right after a write). */
  async function presetRolesNow(workspaceId: string): Promise<Map<string, number | undefined>> {
    return (await roster(workspaceId)) ?? new Map();
  }

  /** Per-user outcome of one batch answer; a re-read settles users the answer does not name. */
  async function attribute(workspaceId: string, roleId: number, users: readonly string[], r: BatchResult, action: string): Promise<Outcomes> {
    if (r.requestSucceeded && r.failure === 0) return allWith(users, OK);
    // Success:false means nothing was persisted; otherwise look at what Quick BI holds now.
    const now = r.requestSucceeded ? await presetRolesNow(workspaceId) : new Map<string, number | undefined>();
    const out: Outcomes = new Map();
    for (const u of users) {
      if (now.get(u) === roleId) {
        out.set(u, OK);
        continue;
      }
      const d = detailFor(u, r.failureDetail);
      out.set(u, {
        ok: false,
        code: d?.code ?? r.code ?? "BatchItem.Failed",
        message:
          d?.message ??
          r.message ??
          `Quick BI reported ${r.failure} of ${r.total} users as failed without naming them, and a re-read shows this user without the role`,
        requestId: r.requestId,
        action,
      });
    }
    return out;
  }

  function landedWith(workspaceId: string, roleId: number) {
    return async (users: readonly string[]): Promise<ReadonlySet<string>> => {
      const now = await presetRolesNow(workspaceId);
      return new Set(users.filter((u) => now.get(u) === roleId));
    };
  }

  async function addGroup(workspaceId: string, roleId: number, users: readonly string[]): Promise<Outcomes> {
    if (users.length === 1) {
      // A window with one user: AddUserToWorkspace answers with the user's own error code.
      const [userId] = users;
      try {
        await addUserToWorkspace(c, { workspaceId, userId, roleId });
        return allWith(users, OK);
      } catch (e) {
        return allWith(users, failureOf(e));
      }
    }
    // writeOnce settles a lost answer itself; what it throws is not a Quick BI answer and propagates.
    return perChunk(
      users,
      MAX_USERS_PER_BATCH,
      (part) =>
        writeOnce(
          {
            send: async (sending, verify: Verify) =>
              attribute(workspaceId, roleId, sending, await addWorkspaceUsers(c, { workspaceId, userIds: sending, roleId }, { verify }), "AddWorkspaceUsers"),
            landed: landedWith(workspaceId, roleId),
          },
          part,
        ),
      false,
    );
  }

  async function setGroup(workspaceId: string, roleId: number, users: readonly string[]): Promise<Outcomes> {
    // Overwriting a role is idempotent, so the client may resend it blindly.
    return perChunk(users, MAX_USERS_PER_BATCH, async (part) =>
      attribute(workspaceId, roleId, part, await updateWorkspaceUsersRole(c, { workspaceId, userIds: part, roleId }), "UpdateWorkspaceUsersRole"),
    );
  }

  function writer(run: (workspaceId: string, roleId: number, users: readonly string[]) => Promise<Outcomes>): Coalescer<WriteKey, MemberOutcome> {
    return new Coalescer<WriteKey, MemberOutcome>(async (keys) => {
      const answers: (MemberOutcome | Error)[] = new Array(keys.length);
      await Promise.all(
        [...groupBy(keys, (k) => `${k.workspaceId}\u0000${k.roleId}`)].map(async ([, items]) => {
          const { workspaceId, roleId } = items[0].key;
          // Two resources asking for the same user in one window get the same outcome; the user is sent once.
          const users = [...new Set(items.map((i) => i.key.userId))];
          try {
            const res = await run(workspaceId, roleId, users);
            for (const i of items) answers[i.index] = res.get(i.key.userId) ?? new Error(`no outcome for user ${i.key.userId}`);
          } catch (e) {
            for (const i of items) answers[i.index] = e instanceof Error ? e : new Error(String(e));
          }
        }),
      );
      return answers;
    }, timing);
  }

  const adds = writer(addGroup);
  const sets = writer(setGroup);

  async function viaWindow(w: Coalescer<WriteKey, MemberOutcome>, workspaceId: string, roleId: number, userIds: readonly string[]): Promise<Outcomes> {
    const users = [...new Set(userIds)];
    const outcomes = await w.loadAll(users.map((userId) => ({ workspaceId, roleId, userId })));
    return new Map(users.map((u, i) => [u, outcomes[i]]));
  }

  return {
    async getRoles(workspaceId, userIds, preferRoleId) {
      const users = [...new Set(userIds)];
      if (users.length === 0) return new Map();
      const found = await reads.loadAll(users.map((userId) => ({ workspaceId, userId })));
      if (found.some((r) => r.workspace === "absent")) return undefined;
      const preferCustom = preferRoleId !== undefined && !isPresetWorkspaceRoleId(preferRoleId);
      const roles = new Map<string, number>();
      await Promise.all(
        users.map(async (u, i) => {
          const r = found[i];
          if (r.workspace !== "present" || !r.member) return;
          if (r.presetRoleId !== undefined && (!preferCustom || r.presetRoleId === preferRoleId)) {
            roles.set(u, r.presetRoleId);
            return;
          }
          // The listing shows preset roles only; a custom role needs the per-user role listing.
          const held = [...(r.presetRoleId !== undefined ? [r.presetRoleId] : []), ...(await rolesOfUser(workspaceId, u))];
          const role = preferRoleId !== undefined && held.includes(preferRoleId) ? preferRoleId : (held.find(isPresetWorkspaceRoleId) ?? held[0]);
          if (role !== undefined) roles.set(u, role);
        }),
      );
      return roles;
    },

    async addMembers(workspaceId, roleId, userIds) {
      if (userIds.length === 0) return new Map();
      if (!isPresetWorkspaceRoleId(roleId)) return direct.addMembers(workspaceId, roleId, userIds);
      return viaWindow(adds, workspaceId, roleId, userIds);
    },

    async setRole(workspaceId, roleId, userIds) {
      if (userIds.length === 0) return new Map();
      if (!isPresetWorkspaceRoleId(roleId)) return direct.setRole(workspaceId, roleId, userIds);
      return viaWindow(sets, workspaceId, roleId, userIds);
    },

    removeMembers: (workspaceId, userIds) => direct.removeMembers(workspaceId, userIds),
  };
}

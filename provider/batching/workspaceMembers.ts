/**
 * Workspace membership with request coalescing, wrapping the direct service. Every resource's request joins a
 * quiet-gap window; when it closes:
 * - reads of the same workspace share ONE paged QueryWorkspaceUserList, or one QueryUserRoleInfoInWorkspace when a
 *   single user of that workspace was asked for;
 * - adds with the same workspace and preset role become ONE AddWorkspaceUsers per 1000 users;
 * - role changes with the same workspace and preset role become ONE UpdateWorkspaceUsersRole per 1000 users.
 * Each caller still gets its own per-user outcome. Custom roles (the batch actions document preset roles only) and
 * removals (DeleteUserFromWorkspace has no batch form) go straight to the direct service.
 */
import { isPresetWorkspaceRoleId } from "../api/roles";
import type { MemberOutcome, Outcomes, RoleRead, WorkspaceMemberCalls, WorkspaceMemberService } from "../service";
import { Coalescer, groupBy } from "./coalescer";
import type { WindowTiming } from "./quietWindow";
import { Snapshots } from "./snapshots";

interface ReadKey {
  readonly workspaceId: string;
  readonly userId: string;
}
interface WriteKey {
  readonly workspaceId: string;
  readonly roleId: number;
  readonly userId: string;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

export function createCoalescedWorkspaceMemberService(
  direct: WorkspaceMemberCalls,
  timing: () => WindowTiming,
): WorkspaceMemberService {
  const reads = new Coalescer<ReadKey, RoleRead>(async (keys) => {
    const answers: (RoleRead | Error)[] = new Array(keys.length);
    await Promise.all(
      [...groupBy(keys, (k) => k.workspaceId)].map(async ([workspaceId, items]) => {
        const users = new Set(items.map((i) => i.key.userId));
        try {
          if (users.size === 1) {
            const r = await direct.readOne(workspaceId, items[0].key.userId);
            for (const i of items) answers[i.index] = r;
            return;
          }
          const all = await direct.roster(workspaceId);
          for (const i of items) {
            answers[i.index] =
              all === undefined
                ? { workspace: "absent" }
                : { workspace: "present", member: all.has(i.key.userId), presetRoleId: all.get(i.key.userId) };
          }
        } catch (e) {
          for (const i of items) answers[i.index] = asError(e);
        }
      }),
    );
    return answers;
  }, timing);

  /** A coalescer that sends each (workspace, role)'s users of a window with one direct call. */
  function writer(
    send: (workspaceId: string, roleId: number, users: readonly string[]) => Promise<Outcomes>,
  ): Coalescer<WriteKey, MemberOutcome> {
    return new Coalescer<WriteKey, MemberOutcome>(async (keys) => {
      const answers: (MemberOutcome | Error)[] = new Array(keys.length);
      await Promise.all(
        [...groupBy(keys, (k) => `${k.workspaceId}\u0000${k.roleId}`)].map(async ([, items]) => {
          const { workspaceId, roleId } = items[0].key;
          // Two resources asking for the same user in one window get the same outcome; the user is sent once.
          const users = [...new Set(items.map((i) => i.key.userId))];
          try {
            const res = await send(workspaceId, roleId, users);
            for (const i of items)
              answers[i.index] = res.get(i.key.userId) ?? new Error(`no outcome for user ${i.key.userId}`);
          } catch (e) {
            for (const i of items) answers[i.index] = asError(e);
          }
        }),
      );
      return answers;
    }, timing);
  }

  /** Refresh reads: every member's preset role per workspace, one listing shared by the whole refresh. */
  const listings = new Snapshots<Map<string, number | undefined> | undefined>();
  const written = <T>(workspaceId: string, write: Promise<T>): Promise<T> =>
    write.finally(() => listings.invalidate(workspaceId));

  const adds = writer((w, r, u) => written(w, direct.addMembers(w, r, u)));
  const sets = writer((w, r, u) => written(w, direct.setRole(w, r, u)));

  async function viaWindow(
    w: Coalescer<WriteKey, MemberOutcome>,
    workspaceId: string,
    roleId: number,
    userIds: readonly string[],
  ): Promise<Outcomes> {
    const users = [...new Set(userIds)];
    if (users.length === 0) return new Map();
    const outcomes = await w.loadAll(users.map((userId) => ({ workspaceId, roleId, userId })));
    return new Map(users.map((u, i) => [u, outcomes[i]]));
  }

  return {
    async getRoles(workspaceId, userIds, preferRoleId) {
      const users = [...new Set(userIds)];
      if (users.length === 0) return new Map();
      const found = await reads.loadAll(users.map((userId) => ({ workspaceId, userId })));
      return direct.resolveRoles(workspaceId, users, found, preferRoleId);
    },

    async observeRoles(workspaceId, userIds, preferRoleId) {
      const users = [...new Set(userIds)];
      const all = await listings.get(workspaceId, () => direct.roster(workspaceId));
      const reads = users.map((u): RoleRead =>
        all === undefined
          ? { workspace: "absent" }
          : { workspace: "present", member: all.has(u), presetRoleId: all.get(u) },
      );
      return direct.resolveRoles(workspaceId, users, reads, preferRoleId);
    },

    addMembers: (workspaceId, roleId, userIds) =>
      isPresetWorkspaceRoleId(roleId)
        ? viaWindow(adds, workspaceId, roleId, userIds)
        : written(workspaceId, direct.addMembers(workspaceId, roleId, userIds)),

    setRole: (workspaceId, roleId, userIds) =>
      isPresetWorkspaceRoleId(roleId)
        ? viaWindow(sets, workspaceId, roleId, userIds)
        : written(workspaceId, direct.setRole(workspaceId, roleId, userIds)),

    removeMembers: (workspaceId, userIds) => written(workspaceId, direct.removeMembers(workspaceId, userIds)),
  };
}

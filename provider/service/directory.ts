/**
 * Who is in a workspace or a user group and what they are called: the complete rosters the authoritative resources
 * compare against, workspace owners for the guards, and nicknames for the access report. Nicknames are loaded through
 * a DataLoader, so the ids one report (or several concurrent ones) needs are fetched together: a few ids one by one,
 * many ids with one paged QueryUserList.
 */
import DataLoader from "dataloader";
import type { QuickBICaller } from "../api/call";
import { DEFAULT_TIMING, QuietWindow } from "../batching/quietWindow";
import { isUserGroupNotFound, isUserNotFound, isWorkspaceNotFound } from "../api/errors";
import {
  iterateUsers,
  listAllOrganizationWorkspaces,
  listAllWorkspaceUsers,
  queryUserGroupMember,
  queryUserInfoByUserId,
  listWorkspaceRoles,
} from "../api/operations";

/**
 * Once more ids than this have been asked for (in one batch, or one by one over the host's life), one listing of the
 * organization is cheaper than one request per id.
 */
const LIST_THRESHOLD = 10;

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
  /** Nicknames of the users Quick BI knows; unknown ids are absent. Never throws for a missing user. */
  nickNames(userIds: readonly string[]): Promise<Map<string, string>>;
  /** Role id → Quick BI's role name in this workspace (custom roles included); empty when it cannot be read. */
  workspaceRoleNames(workspaceId: string): Promise<Map<number, string>>;
  /** Nicknames seen in rosters are remembered, so a report about those users needs no further request. */
  remember(names: ReadonlyMap<string, string | undefined>): void;
}

export function createDirectoryService(c: QuickBICaller): DirectoryService {
  const nameWindow = new QuietWindow(() => DEFAULT_TIMING);
  let singleReads = 0;
  // One listing at a time: windows that need names while a listing is under way (it may wait behind many writes in
  // the rate limiter) share it instead of starting their own.
  let listing: Promise<Map<string, string>> | undefined;
  function organizationNames(): Promise<Map<string, string>> {
    listing ??= (async () => {
      const all = new Map<string, string>();
      for await (const u of iterateUsers(c)) if (u.NickName) all.set(u.UserId, u.NickName);
      return all;
    })().finally(() => {
      listing = undefined;
    });
    return listing;
  }
  const names = new DataLoader<string, string | null>(
    async (ids) => {
      const found = new Map<string, string>();
      // A host that already read LIST_THRESHOLD names one by one is reporting on many users (a large up whose
      // resources arrive a few at a time): list the organization once, which names everyone for the rest of the run.
      if (ids.length + singleReads > LIST_THRESHOLD) {
        const all = await organizationNames();
        for (const id of ids) {
          const name = all.get(id);
          if (name !== undefined) found.set(id, name);
        }
        // The listing named everyone: later lookups (the next resources' reports) need no request at all.
        const wanted = new Set(ids);
        for (const [id, name] of all) if (!wanted.has(id)) names.prime(id, name);
      } else {
        singleReads += ids.length;
        await Promise.all(
          ids.map(async (id) => {
            try {
              const u = await queryUserInfoByUserId(c, { userId: id });
              if (u.NickName) found.set(id, u.NickName);
            } catch (e) {
              if (!isUserNotFound(e)) throw e;
            }
          }),
        );
      }
      return ids.map((id) => found.get(id) ?? null);
    },
    // The default batch window is one tick; concurrent checks/diffs of one preview reach the host over tens of ms,
    // so the window waits for a quiet gap (see batching/quietWindow.ts).
    { batchScheduleFn: nameWindow.schedule },
  );

  let workspaces: Promise<Map<string, WorkspaceInfo>> | undefined;
  const roleNames = new Map<string, Promise<Map<number, string>>>();
  async function allWorkspaces(): Promise<Map<string, WorkspaceInfo>> {
    const list = await listAllOrganizationWorkspaces(c);
    return new Map(list.map((w) => [w.WorkspaceId, { workspaceId: w.WorkspaceId, name: w.WorkspaceName, ownerUserId: w.Owner || undefined }]));
  }

  const directory: DirectoryService = {
    async workspaceMembers(workspaceId) {
      let list;
      try {
        list = await listAllWorkspaceUsers(c, { workspaceId });
      } catch (e) {
        if (isWorkspaceNotFound(e)) return undefined;
        throw e;
      }
      const out = new Map<string, WorkspaceMember>();
      for (const m of list) out.set(m.UserId, { userId: m.UserId, nickName: m.NickName || undefined, presetRoleId: m.Role?.RoleId });
      directory.remember(new Map([...out.values()].map((m) => [m.userId, m.nickName])));
      return out;
    },

    async workspace(workspaceId) {
      // One listing per process serves every resource; a workspace created since is found by listing again.
      workspaces ??= allWorkspaces();
      const cached = workspaces;
      cached.catch(() => {
        if (workspaces === cached) workspaces = undefined;
      });
      const hit = (await cached).get(workspaceId);
      if (hit) return hit;
      workspaces = allWorkspaces();
      return (await workspaces).get(workspaceId);
    },

    async workspaceRoleNames(workspaceId) {
      let pending = roleNames.get(workspaceId);
      if (pending === undefined) {
        pending = listWorkspaceRoles(c, { workspaceId }).then(
          (defs) => new Map(defs.map((d) => [d.RoleId, d.RoleName] as const)),
          () => new Map<number, string>(),
        );
        roleNames.set(workspaceId, pending);
      }
      return pending;
    },

    async groupMembers(userGroupId) {
      let list;
      try {
        list = await queryUserGroupMember(c, { userGroupId });
      } catch (e) {
        if (isUserGroupNotFound(e)) return undefined;
        throw e;
      }
      const out = new Map(list.filter((m) => !m.IsUserGroup).map((m) => [m.Id, m.Name || undefined] as const));
      directory.remember(out);
      return out;
    },

    async nickNames(userIds) {
      const pending = names.loadMany([...new Set(userIds)]);
      nameWindow.touch();
      const loaded = await pending;
      const out = new Map<string, string>();
      [...new Set(userIds)].forEach((id, i) => {
        const v = loaded[i];
        if (typeof v === "string") out.set(id, v);
      });
      return out;
    },

    remember(seen) {
      for (const [id, name] of seen) if (name) names.clear(id).prime(id, name);
    },
  };
  return directory;
}

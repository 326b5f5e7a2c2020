/**
 * What the resource handlers talk to. Handlers never call Quick BI operations directly, so request coalescing sits
 * behind these interfaces without touching them: `createServices(caller, {batching})` answers through the coalescers of
 * `provider/batching/` (`quickbi:coalesce=true`, the default) or one call per membership (`false`, the baseline).
 */
import type { QuickBICaller } from "../api/call";
import { createCoalescedServices, DEFAULT_TIMING, timingFor, type WindowTiming } from "../batching";
import { createDirectoryService, type DirectoryService } from "./directory";
import { createGroupMemberService, type GroupMemberService } from "./groupMembers";
import { onePerMembershipGroup, onePerMembershipWorkspace } from "./perMembership";
import { createUserService, type UserService } from "./users";
import { createWorkspaceMemberService, type WorkspaceMemberService } from "./workspaceMembers";

export type { DirectoryService, WorkspaceInfo, WorkspaceMember } from "./directory";
export type { GroupMemberService } from "./groupMembers";
export type { MemberOutcome, Outcomes } from "./outcome";
export type { NewUser, OrgUser, UserPatch, UserService } from "./users";
export type { WorkspaceMemberService } from "./workspaceMembers";

export interface Services {
  readonly users: UserService;
  readonly workspaceMembers: WorkspaceMemberService;
  readonly groupMembers: GroupMemberService;
  /** Complete rosters, workspace owners and nicknames (authoritative resources, access report). */
  readonly directory: DirectoryService;
}

/** The knobs of `quickbi:coalesce` / `quickbi:batchWindowMs`, known only once the client's settings are resolved. */
export interface BatchingSettings {
  readonly coalesce: boolean;
  /** Quiet gap of the coalescing window (ms). */
  readonly batchWindowMs: number;
}

export interface ServicesOptions {
  /**
   * Asked on first use (settings are resolved at call time, never at load). Without it the services call Quick BI
   * directly, batching only what one request carries.
   */
  readonly batching?: () => Promise<BatchingSettings>;
}

export function createServices(c: QuickBICaller, options: ServicesOptions = {}): Services {
  const direct: Services = {
    users: createUserService(c),
    workspaceMembers: createWorkspaceMemberService(c),
    groupMembers: createGroupMemberService(c),
    directory: createDirectoryService(c),
  };
  const batching = options.batching;
  if (batching === undefined) return direct;

  let timing: WindowTiming = DEFAULT_TIMING;
  const coalesced = createCoalescedServices(c, direct, () => timing);
  const baseline = {
    users: direct.users,
    workspaceMembers: onePerMembershipWorkspace(direct.workspaceMembers),
    groupMembers: onePerMembershipGroup(direct.groupMembers),
  };
  let chosen: Promise<typeof baseline> | undefined;
  const mode = (): Promise<typeof baseline> => {
    if (chosen === undefined) {
      const pending = batching().then((s) => {
        timing = timingFor(s.batchWindowMs);
        return s.coalesce ? coalesced : baseline;
      });
      // A failed resolution (e.g. missing credentials) is not cached: the next call reports it afresh.
      pending.catch(() => {
        if (chosen === pending) chosen = undefined;
      });
      chosen = pending;
    }
    return chosen;
  };

  return {
    users: {
      get: async (userId) => (await mode()).users.get(userId),
      findByAccount: async (account) => (await mode()).users.findByAccount(account),
      create: async (user) => (await mode()).users.create(user),
      update: async (userId, patch) => (await mode()).users.update(userId, patch),
      remove: async (userId, transferWorksTo) => (await mode()).users.remove(userId, transferWorksTo),
    },
    workspaceMembers: {
      getRoles: async (workspaceId, userIds, preferRoleId) => (await mode()).workspaceMembers.getRoles(workspaceId, userIds, preferRoleId),
      addMembers: async (workspaceId, roleId, userIds) => (await mode()).workspaceMembers.addMembers(workspaceId, roleId, userIds),
      setRole: async (workspaceId, roleId, userIds) => (await mode()).workspaceMembers.setRole(workspaceId, roleId, userIds),
      removeMembers: async (workspaceId, userIds) => (await mode()).workspaceMembers.removeMembers(workspaceId, userIds),
    },
    groupMembers: {
      getMembers: async (userGroupId) => (await mode()).groupMembers.getMembers(userGroupId),
      addMembers: async (userGroupId, userIds) => (await mode()).groupMembers.addMembers(userGroupId, userIds),
      removeMembers: async (userGroupId, userIds) => (await mode()).groupMembers.removeMembers(userGroupId, userIds),
    },
    directory: direct.directory,
  };
}

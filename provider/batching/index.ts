/**
 * Which services the handlers get — the one place that chooses. The runtime keeps one `Services` per host process,
 * so every resource operation the engine sends to this process shares them:
 * - coalesced (`quickbi:coalesce=true`, the default): concurrent requests that can share an API call are merged in a
 *   quiet-gap window (quietWindow.ts), and each caller still gets its own per-user result;
 * - baseline (`false`): one API call per membership (perMembership.ts), for comparison and as an escape hatch;
 * - direct (no batching settings): what the service layer does by itself, for tests.
 * Every coalesced service wraps the direct one: the coalescers only decide who shares a call.
 */
import type { QuickBICaller } from "../api/call";
import { createDirectServices, type Services } from "../service";
import { onceUnlessFailed } from "../service/onceUnlessFailed";
import { createCoalescedGroupMemberService } from "./groupMembers";
import { onePerMembershipGroup, onePerMembershipWorkspace } from "./perMembership";
import { DEFAULT_TIMING, type WindowTiming } from "./quietWindow";
import { createCoalescedUserService } from "./users";
import { createCoalescedWorkspaceMemberService } from "./workspaceMembers";

export { Coalescer, groupBy, type BatchFn } from "./coalescer";
export { DEFAULT_TIMING, QuietWindow, type WindowTiming } from "./quietWindow";

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

/** The window for a `quickbi:batchWindowMs` quiet gap: the default ceiling, or the gap itself if longer. */
export function timingFor(batchWindowMs: number): WindowTiming {
  return { quietMs: batchWindowMs, maxWaitMs: Math.max(DEFAULT_TIMING.maxWaitMs, batchWindowMs) };
}

export function createServices(c: QuickBICaller, options: ServicesOptions = {}): Services {
  const direct = createDirectServices(c);
  const batching = options.batching;
  if (batching === undefined) return direct;

  let timing: WindowTiming = DEFAULT_TIMING;
  const coalesced: Omit<Services, "directory"> = {
    users: createCoalescedUserService(direct.users, () => timing),
    workspaceMembers: createCoalescedWorkspaceMemberService(direct.workspaceMembers, () => timing),
    groupMembers: createCoalescedGroupMemberService(direct.groupMembers, () => timing),
  };
  const baseline: Omit<Services, "directory"> = {
    users: direct.users,
    workspaceMembers: onePerMembershipWorkspace(direct.workspaceMembers),
    groupMembers: onePerMembershipGroup(direct.groupMembers),
  };
  const mode = onceUnlessFailed(async () => {
    const s = await batching();
    timing = timingFor(s.batchWindowMs);
    return s.coalesce ? coalesced : baseline;
  });

  return {
    users: {
      get: async (userId) => (await mode()).users.get(userId),
      list: async () => (await mode()).users.list(),
      findByAccount: async (account) => (await mode()).users.findByAccount(account),
      create: async (user) => (await mode()).users.create(user),
      update: async (userId, patch) => (await mode()).users.update(userId, patch),
      remove: async (userId, transferWorksTo) => (await mode()).users.remove(userId, transferWorksTo),
    },
    workspaceMembers: {
      getRoles: async (workspaceId, userIds, preferRoleId) =>
        (await mode()).workspaceMembers.getRoles(workspaceId, userIds, preferRoleId),
      observeRoles: async (workspaceId, userIds, preferRoleId) =>
        (await mode()).workspaceMembers.observeRoles(workspaceId, userIds, preferRoleId),
      addMembers: async (workspaceId, roleId, userIds) =>
        (await mode()).workspaceMembers.addMembers(workspaceId, roleId, userIds),
      setRole: async (workspaceId, roleId, userIds) =>
        (await mode()).workspaceMembers.setRole(workspaceId, roleId, userIds),
      removeMembers: async (workspaceId, userIds) =>
        (await mode()).workspaceMembers.removeMembers(workspaceId, userIds),
    },
    groupMembers: {
      getMembers: async (userGroupId) => (await mode()).groupMembers.getMembers(userGroupId),
      observeMembers: async (userGroupId) => (await mode()).groupMembers.observeMembers(userGroupId),
      addMembers: async (userGroupId, userIds) => (await mode()).groupMembers.addMembers(userGroupId, userIds),
      removeMembers: async (userGroupId, userIds) => (await mode()).groupMembers.removeMembers(userGroupId, userIds),
    },
    directory: direct.directory,
  };
}

/**
 * Request coalescing inside the provider host. The runtime keeps one `Services` per host process, so every resource
 * operation the engine sends to this process shares these coalescers: concurrent requests that can share an API call
 * are merged in a quiet-gap window (quietWindow.ts), and each caller still gets its own per-user result.
 */
import type { QuickBICaller } from "../api/call";
import type { GroupMemberService, UserService, WorkspaceMemberService } from "../service";
import { createCoalescedGroupMemberService } from "./groupMembers";
import { DEFAULT_TIMING, type WindowTiming } from "./quietWindow";
import { createCoalescedUserService } from "./users";
import { createCoalescedWorkspaceMemberService } from "./workspaceMembers";

export { Coalescer, groupBy, type BatchFn } from "./coalescer";
export { MAX_ROUNDS, writeOnce, type MergedWrite } from "./mergedWrite";
export { DEFAULT_TIMING, QuietWindow, type WindowTiming } from "./quietWindow";
export { MAX_USERS_PER_BATCH } from "../service/workspaceMembers";

export interface CoalescedServices {
  readonly users: UserService;
  readonly workspaceMembers: WorkspaceMemberService;
  readonly groupMembers: GroupMemberService;
}

export function createCoalescedServices(
  c: QuickBICaller,
  direct: { readonly users: UserService; readonly workspaceMembers: WorkspaceMemberService },
  timing: () => WindowTiming,
): CoalescedServices {
  return {
    users: createCoalescedUserService(c, direct.users, timing),
    workspaceMembers: createCoalescedWorkspaceMemberService(c, direct.workspaceMembers, timing),
    groupMembers: createCoalescedGroupMemberService(c, timing),
  };
}

/** The window for a `quickbi:batchWindowMs` quiet gap: the default ceiling, or the gap itself if longer. */
export function timingFor(batchWindowMs: number): WindowTiming {
  return { quietMs: batchWindowMs, maxWaitMs: Math.max(DEFAULT_TIMING.maxWaitMs, batchWindowMs) };
}

/**
 * What the resource handlers talk to. Handlers never call Quick BI operations directly, so request coalescing can be
 * put behind these interfaces without touching them.
 */
import type { QuickBICaller } from "../api/call";
import { createDirectoryService, type DirectoryService } from "./directory";
import { createGroupMemberService, type GroupMemberService } from "./groupMembers";
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

export function createServices(c: QuickBICaller): Services {
  return {
    users: createUserService(c),
    workspaceMembers: createWorkspaceMemberService(c),
    groupMembers: createGroupMemberService(c),
    directory: createDirectoryService(c),
  };
}

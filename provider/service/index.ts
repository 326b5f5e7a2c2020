/**
 * What the resource handlers talk to: Quick BI concepts (users, workspace members, group members, the directory) with
 * per-user outcomes. Handlers never call Quick BI operations directly. These are the direct services, one call at a
 * time; `batching/` wraps them to share calls across resources and picks which the handlers get (`createServices`).
 */
import type { QuickBICaller } from "../api/call";
import { createDirectoryService, type DirectoryService } from "./directory";
import { createGroupMemberService, type GroupMemberService, type UserGroupsService } from "./groupMembers";
import { createUserService, type UserService } from "./users";
import {
  createWorkspaceMemberService,
  type WorkspaceMemberCalls,
  type WorkspaceMemberService,
} from "./workspaceMembers";

export type { DirectoryService, WorkspaceInfo, WorkspaceMember } from "./directory";
export type { GroupMemberService, UserGroupsService } from "./groupMembers";
export type { MemberFailure, MemberOutcome, Outcomes } from "./outcome";
export type { NewUser, OrgUser, UserPatch, UserService } from "./users";
export type { RoleRead, WorkspaceMemberCalls, WorkspaceMemberService } from "./workspaceMembers";

export interface Services {
  readonly users: UserService;
  readonly workspaceMembers: WorkspaceMemberService;
  readonly groupMembers: GroupMemberService;
  /** Complete rosters, workspace owners and names (authoritative resources, access report). */
  readonly directory: DirectoryService;
}

/** The direct services, with the extra reads the coalesced ones are built from. */
export interface DirectServices extends Services {
  readonly workspaceMembers: WorkspaceMemberCalls;
  readonly groupMembers: GroupMemberService & UserGroupsService;
}

export function createDirectServices(c: QuickBICaller): DirectServices {
  return {
    users: createUserService(c),
    workspaceMembers: createWorkspaceMemberService(c),
    groupMembers: createGroupMemberService(c),
    directory: createDirectoryService(c),
  };
}

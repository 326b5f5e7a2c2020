export { QuickBIUser, type QuickBIUserArgs, type OrganizationRole, type QuickBIUserType } from "./user";
export { WorkspaceMembership, type WorkspaceMembershipArgs, type WorkspaceRole } from "./workspaceMembership";
export { GroupMembership, type GroupMembershipArgs } from "./groupMembership";
export { WorkspaceMembers, type WorkspaceMembersArgs } from "./workspaceMembers";
export { GroupMembers, type GroupMembersArgs } from "./groupMembers";

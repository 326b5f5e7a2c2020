/** Lookups by name for Pulumi programs, in the shape of `aws.getX` / `aws.getXOutput`. */
export { getWorkspace, getWorkspaceOutput, type GetWorkspaceArgs, type WorkspaceLookup } from "./workspace";
export { getUser, getUserOutput, type GetUserArgs, type UserLookup } from "./user";
export { getUserGroup, getUserGroupOutput, type GetUserGroupArgs, type UserGroupLookup } from "./userGroup";
export {
  getWorkspaceRoles,
  getWorkspaceRolesOutput,
  type GetWorkspaceRolesArgs,
  type WorkspaceRolesLookup,
} from "./workspaceRoles";
export { LookupAmbiguousError, LookupNotFoundError } from "./errors";
export { LookupArgumentError } from "./args";
export type { LookupOptions } from "./client";

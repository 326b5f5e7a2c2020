import { QuickBIError } from "./errors";

/**
 * Quick BI error codes the emulator raises, with the messages published in the API metadata (quickbi-api.md
 * Appendix A). `%s` placeholders are filled left to right by `qbError`.
 */
export const ERROR_MESSAGES = {
  AE0579100001: "Duplicate users found with account name: %s.",
  "AnalystUser.NotSupport.AdminOrDevRole":
    "Analyst users do not support granting workspace administrator or developer roles.",
  "BindRole.NotExist.Error": "Bind role not exist, %s.",
  "CanNot.Remove.WorkspaceOwner": "You cannot remove the group workspace owner from the group.",
  "Cannot.TransferTo.Owner": "You cannot transfer an item to its current owner.",
  "CannotRemove.OrganizationOwner": "You cannot remove the organization owner from the organization.",
  "ChangeTo.Viewer.Error":
    "The organization user type cannot be changed because the user already belongs to a workspace.",
  "CreateWorkspace.Exceeds.Limits": "The number of create workspace exceeds the maximum number limit:%s.",
  "DirtyData.Duplicate.User": "Dirty data,duplicate user: %s.",
  "Duplicate.UserGroup.Id": "Duplicated usergroupId %s.",
  "Duplicate.UserGroupName.Error":
    "There is already a user group with the same name %s, please rename it before saving。",
  "Duplicate.WorkSpaceName.Error": "The workspace name %s already exists.",
  "Fobbiden.Action": "The organization owner must have the administrator role.",
  "Instance.Over.MaxLicense":
    "You have reached the maximum number of users that can be added. Please upgrade the configurations or remove some users first.",
  "Invalid.Parameter": "An error occurred while verifying parameters.",
  "Invalid.Parameter.Error": "The parameter is invalid:%s.",
  "Invalid.User": "The user does not exist and cannot be added to a user group.",
  "Invalid.User.Admin": "You are not an administrator of this organization.",
  "Invalid.Workspace": "The workspace is not owned by the organization.",
  "Member.ExistInWorkspace.Error": "You cannot remove a user who is a member of a group workspace.",
  "NickName.AlreadyIn.Organization": "The alias already exists.",
  "OrgAdminOrPermissionAdmin.CannotChangeTo.Viewer": "Organization admin or permission admin can not change to viewer.",
  "Organization.Analysts.ReachedTheUpperLimit": "The analysts of the organization have reached the upper limit:%s.",
  "Organization.Developers.ReachedTheUpperLimit": "The developers of the organization have reached the upper limit:%s",
  "Organization.Viewers.ReachedTheUpperLimit": "The visitors of the organization have reached the upper limit:%s.",
  "OrganizationDeveloper.CanNotChangeTo.AnalystOrViewer":
    "Organization user can not change developer to analyst or viewer.",
  "Parameter.Length.Exceed": "Parameter length exceeds maximum limit: [%s].",
  "Remove.AdminRoleOf.WorkspaceOwner": "The owner of the group workspace must be assigned the administrator role.",
  "RoleCount.ExceedsLimit.Error": "The user role cannot exceed three.",
  "RootUserGroup.Create.Error":
    "organization %s has synchronized with other organizational structures, so user groups cannot be created under the root user group.",
  "System.Param.Empty": "You must specify the %s parameter.",
  "Transfer.TargetUser.NotExist":
    "The new owner does not exist. Please ensure that the target user has logged on to the system.",
  "User.AlreadyIn.Organization": "This user is already a member of the current organization.",
  "User.AlreadyIn.Role": "The user is already assigned this role.",
  "User.AlreadyIn.Workspace": "This user already exists.",
  "User.Not.In.Organization": "The specified user is not in the organizational unit.",
  "User.NotIn.Workspace": "The user is not a member of the group workspace.",
  "User.OrganizationRole.NotExist": "User %s must have role in organization.",
  "User.PresetWorkspaceRole.NotExist": "User does not have a predefined workspace role.",
  "User.Role.NotExist": "User role not exist: %s.",
  "User.RoleType.Valid": "The role ID is invalid.",
  "UserAnalyst.NotSupport.ThisRole": "This role has permissions that analysts cannot grant.",
  "UserGroup.Already.Synchronized":
    "Organization has synchronized with other organizational structures, so you are not allowed to add users under group.",
  "UserGroup.Layer.Limited": "The user group cannot have more than ten layers.",
  "UserGroup.Parent.NotFound": "The parent user group does not exist.",
  "UserGroup.Remove.RootNode": "The root user group cannot be deleted.",
  "UserGroup.Remove.WithChildren": "This user group contains a child user group and cannot be deleted.",
  "Usergroup.Not.Exist": "The user group does not exist.",
  "Usergroup.NotBelongTo.CurrentOrganization": "The usergroup %s does not belong to the current organization.",
  "Viewer.AddInTo.Workspace": "Organization members with viewer type are not allowed to add to workspace: %s.",
  "Viewer.CannotHave.CustomRole": "Organization viewer cannot have custom roles.",
  "Works.Transfer.Error": "You are not authorized to transfer this item.",
  "Workspace.Not.Exist": "The group workspace does not exist.",
  "Workspace.Type.Error": "The type of group workspace is invalid.",
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

/** Per-member FailureDetail values of the batch workspace operations, exactly as the doc pages print them. */
export const FAILURE_DETAIL = {
  alreadyMember: "AE0150010001: This user already exists.",
  notMember: "AE0150010004: The user is not a member of the group workspace.",
} as const;

/** Fills the `%s` placeholders of a documented message, left to right. */
export function formatMessage(code: ErrorCode, args: readonly (string | number)[] = []): string {
  let i = 0;
  return ERROR_MESSAGES[code].replace(/%s/g, () => (i < args.length ? String(args[i++]) : ""));
}

/** The documented error for `code`; `httpStatus` defaults to 400 (current metadata), some ops document 500. */
export function qbError(code: ErrorCode, args: readonly (string | number)[] = [], httpStatus = 400): QuickBIError {
  return new QuickBIError(code, formatMessage(code, args), httpStatus);
}

/** `"<Code>: <Message>"`, the form the emulator uses for undocumented per-member batch failures. */
export function failureDetailOf(err: QuickBIError): string {
  return `${err.code}: ${err.message}`;
}

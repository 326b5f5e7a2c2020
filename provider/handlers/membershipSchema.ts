/**
 * WorkspaceMembership and GroupMembership inputs/outputs. A membership names users either one at a time (`userId`,
 * natural-key ID) or as a list (`userIds`); exactly one of the two is set.
 */
import { z } from "zod";
import { WORKSPACE_ROLES, type WorkspaceRoleName } from "../api/roles";
import { adoptField, idField, roleIdFromDigits, userIdField, userIdListField } from "./fields";

export const WORKSPACE_ROLE_NAMES = Object.keys(WORKSPACE_ROLES) as WorkspaceRoleName[];
const VALID_WS_ROLES = `${WORKSPACE_ROLE_NAMES.join(", ")} or a custom role id (number)`;

/** A workspace role as given: a preset name (lower-cased) or a role id (numeric strings become numbers). */
export const workspaceRoleField = z
  .union([z.string(), z.number()], {
    errorMap: () => ({ message: `must be ${VALID_WS_ROLES}` }),
  })
  .transform((v, ctx): WorkspaceRoleName | number => {
    if (typeof v === "number") {
      if (Number.isSafeInteger(v) && v > 0) return v;
      return roleIdFromDigits(String(v), ctx, VALID_WS_ROLES);
    }
    const s = v.trim().toLowerCase();
    if ((WORKSPACE_ROLE_NAMES as string[]).includes(s)) return s as WorkspaceRoleName;
    if (/^\d+$/.test(s)) return roleIdFromDigits(s, ctx, VALID_WS_ROLES);
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a workspace role; use ${VALID_WS_ROLES}` });
    return z.NEVER;
  });
export type WorkspaceRoleInput = z.output<typeof workspaceRoleField>;

export function workspaceRoleId(role: WorkspaceRoleInput): number {
  return typeof role === "number" ? role : WORKSPACE_ROLES[role];
}

const memberShape = {
  userId: userIdField().optional(),
  userIds: userIdListField.optional(),
  adopt: adoptField,
};

export const workspaceMembershipShape = {
  workspaceId: idField("the workspace id (QueryOrganizationWorkspaceList.WorkspaceId)"),
  role: workspaceRoleField,
  ...memberShape,
};
export const WorkspaceMembershipInputsSchema = z.object(workspaceMembershipShape);
export type WorkspaceMembershipInputs = z.output<typeof WorkspaceMembershipInputsSchema>;

export const groupMembershipShape = {
  userGroupId: idField("the user group id"),
  ...memberShape,
};
export const GroupMembershipInputsSchema = z.object(groupMembershipShape);
export type GroupMembershipInputs = z.output<typeof GroupMembershipInputsSchema>;

/**
 * State of a WorkspaceMembership. `userIds` always lists the members (one for the single-user form, which also keeps
 * `userId`); `userRoles` holds the members last observed with another role than `roleId` (what a refresh found), so a
 * drift of one user shows up in diff. Stacks written before 0.2 list every member there; both read the same.
 */
export const WorkspaceMembershipOutputsSchema = z.object({
  workspaceId: z.string(),
  userId: z.string().nullish(),
  userIds: z.array(z.string()),
  role: z.union([z.string(), z.number()]),
  roleId: z.number(),
  userRoles: z.record(z.number()).nullish(),
  adopt: z.boolean().nullish(),
});
export type WorkspaceMembershipOutputs = z.output<typeof WorkspaceMembershipOutputsSchema>;

export const GroupMembershipOutputsSchema = z.object({
  userGroupId: z.string(),
  userId: z.string().nullish(),
  userIds: z.array(z.string()),
  adopt: z.boolean().nullish(),
});
export type GroupMembershipOutputs = z.output<typeof GroupMembershipOutputsSchema>;

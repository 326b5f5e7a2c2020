/**
 * Names for the numeric codes Quick BI uses for organization user types, workspace roles and organization roles.
 * Programs speak names; the wire speaks numbers. Custom role ids (anything not preset) pass through unchanged as
 * numbers, so a custom role never gets silently mapped to a preset one.
 */

export const USER_TYPES = { developer: 1, visitor: 2, analyst: 3 } as const;
export type UserTypeName = keyof typeof USER_TYPES;
export type UserTypeCode = (typeof USER_TYPES)[UserTypeName];

export const WORKSPACE_ROLES = { admin: 25, developer: 26, analyst: 27, viewer: 30 } as const;
export type WorkspaceRoleName = keyof typeof WORKSPACE_ROLES;
export type PresetWorkspaceRoleId = (typeof WORKSPACE_ROLES)[WorkspaceRoleName];

/** The preset organization roles, by the names programs use (`QuickBIUser.roleIds`). */
export const ORGANIZATION_ROLES = {
  orgAdmin: 111111111,
  permissionAdmin: 111111112,
  member: 111111113,
} as const;
export type OrganizationRoleName = keyof typeof ORGANIZATION_ROLES;

/** A workspace role as a program may write it: a preset name or a role id (preset or custom). */
export type WorkspaceRoleRef = WorkspaceRoleName | number;
export type OrganizationRoleRef = OrganizationRoleName | number;

function invert<T extends Record<string, number>>(m: T): ReadonlyMap<number, keyof T> {
  return new Map(Object.entries(m).map(([k, v]) => [v, k as keyof T]));
}
const USER_TYPE_NAMES = invert(USER_TYPES);
const WORKSPACE_ROLE_NAMES = invert(WORKSPACE_ROLES);
const ORGANIZATION_ROLE_NAMES = invert(ORGANIZATION_ROLES);

export function isUserTypeName(v: unknown): v is UserTypeName {
  return typeof v === "string" && Object.prototype.hasOwnProperty.call(USER_TYPES, v);
}

export function userTypeToCode(name: UserTypeName): UserTypeCode {
  return USER_TYPES[name];
}

/** `undefined` for a code Quick BI has not documented (so callers can report it rather than guess). */
export function userTypeFromCode(code: number): UserTypeName | undefined {
  return USER_TYPE_NAMES.get(code);
}

export function isWorkspaceRoleName(v: unknown): v is WorkspaceRoleName {
  return typeof v === "string" && Object.prototype.hasOwnProperty.call(WORKSPACE_ROLES, v);
}

export function isPresetWorkspaceRoleId(id: number): id is PresetWorkspaceRoleId {
  return WORKSPACE_ROLE_NAMES.has(id);
}

export function workspaceRoleToId(ref: WorkspaceRoleRef): number {
  return typeof ref === "number" ? ref : WORKSPACE_ROLES[ref];
}

/** Preset ids map back to their name; custom ids stay numbers. */
export function workspaceRoleFromId(id: number): WorkspaceRoleRef {
  return WORKSPACE_ROLE_NAMES.get(id) ?? id;
}

export function isOrganizationRoleName(v: unknown): v is OrganizationRoleName {
  return typeof v === "string" && Object.prototype.hasOwnProperty.call(ORGANIZATION_ROLES, v);
}

export function organizationRoleToId(ref: OrganizationRoleRef): number {
  return typeof ref === "number" ? ref : ORGANIZATION_ROLES[ref];
}

export function organizationRoleFromId(id: number): OrganizationRoleRef {
  return ORGANIZATION_ROLE_NAMES.get(id) ?? id;
}

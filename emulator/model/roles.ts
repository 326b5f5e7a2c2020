/**
 * Preset organization and workspace roles (quickbi-api.md §4.2, §4.3) and the auth keys role listings carry.
 * Role codes other than `role_workspace_admin` are not attested by any source; the others follow its pattern.
 */
export const ORG_ADMIN = 111111111;
export const ORG_PERMISSION_ADMIN = 111111112;
export const ORG_REGULAR_USER = 111111113;

export const WS_ADMIN = 25;
export const WS_DEVELOPER = 26;
export const WS_ANALYST = 27;
export const WS_VIEWER = 30;

export interface PresetRole {
  roleId: number;
  roleName: string;
  roleCode?: string;
}

export const PRESET_ORG_ROLES: readonly PresetRole[] = [
  { roleId: ORG_ADMIN, roleName: "组织管理员" },
  { roleId: ORG_PERMISSION_ADMIN, roleName: "权限管理员" },
  { roleId: ORG_REGULAR_USER, roleName: "普通用户" },
];

export const PRESET_WORKSPACE_ROLES: readonly PresetRole[] = [
  { roleId: WS_ADMIN, roleName: "空间管理员", roleCode: "role_workspace_admin" },
  { roleId: WS_DEVELOPER, roleName: "开发者", roleCode: "role_workspace_developer" },
  { roleId: WS_ANALYST, roleName: "分析者", roleCode: "role_workspace_analyst" },
  { roleId: WS_VIEWER, roleName: "阅览者", roleCode: "role_workspace_viewer" },
];

export const PRESET_ORG_ROLE_IDS: ReadonlySet<number> = new Set(PRESET_ORG_ROLES.map((r) => r.roleId));
export const PRESET_WORKSPACE_ROLE_IDS: ReadonlySet<number> = new Set(PRESET_WORKSPACE_ROLES.map((r) => r.roleId));

/** Higher is more permission: manage > develop > analyse > view. Used for "the member's preset role" and transfers. */
export function workspaceRoleRank(roleId: number): number {
  switch (roleId) {
    case WS_ADMIN:
      return 4;
    case WS_DEVELOPER:
      return 3;
    case WS_ANALYST:
      return 2;
    case WS_VIEWER:
      return 1;
    default:
      return 0;
  }
}

/** Workspace auth keys ([GO] role models) granted per preset role; custom roles get the analyst-safe subset. */
const WS_ALL_KEYS = [
  "portal_create",
  "dashboard_create",
  "report_create",
  "screen_create",
  "analysis",
  "offline_download",
  "data_form",
  "quick_etl",
  "cube",
  "datasource",
];
const WS_ANALYST_KEYS = [
  "portal_create",
  "dashboard_create",
  "report_create",
  "screen_create",
  "analysis",
  "offline_download",
];

export function workspaceAuthKeys(roleId: number, analystAllowed: boolean): string[] {
  if (roleId === WS_ADMIN || roleId === WS_DEVELOPER) return [...WS_ALL_KEYS];
  if (roleId === WS_ANALYST) return [...WS_ANALYST_KEYS];
  if (roleId === WS_VIEWER) return ["offline_download"];
  return analystAllowed ? [...WS_ANALYST_KEYS] : [...WS_ALL_KEYS];
}

const ORG_ALL_KEYS = [
  "quick_monitor",
  "subscription",
  "offline_download",
  "resource_package",
  "organization_ask",
  "developer_openapi",
  "data_service",
  "admin_authorize3rd",
  "component_manage",
  "template_open",
  "custom_driver",
  "open_platform_custom_plugin",
  "enterprise_safety",
];

export function organizationAuthKeys(roleId: number): string[] {
  if (roleId === ORG_ADMIN) return [...ORG_ALL_KEYS];
  if (roleId === ORG_PERMISSION_ADMIN) return ["admin_authorize3rd", "subscription", "offline_download"];
  return ["subscription", "offline_download"];
}

/** Preset roles first, most privileged first; then custom roles in the order given. */
export function orderRoles(roleIds: readonly number[]): number[] {
  return [...roleIds].sort((a, b) => workspaceRoleRank(b) - workspaceRoleRank(a));
}

/** Rank of the most privileged preset role held (0: custom roles only). */
export function presetRank(roleIds: readonly number[]): number {
  return Math.max(0, ...roleIds.map(workspaceRoleRank));
}

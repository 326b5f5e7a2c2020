import { qbError } from "./codes";
import {
  ORG_ADMIN,
  ORG_PERMISSION_ADMIN,
  PRESET_ORG_ROLES,
  PRESET_WORKSPACE_ROLES,
  WS_ADMIN,
  WS_DEVELOPER,
} from "./roles";
import type { Seed } from "./seed";
import { Role, USER_TYPE, User, UserType } from "./types";

export const MAX_ORG_ROLES = 3;

type RoleSeeds = Pick<Seed, "organizationRoles" | "workspaceRoles">;

/**
 * The organization's roles, preset and custom (organization roles 1111111xx, workspace roles 25/26/27/30), and the
 * rules about who may hold them (§4.4): how many org roles, which user types may hold which roles.
 */
export class RoleCatalog {
  private readonly org = new Map<number, Role>();
  private readonly workspace = new Map<number, Role>();

  constructor(seed: RoleSeeds) {
    for (const r of PRESET_ORG_ROLES) this.org.set(r.roleId, { ...r, isSystemRole: true, analystAllowed: true });
    for (const r of PRESET_WORKSPACE_ROLES) {
      this.workspace.set(r.roleId, {
        ...r,
        isSystemRole: true,
        analystAllowed: r.roleId !== WS_ADMIN && r.roleId !== WS_DEVELOPER,
      });
    }
    for (const [list, into] of [
      [seed.organizationRoles ?? [], this.org],
      [seed.workspaceRoles ?? [], this.workspace],
    ] as const) {
      for (const r of list) {
        if (into.has(r.roleId)) throw new Error(`seed: role ${r.roleId} is defined twice or shadows a preset role`);
        into.set(r.roleId, {
          roleId: r.roleId,
          roleName: r.roleName,
          isSystemRole: false,
          analystAllowed: r.analystAllowed ?? false,
        });
      }
    }
  }

  /** The custom roles, in seed form (presets always exist and are not saved). */
  toSeed(): Required<RoleSeeds> {
    const custom = (m: Map<number, Role>) =>
      [...m.values()]
        .filter((r) => !r.isSystemRole)
        .map((r) => ({ roleId: r.roleId, roleName: r.roleName, analystAllowed: r.analystAllowed }));
    return { organizationRoles: custom(this.org), workspaceRoles: custom(this.workspace) };
  }

  organizationRoles(): Role[] {
    return [...this.org.values()];
  }

  hasOrganizationRole(roleId: number): boolean {
    return this.org.has(roleId);
  }

  /** QueryOrganizationRoleConfig and friends: `User.Role.NotExist` for an unknown id. */
  organizationRole(roleId: number): Role {
    const r = this.org.get(roleId);
    if (!r) throw qbError("User.Role.NotExist", [roleId]);
    return r;
  }

  workspaceRoles(): Role[] {
    return [...this.workspace.values()];
  }

  hasWorkspaceRole(roleId: number): boolean {
    return this.workspace.has(roleId);
  }

  /** QueryWorkspaceRoleConfig and friends: `User.Role.NotExist` for an unknown id. */
  workspaceRole(roleId: number): Role {
    const r = this.workspace.get(roleId);
    if (!r) throw qbError("User.Role.NotExist", [roleId]);
    return r;
  }

  /** Membership writes: an unknown workspace role id is `User.RoleType.Valid`. */
  requireWorkspaceRole(roleId: number): void {
    if (!this.workspace.has(roleId)) throw qbError("User.RoleType.Valid");
  }

  /**
   * The organization roles a user of `userType` would hold (AddUser / UpdateUser). `listed` is how many ids the
   * request gave: the page's "at most 3" counts the list as sent, before duplicates are removed.
   */
  checkOrgRoles(nickName: string, roleIds: readonly number[], userType: UserType, listed = roleIds.length): void {
    if (roleIds.length === 0) throw qbError("User.OrganizationRole.NotExist", [nickName]);
    if (Math.max(listed, roleIds.length) > MAX_ORG_ROLES) throw qbError("RoleCount.ExceedsLimit.Error");
    for (const id of roleIds) if (!this.org.has(id)) throw qbError("BindRole.NotExist.Error", [id]);
    const custom = roleIds.map((id) => this.org.get(id)!).filter((r) => !r.isSystemRole);
    if (userType === USER_TYPE.viewer) {
      if (custom.length > 0) throw qbError("Viewer.CannotHave.CustomRole");
      if (roleIds.includes(ORG_ADMIN) || roleIds.includes(ORG_PERMISSION_ADMIN)) {
        throw qbError("OrgAdminOrPermissionAdmin.CannotChangeTo.Viewer");
      }
    }
    if (userType === USER_TYPE.analyst && custom.some((r) => !r.analystAllowed))
      throw qbError("UserAnalyst.NotSupport.ThisRole");
  }

  /** Whether a user of `userType` may hold these (known) workspace roles (§4.4). */
  checkMemberRoles(user: User, userType: UserType, roleIds: readonly number[]): void {
    const roles = roleIds.map((id) => this.workspace.get(id)!);
    if (userType === USER_TYPE.viewer) {
      if (roles.some((r) => !r.isSystemRole)) throw qbError("Viewer.CannotHave.CustomRole");
      throw qbError("Viewer.AddInTo.Workspace", [user.nickName]);
    }
    if (userType === USER_TYPE.analyst) {
      if (roleIds.includes(WS_ADMIN) || roleIds.includes(WS_DEVELOPER))
        throw qbError("AnalystUser.NotSupport.AdminOrDevRole");
      if (roles.some((r) => !r.isSystemRole && !r.analystAllowed)) throw qbError("UserAnalyst.NotSupport.ThisRole");
    }
  }
}

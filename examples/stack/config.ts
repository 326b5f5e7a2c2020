/**
 * The stack configuration of the example program, validated with zod so a typo in Pulumi.<stack>.yaml fails the
 * preview with the key that is wrong instead of an API error halfway through an update.
 *
 * Project keys (namespace = the project name in Pulumi.yaml, `quickbi-access`):
 *   users      map  key → {accountId, accountName?, nickName, userType, roleIds?}  users this stack creates
 *   teams      map  name → {workspace | workspaceId, role, members: [user]}       one WorkspaceMembership each
 *   grants     map  name → {workspace | workspaceId, role, user}                  single-user memberships
 *   groups     map  name → {group | userGroupId, members: [user]}                 one GroupMembership each
 *   breakGlass secret object {accountId, accountName, nickName}                   optional emergency admin
 * Workspaces and groups are named as Quick BI shows them (looked up with getWorkspace / getUserGroup) or given by id.
 * A `user` is a key of `users` (a user this stack manages), the account name or UID of an existing Quick BI user
 * (looked up with getUser), or a Quick BI user id (32 hex digits).
 * Provider keys (`quickbi:endpoint`, `quickbi:accessKeyId`, `quickbi:accessKeySecret`, ...) are read by the provider
 * and the lookups, not by this file.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

export const WorkspaceRoleSchema = z.union([
  z.enum(["admin", "developer", "analyst", "viewer"]),
  z.number().int().positive(),
]);

export const UserSchema = z
  .object({
    /** The Alibaba Cloud UID: Quick BI versions released after 2024-12-31 require it to add a user. */
    accountId: z
      .string({ required_error: "set accountId (the Alibaba Cloud UID; Quick BI requires it to add a user)" })
      .min(1),
    /** Deprecated by Quick BI; optional (RAM users as master:sub). */
    accountName: z.string().min(1).optional(),
    nickName: z.string().min(1).max(50),
    userType: z.enum(["developer", "analyst", "visitor"]),
    roleIds: z
      .array(z.union([z.enum(["orgAdmin", "permissionAdmin", "member"]), z.number().int().positive()]))
      .max(3)
      .optional(),
  })
  .strict();

/** A workspace by name (as Quick BI shows it) or by id: exactly one of the two. */
const workspaceRef = {
  workspace: z.string().min(1).optional(),
  workspaceId: z.string().min(1).optional(),
};
const oneWorkspace = (w: { workspace?: string; workspaceId?: string }) =>
  (w.workspace === undefined) !== (w.workspaceId === undefined);
const ONE_WORKSPACE = { message: "set workspace (its name) or workspaceId, not both", path: ["workspace"] };

export const TeamSchema = z
  .object({ ...workspaceRef, role: WorkspaceRoleSchema, members: z.array(z.string().min(1)).min(1).max(1000) })
  .strict()
  .refine(oneWorkspace, ONE_WORKSPACE);

export const GrantSchema = z
  .object({ ...workspaceRef, role: WorkspaceRoleSchema, user: z.string().min(1) })
  .strict()
  .refine(oneWorkspace, ONE_WORKSPACE);

export const GroupSchema = z
  .object({
    group: z.string().min(1).optional(),
    userGroupId: z.string().min(1).optional(),
    members: z.array(z.string().min(1)).min(1).max(1000),
  })
  .strict()
  .refine((g) => (g.group === undefined) !== (g.userGroupId === undefined), {
    message: "set group (its name) or userGroupId, not both",
    path: ["group"],
  });

export const BreakGlassSchema = z
  .object({ accountId: z.string().min(1), accountName: z.string().min(1), nickName: z.string().min(1).max(50) })
  .strict();

export const StackConfigSchema = z.object({
  users: z.record(UserSchema).default({}),
  teams: z.record(TeamSchema).default({}),
  grants: z.record(GrantSchema).default({}),
  groups: z.record(GroupSchema).default({}),
});

export type UserConfig = z.infer<typeof UserSchema>;
export type TeamConfig = z.infer<typeof TeamSchema>;
export type GrantConfig = z.infer<typeof GrantSchema>;
export type GroupConfig = z.infer<typeof GroupSchema>;
export type BreakGlassConfig = z.infer<typeof BreakGlassSchema>;
export type StackConfig = z.infer<typeof StackConfigSchema>;

/** A Quick BI UserId: 32 hex digits. */
export const QUICKBI_USER_ID = /^[0-9a-f]{32}$/i;

function fail(key: string, error: z.ZodError): never {
  const where = (path: (string | number)[]) => [key, ...path].join(".");
  throw new pulumi.RunError(
    `invalid stack config:\n${error.issues.map((i) => `  ${where(i.path)}: ${i.message}`).join("\n")}`,
  );
}

/** Reads and validates the project's config keys; `cfg` defaults to the project namespace. */
export function readStackConfig(cfg: pulumi.Config = new pulumi.Config()): StackConfig {
  const raw: Record<string, unknown> = {};
  for (const key of ["users", "teams", "grants", "groups"] as const) {
    const value = cfg.getObject<unknown>(key);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = StackConfigSchema.safeParse(raw);
  if (!parsed.success) fail(cfg.name, parsed.error);
  return parsed.data;
}

/** The optional break-glass admin, kept as a secret: who it is must not be readable from the stack's config or state. */
export function readBreakGlass(cfg: pulumi.Config = new pulumi.Config()): pulumi.Output<BreakGlassConfig> | undefined {
  const secret = cfg.getSecretObject<unknown>("breakGlass");
  if (secret === undefined) return undefined;
  return secret.apply((value) => {
    const parsed = BreakGlassSchema.safeParse(value);
    // The message names the key only: the value is secret.
    if (!parsed.success)
      throw new pulumi.RunError(
        `invalid stack config: ${cfg.name}:breakGlass: expected {accountId, accountName, nickName}`,
      );
    return parsed.data;
  });
}

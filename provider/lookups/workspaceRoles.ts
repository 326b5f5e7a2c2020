/**
 * `getWorkspaceRoles({workspaceId})`: the roles a workspace offers (ListWorkspaceRoles), as name → role id, so a
 * program can name a custom role (`roles["Report Builder"]`) instead of hard-coding its id.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isWorkspaceNotFound } from "../api/errors";
import { listWorkspaceRoles } from "../api/operations";
import { WORKSPACE_ROLES } from "../api/roles";
import { parseArgs } from "./args";
import { lookupClient, type LookupOptions } from "./client";
import { LookupNotFoundError, requestIdOf } from "./errors";

export const GetWorkspaceRolesArgsSchema = z.object({
  workspaceId: z.string().trim().min(1, "set workspaceId (e.g. from getWorkspace)"),
});
export type GetWorkspaceRolesArgs = z.input<typeof GetWorkspaceRolesArgsSchema>;

export const WorkspaceRolesLookupSchema = z.object({
  workspaceId: z.string(),
  /**
   * Role name → role id: Quick BI's own names (e.g. "空间管理员", custom names) plus the preset aliases admin, developer,
   * analyst, viewer. A name two roles share is left out (see `ambiguousNames`) rather than resolved arbitrarily.
   */
  roles: z.record(z.number()),
  ambiguousNames: z.array(z.string()),
  list: z.array(z.object({ roleId: z.number(), roleName: z.string(), isSystemRole: z.boolean().optional() })),
});
export type WorkspaceRolesLookup = z.infer<typeof WorkspaceRolesLookupSchema>;

export async function getWorkspaceRoles(
  args: GetWorkspaceRolesArgs,
  opts: LookupOptions = {},
): Promise<WorkspaceRolesLookup> {
  const { workspaceId } = parseArgs("getWorkspaceRoles", GetWorkspaceRolesArgsSchema, args);
  const c = await lookupClient(opts);
  let defs;
  try {
    defs = await listWorkspaceRoles(c, { workspaceId });
  } catch (e) {
    if (isWorkspaceNotFound(e)) {
      throw new LookupNotFoundError(
        "workspace",
        workspaceId,
        [],
        requestIdOf(e),
        "Look workspaces up by name with getWorkspace.",
      );
    }
    throw e;
  }
  const byName = new Map<string, Set<number>>();
  const add = (name: string, id: number) => byName.set(name, (byName.get(name) ?? new Set()).add(id));
  for (const d of defs) add(d.RoleName, d.RoleId);
  const present = new Set(defs.map((d) => d.RoleId));
  for (const [alias, id] of Object.entries(WORKSPACE_ROLES)) if (present.has(id)) add(alias, id);
  const roles: Record<string, number> = {};
  const ambiguousNames: string[] = [];
  for (const [name, ids] of byName) {
    if (ids.size === 1) roles[name] = [...ids][0];
    else ambiguousNames.push(name);
  }
  return WorkspaceRolesLookupSchema.parse({
    workspaceId,
    roles,
    ambiguousNames,
    list: defs.map((d) => ({ roleId: d.RoleId, roleName: d.RoleName, isSystemRole: d.IsSystemRole ?? undefined })),
  });
}

export function getWorkspaceRolesOutput(
  args: { readonly workspaceId: pulumi.Input<string> },
  opts: LookupOptions = {},
): pulumi.Output<WorkspaceRolesLookup> {
  return pulumi.output(args).apply((a) => getWorkspaceRoles(a, opts));
}

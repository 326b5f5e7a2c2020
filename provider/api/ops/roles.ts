/** Read-only role catalogues: ListWorkspaceRoles, ListOrganizationRoles. */
import { z } from "zod";
import type { QuickBICaller } from "../call";
import { invoke } from "./invoke";
import { bool, int, opt } from "./shapes";

export const RoleDefinitionSchema = z.object({
  RoleId: int,
  RoleName: z.string(),
  IsSystemRole: opt(bool),
  AuthConfigList: opt(z.array(z.object({ AuthKey: z.string(), ActionAuthKeys: opt(z.array(z.string())) }))),
});
export type RoleDefinition = z.infer<typeof RoleDefinitionSchema>;

export async function listWorkspaceRoles(
  c: QuickBICaller,
  p: { readonly workspaceId: string },
): Promise<RoleDefinition[]> {
  return invoke(
    c,
    "ListWorkspaceRoles",
    { WorkspaceId: p.workspaceId },
    { idempotent: true },
    z.array(RoleDefinitionSchema),
  );
}

export async function listOrganizationRoles(c: QuickBICaller): Promise<RoleDefinition[]> {
  return invoke(c, "ListOrganizationRoles", {}, { idempotent: true }, z.array(RoleDefinitionSchema));
}

/** `getWorkspace({name})`: a workspace by its exact name (QueryOrganizationWorkspaceList, keyword search). */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { listAllOrganizationWorkspaces, type Workspace } from "../api/operations";
import { closeMatches } from "./closeMatches";
import { lookupClient, type LookupOptions } from "./client";
import { LookupAmbiguousError, LookupNotFoundError } from "./errors";
import { parseArgs } from "./args";

export const GetWorkspaceArgsSchema = z.object({
  /** The workspace name exactly as Quick BI shows it (case and spaces matter). */
  name: z.string().trim().min(1, "set name: the workspace name"),
});
export type GetWorkspaceArgs = z.input<typeof GetWorkspaceArgsSchema>;

export const WorkspaceLookupSchema = z.object({
  workspaceId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  /** Quick BI user id of the owner (always one of the workspace's admins). */
  ownerUserId: z.string().optional(),
  ownerAccountName: z.string().optional(),
  organizationId: z.string().optional(),
});
export type WorkspaceLookup = z.infer<typeof WorkspaceLookupSchema>;

function toLookup(w: Workspace): WorkspaceLookup {
  return WorkspaceLookupSchema.parse({
    workspaceId: w.WorkspaceId,
    name: w.WorkspaceName,
    description: w.WorkspaceDescription ?? undefined,
    ownerUserId: w.Owner ?? undefined,
    ownerAccountName: w.OwnerAccountName ?? undefined,
    organizationId: w.OrganizationId ?? undefined,
  });
}

/** The workspace named `name`. Fails when no workspace or several workspaces have exactly that name. */
export async function getWorkspace(args: GetWorkspaceArgs, opts: LookupOptions = {}): Promise<WorkspaceLookup> {
  const { name } = parseArgs("getWorkspace", GetWorkspaceArgsSchema, args);
  const c = await lookupClient(opts);
  // The keyword is a substring search; only an exact name is a match.
  const hits = await listAllOrganizationWorkspaces(c, { keyword: name });
  const exact = hits.filter((w) => w.WorkspaceName === name);
  if (exact.length === 1) return toLookup(exact[0]);
  if (exact.length > 1) {
    throw new LookupAmbiguousError(
      "workspace",
      name,
      exact.map((w) => `${w.WorkspaceId}${w.OwnerAccountName ? ` owned by ${w.OwnerAccountName}` : ""}`),
      "Rename one of them in Quick BI, or use the workspace id directly.",
    );
  }
  const pool = hits.length > 0 ? hits : await listAllOrganizationWorkspaces(c);
  throw new LookupNotFoundError(
    "workspace",
    name,
    closeMatches(
      name,
      pool.map((w) => w.WorkspaceName),
    ),
  );
}

/** `getWorkspace` for Inputs: runs once they are known (also during preview, as it only reads). */
export function getWorkspaceOutput(
  args: { readonly name: pulumi.Input<string> },
  opts: LookupOptions = {},
): pulumi.Output<WorkspaceLookup> {
  return pulumi.output(args).apply((a) => getWorkspace(a, opts));
}

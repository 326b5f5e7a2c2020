import * as pulumi from "@pulumi/pulumi";
import { registration } from "./quickbiResource";
import type { WorkspaceRole } from "./workspaceMembership";

export interface WorkspaceMembersArgs {
  /** Changing it replaces the resource (the old workspace's members are removed first). */
  readonly workspaceId: pulumi.Input<string>;
  /**
   * The EXACT members of the workspace: Quick BI user id → role. Anyone else is removed on the next update, except the
   * workspace owner and the provider's identity (`quickbi:callerUserId`), which are kept. Do not also use
   * WorkspaceMembership on this workspace.
   */
  readonly members: pulumi.Input<Record<string, pulumi.Input<WorkspaceRole>>>;
}

/** Authoritative: the complete member → role map of one Quick BI workspace. The resource ID is the workspace id. */
export class WorkspaceMembers extends pulumi.CustomResource {
  declare readonly workspaceId: pulumi.Output<string>;
  /** Everyone the resource manages, as Quick BI holds them (after a refresh: out-of-band members too). */
  declare readonly members: pulumi.Output<Record<string, WorkspaceRole>>;
  declare readonly ownerUserId: pulumi.Output<string | undefined>;
  /** Owner / provider identity kept although the program does not list them. */
  declare readonly protectedMembers: pulumi.Output<Record<string, WorkspaceRole>>;

  constructor(name: string, args: WorkspaceMembersArgs, opts?: pulumi.CustomResourceOptions) {
    super(...registration("workspaceMembers", name, args, ["ownerUserId", "protectedMembers"], opts));
  }
}

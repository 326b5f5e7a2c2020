import * as pulumi from "@pulumi/pulumi";
import { registration } from "./quickbiResource";

/** A preset workspace role name, or a role id (preset 25/26/27/30 or a custom role id). */
export type WorkspaceRole = "admin" | "developer" | "analyst" | "viewer" | number | `${number}`;

export interface WorkspaceMembershipArgs {
  /** Changing it replaces the membership (delete first). */
  readonly workspaceId: pulumi.Input<string>;
  /** One user (ID `workspaceId:userId`). Exactly one of userId / userIds. */
  readonly userId?: pulumi.Input<string>;
  /** Several users (ID `workspaceId:set-<hash>`), ≤1000. Users added/removed later are added/removed in place. */
  readonly userIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** The role the users hold; changing it updates in place. */
  readonly role: pulumi.Input<WorkspaceRole>;
  /** Take over users who are already members (and set their role) instead of failing. */
  readonly adopt?: pulumi.Input<boolean>;
}

/** Users holding one role in one Quick BI workspace. */
export class WorkspaceMembership extends pulumi.CustomResource {
  declare readonly workspaceId: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string | undefined>;
  /** The members (for the single-user form, a list of one). */
  declare readonly userIds: pulumi.Output<string[]>;
  declare readonly role: pulumi.Output<WorkspaceRole>;
  /** The numeric role id. */
  declare readonly roleId: pulumi.Output<number>;
  /** Members last seen holding another role than `roleId` (drift a refresh found), by user id; absent when none. */
  declare readonly userRoles: pulumi.Output<Record<string, number> | undefined>;

  constructor(name: string, args: WorkspaceMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(...registration("workspaceMembership", name, args, ["userId", "userIds", "roleId", "userRoles"], opts));
  }
}

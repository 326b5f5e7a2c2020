import * as pulumi from "@pulumi/pulumi";
import { registration } from "./quickbiResource";

export interface GroupMembersArgs {
  /** Changing it replaces the resource (the old group's members are removed first). */
  readonly userGroupId: pulumi.Input<string>;
  /**
   * The EXACT direct members of the group (may be empty). Anyone else is removed on the next update, except the
   * provider's identity (`quickbi:callerUserId`). Do not also use GroupMembership on this group.
   */
  readonly userIds: pulumi.Input<pulumi.Input<string>[]>;
}

/** Authoritative: the complete list of users directly in one Quick BI user group. The resource ID is the group id. */
export class GroupMembers extends pulumi.CustomResource {
  declare readonly userGroupId: pulumi.Output<string>;
  /** Everyone the resource manages, as Quick BI holds them (after a refresh: out-of-band members too). */
  declare readonly userIds: pulumi.Output<string[]>;
  declare readonly protectedUserIds: pulumi.Output<string[]>;

  constructor(name: string, args: GroupMembersArgs, opts?: pulumi.CustomResourceOptions) {
    super(...registration("groupMembers", name, args, ["protectedUserIds"], opts));
  }
}

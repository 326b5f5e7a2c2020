import * as pulumi from "@pulumi/pulumi";
import { registration } from "./quickbiResource";

export interface GroupMembershipArgs {
  /** Changing it replaces the membership (delete first). */
  readonly userGroupId: pulumi.Input<string>;
  /** One user (ID `userGroupId:userId`). Exactly one of userId / userIds. */
  readonly userId?: pulumi.Input<string>;
  /** Several users (ID `userGroupId:set-<hash>`), ≤1000. */
  readonly userIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Take over users who are already members instead of failing. */
  readonly adopt?: pulumi.Input<boolean>;
}

/** Users who are direct members of one Quick BI user group. */
export class GroupMembership extends pulumi.CustomResource {
  declare readonly userGroupId: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string | undefined>;
  declare readonly userIds: pulumi.Output<string[]>;

  constructor(name: string, args: GroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(...registration("groupMembership", name, args, ["userId", "userIds"], opts));
  }
}

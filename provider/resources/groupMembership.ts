import * as pulumi from "@pulumi/pulumi";
import { URN_KEY, urnInput } from "../report/resourceRef";
import { TYPE_MODULE, TYPE_NAMES } from "./kinds";
import { createShim } from "./shim";

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

const provider = createShim("groupMembership");

/** Users who are direct members of one Quick BI user group. */
export class GroupMembership extends pulumi.dynamic.Resource {
  declare readonly userGroupId: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string | undefined>;
  declare readonly userIds: pulumi.Output<string[]>;

  constructor(name: string, args: GroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    // __urn names the resource in the access report and keys the authoritative/additive mixing check.
    const urn = urnInput(name, `pulumi-nodejs:dynamic/${TYPE_MODULE}:${TYPE_NAMES.groupMembership}`, opts);
    super(provider, name, { userId: undefined, userIds: undefined, ...args, [URN_KEY]: urn }, opts, TYPE_MODULE, TYPE_NAMES.groupMembership);
  }
}

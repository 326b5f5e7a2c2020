import * as pulumi from "@pulumi/pulumi";
import { registration } from "./quickbiResource";

/** Organization roles: a preset name or a role id (preset 111111111/2/3 or custom). */
export type OrganizationRole = "orgAdmin" | "permissionAdmin" | "member" | number;
export type QuickBIUserType = "developer" | "visitor" | "analyst";

export interface QuickBIUserArgs {
  /**
   * Alibaba Cloud account UID (required: Quick BI versions released after 2024-12-31 require AccountId to add a
   * user). Changing it replaces the user.
   */
  readonly accountId: pulumi.Input<string>;
  /**
   * Account name (RAM users as `master:sub`). Changing it replaces the user.
   * @deprecated Quick BI deprecates AccountName in favour of AccountId (AddUser page); optional, sent alongside it.
   */
  readonly accountName?: pulumi.Input<string>;
  /** Display name, unique in the organization, ≤50 characters. */
  readonly nickName: pulumi.Input<string>;
  /** Seat type. */
  readonly userType: pulumi.Input<QuickBIUserType>;
  /** Up to 3 organization roles. Omitted: Quick BI's default (member) and not managed. */
  readonly roleIds?: pulumi.Input<pulumi.Input<OrganizationRole>[]>;
  /** Take over a user that already exists for this account instead of failing. */
  readonly adopt?: pulumi.Input<boolean>;
  /** On delete, give the user's works to this Quick BI user id (default: each workspace's owner). */
  readonly transferWorksTo?: pulumi.Input<string>;
}

/** A Quick BI organization user (AddUser / UpdateUser / DeleteUser). The resource ID is the Quick BI user id. */
export class QuickBIUser extends pulumi.CustomResource {
  /** The Quick BI user id (= the resource ID). */
  declare readonly userId: pulumi.Output<string>;
  declare readonly accountId: pulumi.Output<string | undefined>;
  declare readonly accountName: pulumi.Output<string | undefined>;
  declare readonly nickName: pulumi.Output<string>;
  declare readonly userType: pulumi.Output<QuickBIUserType>;
  /** Organization role ids the user holds, as Quick BI reports them. */
  declare readonly roleIds: pulumi.Output<number[]>;
  declare readonly transferWorksTo: pulumi.Output<string | undefined>;

  constructor(name: string, args: QuickBIUserArgs, opts?: pulumi.CustomResourceOptions) {
    super(...registration("user", name, args, ["userId", "accountName", "roleIds", "transferWorksTo"], opts));
  }
}

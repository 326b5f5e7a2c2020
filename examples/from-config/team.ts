/**
 * A Quick BI team as one component: users created from a list, each holding a role in one workspace. This is how the
 * package usually enters an existing stack: a few lines next to the resources the stack already has, fed by config.
 */
import * as pulumi from "@pulumi/pulumi";
import { QuickBIUser, WorkspaceMembership } from "pulumi-quickbi";
import { z } from "zod";

export const TeamMemberSchema = z
  .object({
    /** Account name (RAM users as `master:sub`): names the member's resources; deprecated by Quick BI as an identifier. */
    account: z.string().min(1),
    /** The Alibaba Cloud UID: Quick BI versions released after 2024-12-31 require it to add a user. */
    accountId: z.string().min(1),
    nickName: z.string().min(1).max(50),
    type: z.enum(["developer", "analyst", "visitor"]),
    /** Workspace role; omit for a user with no workspace access (visitors cannot join workspaces). */
    role: z.enum(["admin", "developer", "analyst", "viewer"]).optional(),
  })
  .strict();
export const TeamListSchema = z.array(TeamMemberSchema).min(1);
export type TeamMember = z.infer<typeof TeamMemberSchema>;

export interface QuickBITeamArgs {
  workspaceId: pulumi.Input<string>;
  members: readonly TeamMember[];
}

/** `master@x:first.last` → `first-last`: a stable resource name, so reordering the list changes nothing. */
export function memberName(account: string): string {
  const local = account.includes(":") ? account.slice(account.lastIndexOf(":") + 1) : account;
  return local
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export class QuickBITeam extends pulumi.ComponentResource {
  /** account → Quick BI UserId */
  readonly userIds: pulumi.Output<Record<string, string>>;
  /** role → membership resource */
  readonly memberships: Record<string, WorkspaceMembership> = {};

  constructor(name: string, args: QuickBITeamArgs, opts?: pulumi.ComponentResourceOptions) {
    super("examples:quickbi:Team", name, {}, opts);
    const names = new Set<string>();
    const users = args.members.map((m) => {
      const n = memberName(m.account);
      // Two accounts that map to one name would collide on the URN; say which.
      if (names.has(n)) throw new pulumi.RunError(`team ${name}: two members map to the resource name "${n}"`);
      names.add(n);
      return {
        member: m,
        user: new QuickBIUser(
          `${name}-${n}`,
          { accountId: m.accountId, accountName: m.account, nickName: m.nickName, userType: m.type },
          { parent: this },
        ),
      };
    });
    // One membership per role: a role change for one person moves them between two lists (two in-place updates).
    const roles = [...new Set(args.members.flatMap((m) => (m.role ? [m.role] : [])))].sort();
    for (const role of roles) {
      this.memberships[role] = new WorkspaceMembership(
        `${name}-${role}s`,
        {
          workspaceId: args.workspaceId,
          role,
          userIds: users.filter((u) => u.member.role === role).map((u) => u.user.userId),
        },
        { parent: this },
      );
    }
    this.userIds = pulumi.output(Object.fromEntries(users.map((u) => [u.member.account, u.user.userId])));
    this.registerOutputs({ userIds: this.userIds });
  }
}

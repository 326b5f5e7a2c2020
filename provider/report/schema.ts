/**
 * The machine-readable access report: one entry per membership resource whose access changes. The provider logs each
 * entry as one line `quickbi-access-report: <JSON>`; `collectAccessReport` turns the log lines of a preview (or up)
 * back into these entries, for a CI job to post as a PR comment.
 */
import { z } from "zod";

export const REPORT_PREFIX = "quickbi-access-report: ";

export const MEMBERSHIP_TYPES = ["WorkspaceMembership", "WorkspaceMembers", "GroupMembership", "GroupMembers"] as const;
export type MembershipType = (typeof MEMBERSHIP_TYPES)[number];

/**
 * One user's change. Workspace roles are preset names (`viewer`) or, for custom roles, `role <id>` prefixed with the
 * workspace's name for it when Quick BI lists one (`Report Builder (role 1001)`); user groups use `member`. An addition has only `to`, a removal only `from`, a role change both.
 */
export const AccessChangeSchema = z.object({
  userId: z.string(),
  nickName: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});
export type AccessChange = z.infer<typeof AccessChangeSchema>;

/** Members an authoritative resource leaves in place although the program does not list them (the guards). */
export const KeptMemberSchema = z.object({
  userId: z.string(),
  nickName: z.string().optional(),
  role: z.string(),
  reason: z.enum(["workspace owner", "provider identity"]),
});
export type KeptMember = z.infer<typeof KeptMemberSchema>;

export const AccessReportEntrySchema = z.object({
  /** The resource's URN when the program registered it with this package; otherwise `<type> <resource id>`. */
  resource: z.string(),
  type: z.enum(MEMBERSHIP_TYPES),
  /** The resource's name in the program, when known. */
  name: z.string().optional(),
  operation: z.enum(["create", "update", "delete"]),
  workspaceId: z.string().optional(),
  userGroupId: z.string().optional(),
  changes: z.array(AccessChangeSchema),
  /** Inputs were not known yet (preview of values computed by other resources): the changes show at apply. */
  unknown: z.boolean().optional(),
  kept: z.array(KeptMemberSchema).optional(),
});
export type AccessReportEntry = z.infer<typeof AccessReportEntrySchema>;

export const AccessReportSchema = z.array(AccessReportEntrySchema);
export type AccessReport = z.infer<typeof AccessReportSchema>;

/**
 * An existing stack that adds Quick BI access next to what it already manages. Only the marked block is
 * pulumi-quickbi; the team comes from stack config:
 *
 *   pulumi config set quickbiWorkspaceId 5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01
 *   pulumi config set --path 'quickbiTeam[0]' '{"account":"corp@aliyun.com:nora","accountId":"2000000000000001","nickName":"Nora","type":"analyst","role":"viewer"}'
 *   (or copy examples/from-config/Pulumi.dev.yaml.example into the stack file)
 */
import * as pulumi from "@pulumi/pulumi";
import { QuickBITeam, TeamListSchema } from "./team";

const config = new pulumi.Config();

// ... the stack's existing resources (OSS buckets, RDS, RAM users, ...) would be declared here ...

// ---- Quick BI access (pulumi-quickbi) ----
const team = TeamListSchema.safeParse(config.requireObject<unknown>("quickbiTeam"));
if (!team.success) {
  throw new pulumi.RunError(
    `invalid stack config ${config.name}:quickbiTeam: ${team.error.issues.map((i) => `[${i.path.join(".")}] ${i.message}`).join("; ")}`,
  );
}
const analytics = new QuickBITeam("analytics", {
  workspaceId: config.require("quickbiWorkspaceId"),
  members: team.data,
});

export const quickbiUserIds = analytics.userIds;
export const quickbiMemberships = pulumi.output(
  Object.fromEntries(Object.entries(analytics.memberships).map(([role, m]) => [role, m.userIds])),
);

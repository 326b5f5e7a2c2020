/**
 * The resource kinds the serialized shim can name. The shim captures one of these strings by value; the runtime maps
 * it to a handler. Kept as plain strings (not an enum object) so the serialized text stays free of module captures.
 */
export const RESOURCE_KINDS = [
  "user",
  "workspaceMembership",
  "groupMembership",
  "workspaceMembers",
  "groupMembers",
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** The `type` half of each resource's token: `pulumi-nodejs:dynamic/quickbi:<type>`. */
export const TYPE_MODULE = "quickbi";
export const TYPE_NAMES: Readonly<Record<ResourceKind, string>> = {
  user: "QuickBIUser",
  workspaceMembership: "WorkspaceMembership",
  groupMembership: "GroupMembership",
  workspaceMembers: "WorkspaceMembers",
  groupMembers: "GroupMembers",
};

export function isResourceKind(v: unknown): v is ResourceKind {
  return typeof v === "string" && (RESOURCE_KINDS as readonly string[]).includes(v);
}

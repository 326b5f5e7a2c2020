/** `getUserGroup({name})`: a user group by its exact name (GetUserGroupInfo keyword search; the tree for suggestions). */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { QuickBICaller } from "../api/call";
import { getUserGroupInfo, queryUserGroupListByParentId, ROOT_USER_GROUP_ID, type Usergroup } from "../api/operations";
import { parseArgs } from "./args";
import { closeMatches } from "./closeMatches";
import { lookupClient, type LookupOptions } from "./client";
import { LookupAmbiguousError, LookupNotFoundError } from "./errors";

/** Quick BI allows ten levels; the walk for suggestions also stops after this many groups. */
const MAX_DEPTH = 10;
const MAX_GROUPS = 10_000;

export const GetUserGroupArgsSchema = z.object({
  name: z.string().trim().min(1, "set name: the user group name"),
  /** Pick among groups of the same name under different parents. */
  parentUserGroupId: z.string().trim().min(1).optional(),
});
export type GetUserGroupArgs = z.input<typeof GetUserGroupArgsSchema>;

export const UserGroupLookupSchema = z.object({
  userGroupId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  /** `-1` for a top-level group. */
  parentUserGroupId: z.string().optional(),
  /** Quick BI's id path from the root, when it reports one. */
  identifiedPath: z.string().optional(),
});
export type UserGroupLookup = z.infer<typeof UserGroupLookupSchema>;

function toLookup(g: Usergroup): UserGroupLookup {
  return UserGroupLookupSchema.parse({
    userGroupId: g.UsergroupId,
    name: g.UsergroupName,
    description: g.UsergroupDesc || undefined,
    parentUserGroupId: g.ParentUsergroupId || undefined,
    identifiedPath: g.IdentifiedPath || undefined,
  });
}

/** Every group name in the tree (breadth first, bounded). */
async function allGroupNames(c: QuickBICaller): Promise<string[]> {
  const names: string[] = [];
  let level = [ROOT_USER_GROUP_ID];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0 && names.length < MAX_GROUPS; depth++) {
    const next: string[] = [];
    for (const parent of level) {
      for (const g of await queryUserGroupListByParentId(c, { parentUserGroupId: parent })) {
        names.push(g.UserGroupName);
        next.push(g.UserGroupId);
      }
    }
    level = next;
  }
  return names;
}

export async function getUserGroup(args: GetUserGroupArgs, opts: LookupOptions = {}): Promise<UserGroupLookup> {
  const { name, parentUserGroupId } = parseArgs("getUserGroup", GetUserGroupArgsSchema, args);
  const c = await lookupClient(opts);
  const hits = await getUserGroupInfo(c, { keyword: name });
  const exact = hits.filter(
    (g) => g.UsergroupName === name && (parentUserGroupId === undefined || g.ParentUsergroupId === parentUserGroupId),
  );
  if (exact.length === 1) return toLookup(exact[0]);
  if (exact.length > 1) {
    throw new LookupAmbiguousError(
      "user group",
      name,
      exact.map((g) => `${g.UsergroupId} under parent ${g.ParentUsergroupId ?? "?"}`),
      "Pass parentUserGroupId to choose, or use the user group id directly.",
    );
  }
  const pool = hits.length > 0 ? hits.map((g) => g.UsergroupName) : await allGroupNames(c);
  throw new LookupNotFoundError(
    "user group",
    name,
    closeMatches(name, pool),
    undefined,
    parentUserGroupId !== undefined ? `(searched under parent ${parentUserGroupId} only)` : undefined,
  );
}

export function getUserGroupOutput(
  args: { readonly name: pulumi.Input<string>; readonly parentUserGroupId?: pulumi.Input<string> },
  opts: LookupOptions = {},
): pulumi.Output<UserGroupLookup> {
  return pulumi.output(args).apply((a) => getUserGroup(a, opts));
}

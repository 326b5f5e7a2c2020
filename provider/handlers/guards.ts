/**
 * The guards of the authoritative resources. An authoritative resource removes whoever the program does not list, so
 * it must not lock people out by accident:
 * - the workspace owner and the identity the provider runs as (`quickbi:callerUserId`) are never removed: when the
 *   program does not list them they are kept at their current role (reported as "kept");
 * - nor demoted: a program that lists them with a lower role is refused;
 * - a change that would leave a workspace without an admin is refused.
 * Refusals fail the preview (diff/check) and the apply (create/update/delete) before any write.
 */
import { WORKSPACE_ROLES } from "../api/roles";
import { roleLabel } from "../report/changes";
import type { KeptMember } from "../report/schema";

export const ADMIN_ROLE_ID = WORKSPACE_ROLES.admin;

/** Rank of preset roles; custom roles rank below every preset one (their permissions are unknown here). */
const RANK: Readonly<Record<number, number>> = {
  [WORKSPACE_ROLES.admin]: 4,
  [WORKSPACE_ROLES.developer]: 3,
  [WORKSPACE_ROLES.analyst]: 2,
  [WORKSPACE_ROLES.viewer]: 1,
};

export function isDemotion(from: number, to: number): boolean {
  if (from === to) return false;
  return (RANK[to] ?? 0) <= (RANK[from] ?? 0);
}

export class AccessGuardError extends Error {
  constructor(
    readonly resource: string,
    readonly violations: readonly string[],
  ) {
    super(`${resource}: refused, nothing was changed:\n${violations.map((v) => `  - ${v}`).join("\n")}`);
    this.name = "AccessGuardError";
  }
}

/** Who must stay, and why. `callerUserId` comes from `quickbi:callerUserId` / `QUICKBI_CALLER_USER_ID`. */
export function protectedUsers(
  ownerUserId: string | undefined,
  callerUserId: string | undefined,
): Map<string, KeptMember["reason"]> {
  const out = new Map<string, KeptMember["reason"]>();
  if (callerUserId) out.set(callerUserId, "provider identity");
  if (ownerUserId) out.set(ownerUserId, "workspace owner");
  return out;
}

export interface WorkspacePlan {
  /** Every member now (userId → role id). */
  readonly before: ReadonlyMap<string, number>;
  /** Every member after the apply. */
  readonly after: ReadonlyMap<string, number>;
  /** Protected members the program does not list, left at their role. */
  readonly kept: readonly { userId: string; roleId: number; reason: KeptMember["reason"] }[];
  readonly violations: readonly string[];
}

/** What making the workspace's members exactly `declared` means, given who is there now. */
export function planWorkspace(
  workspaceId: string,
  declared: ReadonlyMap<string, number>,
  before: ReadonlyMap<string, number>,
  guarded: ReadonlyMap<string, KeptMember["reason"]>,
): WorkspacePlan {
  const after = new Map(declared);
  const kept: WorkspacePlan["kept"][number][] = [];
  const violations: string[] = [];
  for (const [userId, reason] of guarded) {
    const now = before.get(userId);
    if (now === undefined) continue;
    const want = declared.get(userId);
    if (want === undefined) {
      after.set(userId, now);
      kept.push({ userId, roleId: now, reason });
    } else if (isDemotion(now, want)) {
      violations.push(
        `${userId} is the ${reason} and holds ${roleLabel(now)} in workspace ${workspaceId}; the program would make ` +
          `them ${roleLabel(want)}. The guard never demotes the ${reason}: list them as ${roleLabel(now)} (or leave them out).`,
      );
      after.set(userId, now);
    }
  }
  if (![...after.values()].includes(ADMIN_ROLE_ID)) {
    violations.push(
      `workspace ${workspaceId} would be left without an admin (role ${ADMIN_ROLE_ID}). List at least one member as "admin".`,
    );
  }
  return { before, after, kept, violations };
}

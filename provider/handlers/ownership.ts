/**
 * Who owns what within one stack. The engine checks every resource of a deployment in the one provider host process
 * before it applies it, so the claims made in `check` describe the live resources of the program:
 * - an authoritative resource owns its whole workspace or user group: any other membership resource on it is refused;
 * - an additive resource owns the (workspace or group, user) pairs it lists: a second one listing the same pair is
 *   refused, whatever the scheduling (two resources granting one membership would lose it when either is dropped);
 * - a QuickBIUser owns its account, and, once created or adopted, its user id.
 * A refusal is a check failure naming both resources, so it shows in `pulumi preview`. Deletes consult the claims: a
 * delete never removes a membership or a user that another live resource of the stack owns (a rename with
 * `adopt: true`, or a membership moved to another resource, keeps its access).
 *
 * Claims are keyed by the resource's URN (the hidden `__urn` input) and replaced when the same resource is checked
 * again; they live for the host process (one deployment under the CLI) until the resource's delete — except the
 * delete half of a replace, whose new claim stands. Resources without a URN are not tracked.
 */
import { listed } from "../api/bounded";
import type { CheckFailure } from "./checkFields";

export type ClaimMode = "authoritative" | "additive";
export type TargetKind = "workspace" | "user group";
export interface Target {
  readonly kind: TargetKind;
  readonly id: string;
}

interface TargetClaim {
  readonly urn: string;
  readonly mode: ClaimMode;
  readonly target: Target;
  /** Additive claims: the users listed (the known ones; unknown entries are claimed once known). */
  readonly users: ReadonlySet<string>;
}

/**
 * `urn:pulumi:<stack>::<project>`: claims only ever meet within one stack. Under the CLI a host serves one stack
 * anyway; a test that shares a host between stacks must not see one stack's claims refuse another's.
 */
function stackOf(urn: string): string {
  return urn.split("::").slice(0, 2).join("::");
}

function targetKey(urn: string, t: Target): string {
  return `${stackOf(urn)}\u0000${t.kind}\u0000${t.id}`;
}

function scoped(urn: string, key: string): string {
  return `${stackOf(urn)}\u0000${key}`;
}

/** `WorkspaceMembership "team-a"`, from the URN's type and name segments. */
export function resourceLabel(urn: string): string {
  const type = urn.split("::")[2] ?? "";
  return `${type.slice(type.lastIndexOf(":") + 1)} "${urn.slice(urn.lastIndexOf("::") + 2)}"`;
}

export class Ownership {
  readonly #byTarget = new Map<string, Map<string, TargetClaim>>();
  readonly #targetOf = new Map<string, TargetClaim>();
  readonly #accounts = new Map<string, string>();
  readonly #userIds = new Map<string, string>();
  readonly #replacing = new Set<string>();

  /**
   * Registers a membership resource's claim on a target. Returns a failure (on `property`) when it collides with
   * another resource's claim.
   */
  claimTarget(
    urn: string | undefined,
    mode: ClaimMode,
    target: Target,
    users: readonly string[],
    property: string,
  ): CheckFailure[] {
    if (urn === undefined) return [];
    const previous = this.#targetOf.get(urn);
    if (previous !== undefined) this.#byTarget.get(targetKey(urn, previous.target))?.delete(urn);
    const mine: TargetClaim = { urn, mode, target, users: new Set(users) };
    this.#targetOf.set(urn, mine);
    const claims = this.#byTarget.get(targetKey(urn, target)) ?? new Map<string, TargetClaim>();
    this.#byTarget.set(targetKey(urn, target), claims);
    claims.set(urn, mine);
    for (const other of claims.values()) {
      if (other.urn === urn) continue;
      const reason = collision(mine, other);
      if (reason !== undefined) return [{ property, reason }];
    }
    return [];
  }

  /** The engine will delete and re-create this resource (a replace): its delete must keep the new claim. */
  replacing(urn: string | undefined): void {
    if (urn !== undefined) this.#replacing.add(urn);
  }

  /** After a resource's delete: its claims end, unless the delete was the first half of a replace. */
  deleted(urn: string | undefined): void {
    if (urn === undefined) return;
    if (this.#replacing.delete(urn)) return;
    const claim = this.#targetOf.get(urn);
    if (claim !== undefined) {
      this.#targetOf.delete(urn);
      this.#byTarget.get(targetKey(urn, claim.target))?.delete(urn);
    }
    for (const [k, v] of this.#accounts) if (v === urn) this.#accounts.delete(k);
    for (const [k, v] of this.#userIds) if (v === urn) this.#userIds.delete(k);
  }

  /** A QuickBIUser's claim on its account (`accountId` or `accountName`, as declared). */
  claimAccount(urn: string | undefined, account: string, property: string): CheckFailure[] {
    if (urn === undefined) return [];
    const key = scoped(urn, account);
    const other = this.#accounts.get(key);
    if (other !== undefined && other !== urn) {
      return [
        {
          property,
          reason:
            `${resourceLabel(other)} already manages the Quick BI user of account ${JSON.stringify(account)}; two ` +
            `resources for one user would undo each other. Keep one (to rename a resource, use the \`aliases\` option).`,
        },
      ];
    }
    this.#accounts.set(key, urn);
    return [];
  }

  /** Records the user id a QuickBIUser created or adopted. */
  ownUser(urn: string | undefined, userId: string): void {
    if (urn !== undefined) this.#userIds.set(scoped(urn, userId), urn);
  }

  /** The live resource (other than `urn`) that owns this Quick BI user, if any. */
  userOwner(urn: string | undefined, userId: string, account?: string): string | undefined {
    // Without its own URN (state written before 0.2) a delete cannot tell itself from another claimant: it proceeds.
    if (urn === undefined) return undefined;
    const byId = this.#userIds.get(scoped(urn, userId));
    if (byId !== undefined && byId !== urn) return byId;
    const byAccount = account === undefined ? undefined : this.#accounts.get(scoped(urn, account));
    return byAccount !== undefined && byAccount !== urn ? byAccount : undefined;
  }

  /** For each of `users` that another live resource owns on `target`: that resource's URN. */
  membershipOwners(urn: string | undefined, target: Target, users: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    if (urn === undefined) return out;
    const claims = this.#byTarget.get(targetKey(urn, target));
    if (claims === undefined) return out;
    for (const c of claims.values()) {
      if (c.urn === urn) continue;
      for (const u of users) if (c.mode === "authoritative" || c.users.has(u)) out.set(u, c.urn);
    }
    return out;
  }
}

function collision(mine: TargetClaim, other: TargetClaim): string | undefined {
  const { kind, id } = mine.target;
  if (mine.mode === "authoritative" && other.mode === "authoritative") {
    return (
      `${resourceLabel(other.urn)} already manages the exact members of ${kind} ${id}; two authoritative resources on ` +
      `one ${kind} would remove each other's members. Merge them into one.`
    );
  }
  if (mine.mode === "authoritative" || other.mode === "authoritative") {
    const [auth, add] = mine.mode === "authoritative" ? [mine, other] : [other, mine];
    return (
      `${kind} ${id} is managed authoritatively by ${resourceLabel(auth.urn)} and additively by ` +
      `${resourceLabel(add.urn)}. Do not mix them: the authoritative resource removes members the additive one grants ` +
      `on every update. Move those members into the authoritative resource and delete the additive one.`
    );
  }
  const shared = [...mine.users].filter((u) => other.users.has(u));
  if (shared.length === 0) return undefined;
  return (
    `${resourceLabel(other.urn)} already grants ${shared.length === 1 ? `user ${shared[0]}` : `users ${listed(shared)}`} ` +
    `on ${kind} ${id}. One membership must belong to one resource: when either resource is removed the user would ` +
    `lose access the other still declares. Remove the user from one of them.`
  );
}

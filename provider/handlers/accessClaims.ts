/**
 * Detects authoritative and additive membership resources used on the same workspace or user group in one stack.
 * Every membership resource claims its target in `check`; the Pulumi engine checks every resource of a deployment in
 * the one provider host process before it applies anything, so a second resource that conflicts with a claim fails
 * its check with a message naming both. A claim is keyed by the resource's URN (the hidden `__urn` input) and moves
 * when the resource moves to another target; resources without a URN (registered by other means) are not tracked.
 */
import type { CheckFailure } from "./checkFields";

export type ClaimMode = "authoritative" | "additive";
export type ClaimTarget = { readonly kind: "workspace"; readonly id: string } | { readonly kind: "user group"; readonly id: string };

interface Claim {
  readonly urn: string;
  readonly mode: ClaimMode;
  readonly target: ClaimTarget;
}

const byTarget = new Map<string, Map<string, Claim>>();
const byUrn = new Map<string, Claim>();

function key(t: ClaimTarget): string {
  return `${t.kind}\u0000${t.id}`;
}

function nameOf(urn: string): string {
  const type = urn.split("::")[2] ?? "";
  return `${type.slice(type.lastIndexOf(":") + 1)} "${urn.slice(urn.lastIndexOf("::") + 2)}"`;
}

/** Registers the claim; returns a check failure when it conflicts with another resource's claim on the same target. */
export function claim(urn: string | undefined, mode: ClaimMode, target: ClaimTarget, property: string): CheckFailure[] {
  if (urn === undefined) return [];
  const previous = byUrn.get(urn);
  if (previous !== undefined) byTarget.get(key(previous.target))?.delete(urn);
  const mine: Claim = { urn, mode, target };
  byUrn.set(urn, mine);
  const claims = byTarget.get(key(target)) ?? new Map<string, Claim>();
  byTarget.set(key(target), claims);
  claims.set(urn, mine);
  const others = [...claims.values()].filter((c) => c.urn !== urn && (c.mode === "authoritative" || mode === "authoritative"));
  if (others.length === 0) return [];
  const other = others[0];
  const reason =
    mode === "authoritative" && other.mode === "authoritative"
      ? `${nameOf(other.urn)} already manages the exact members of ${target.kind} ${target.id}; two authoritative ` +
        `resources on one ${target.kind} would remove each other's members. Merge them into one.`
      : `${target.kind} ${target.id} is managed authoritatively by ` +
        `${nameOf(mode === "authoritative" ? urn : other.urn)} and additively by ` +
        `${nameOf(mode === "authoritative" ? other.urn : urn)}. Do not mix them: the authoritative resource removes ` +
        `members the additive one grants on every update. Move those members into the authoritative resource and ` +
        `delete the additive one.`;
  return [{ property, reason }];
}

/** Forgets a resource's claim (after its delete). */
export function release(urn: string | undefined): void {
  if (urn === undefined) return;
  const previous = byUrn.get(urn);
  if (previous === undefined) return;
  byUrn.delete(urn);
  byTarget.get(key(previous.target))?.delete(urn);
}

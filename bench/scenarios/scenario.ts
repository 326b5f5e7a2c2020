/**
 * What a bench scenario is: a program at each stage (with the package's resources or the null provider's), the phases
 * run in order, and the access Quick BI must hold after each stage (for the convergence check and the lower bound).
 */
import type { GroupMembershipArgs, WorkspaceMembershipArgs } from "../../provider";
import type { PhaseName, ScenarioName } from "../results";

/**
 * Quick BI access as the bench sees it: `ws:<workspaceId>:<userId>` → role id, `grp:<userGroupId>:<userId>` → true.
 * Only the bench's users; the seeded owner is left out.
 */
export type Access = Map<string, number | true>;

export interface PhaseSpec {
  readonly name: PhaseName;
  readonly op: "up" | "refresh" | "destroy";
  /** The program's stage for an `up`; the stage Quick BI holds after the phase (undefined after destroy). */
  readonly stage: string | undefined;
}

/** The two resource classes a program declares, from the package or from the null provider. */
export interface MembershipClasses {
  WorkspaceMembership: new (name: string, args: WorkspaceMembershipArgs) => unknown;
  GroupMembership: new (name: string, args: GroupMembershipArgs) => unknown;
}

export interface Scenario {
  readonly name: ScenarioName;
  /** One line for tables and README. */
  readonly title: string;
  readonly phases: readonly PhaseSpec[];
  /** Declares the stage's resources (inside a Pulumi program). */
  declare(users: number, stage: string, classes: MembershipClasses): void;
  /** What Quick BI holds after a stage (bench users only); empty for undefined (destroyed). */
  access(users: number, stage: string | undefined): Access;
  /** Resources the program of the first stage declares. */
  resources(users: number): number;
}

export function wsKey(workspace: string, user: string): string {
  return `ws:${workspace}:${user}`;
}
export function groupKey(group: string, user: string): string {
  return `grp:${group}:${user}`;
}

/** Splits an access key into its kind, target and user. */
export function parseKey(key: string): { kind: "ws" | "grp"; target: string; user: string } {
  const first = key.indexOf(":");
  const last = key.lastIndexOf(":");
  const kind = key.slice(0, first);
  if (kind !== "ws" && kind !== "grp") throw new Error(`not an access key: ${key}`);
  return { kind, target: key.slice(first + 1, last), user: key.slice(last + 1) };
}

export const ROLE_IDS = { admin: 25, developer: 26, analyst: 27, viewer: 30 } as const;
export type PresetRole = keyof typeof ROLE_IDS;

/** The stage names a scenario declares, checked at the boundary (program workers receive plain strings). */
export function requireStage<S extends string>(stages: readonly S[], stage: string): S {
  if (!(stages as readonly string[]).includes(stage))
    throw new Error(`unknown stage "${stage}" (expected ${stages.join(", ")})`);
  return stage as S;
}

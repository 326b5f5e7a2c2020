/**
 * The bench's scenarios by name, and the program entry the offline driver's program worker loads
 * (`declareStage`, a plain function of strings and numbers: a worker receives structured-cloned arguments).
 */
import * as quickbi from "../../provider";
import { NullGroupMembership, NullWorkspaceMembership } from "../null/resources";
import type { ProgramProvider, ScenarioName } from "../results";
import { access } from "./access";
import { oneUser, oneUserAsLists } from "./oneUser";
import type { MembershipClasses, Scenario } from "./scenario";

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  "one-user": oneUser,
  "one-user-lists": oneUserAsLists,
  access,
};

export function classesOf(provider: ProgramProvider): MembershipClasses {
  return provider === "null"
    ? { WorkspaceMembership: NullWorkspaceMembership, GroupMembership: NullGroupMembership }
    : { WorkspaceMembership: quickbi.WorkspaceMembership, GroupMembership: quickbi.GroupMembership };
}

/** The stage's program body: what both engines run (inline on the CLI, in a program worker on the driver). */
export function declareStage(scenario: ScenarioName, users: number, stage: string, provider: ProgramProvider): void {
  SCENARIOS[scenario].declare(users, stage, classesOf(provider));
}

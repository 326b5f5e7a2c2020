/**
 * The issue-18 scenario: N one-user WorkspaceMemberships, user i a viewer of workspace i mod 10. Phases: create, every
 * user's role viewer → analyst, a no-op refresh, destroy. The shape a team gets when it declares one resource per
 * person; its list-form twin (the same users as 10 `userIds` memberships) is the "one-user vs list" guidance.
 */
import { userId, workspaceId, WORKSPACES } from "../scenario";
import { requireStage, ROLE_IDS, wsKey, type Access, type Scenario } from "./scenario";

const STAGES = ["initial", "roles-changed"] as const;

function roleOf(stage: (typeof STAGES)[number]): "viewer" | "analyst" {
  return stage === "initial" ? "viewer" : "analyst";
}

export const oneUser: Scenario = {
  name: "one-user",
  title: "N one-user WorkspaceMemberships in 10 workspaces (issue 18)",
  phases: [
    { name: "create", op: "up", stage: "initial" },
    { name: "change-roles", op: "up", stage: "roles-changed" },
    { name: "refresh", op: "refresh", stage: "roles-changed" },
    { name: "destroy", op: "destroy", stage: undefined },
  ],
  declare(users, stage, classes) {
    const role = roleOf(requireStage(STAGES, stage));
    for (let i = 0; i < users; i++) {
      new classes.WorkspaceMembership(`m-${i}`, { workspaceId: workspaceId(i % WORKSPACES), userId: userId(i), role });
    }
  },
  access(users, stage) {
    const out: Access = new Map();
    if (stage === undefined) return out;
    const role = ROLE_IDS[roleOf(requireStage(STAGES, stage))];
    for (let i = 0; i < users; i++) out.set(wsKey(workspaceId(i % WORKSPACES), userId(i)), role);
    return out;
  },
  resources: (users) => users,
};

/** The same memberships in list form: one `userIds` WorkspaceMembership per workspace. */
export const oneUserAsLists: Scenario = {
  name: "one-user-lists",
  title: "the same N memberships as 10 list-form WorkspaceMemberships (userIds)",
  phases: oneUser.phases,
  declare(users, stage, classes) {
    const role = roleOf(requireStage(STAGES, stage));
    for (let k = 0; k < WORKSPACES; k++) {
      const members: string[] = [];
      for (let i = k; i < users; i += WORKSPACES) members.push(userId(i));
      if (members.length > 0)
        new classes.WorkspaceMembership(`team-${k}`, { workspaceId: workspaceId(k), userIds: members, role });
    }
  },
  access: oneUser.access,
  resources: (users) => Math.min(users, WORKSPACES),
};

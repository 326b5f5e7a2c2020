import type { Handler } from "../../../provider/handlers/handler";
import { createGroupMembershipHandler } from "../../../provider/handlers/groupMembership";
import { createUserHandler } from "../../../provider/handlers/user";
import { createWorkspaceMembershipHandler } from "../../../provider/handlers/workspaceMembership";

/** check and diff must never reach Quick BI. */
const noServices = () => {
  throw new Error("check/diff must not call Quick BI");
};

export const userHandler: Handler = createUserHandler(noServices);
export const workspaceHandler: Handler = createWorkspaceMembershipHandler(noServices);
export const groupHandler: Handler = createGroupMembershipHandler(noServices);

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

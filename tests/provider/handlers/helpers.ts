import { createMembershipContext } from "../../../provider/handlers/context";
import { createGroupMembershipHandler } from "../../../provider/handlers/groupMembership";
import type { Handler } from "../../../provider/handlers/handler";
import { createUserHandler } from "../../../provider/handlers/user";
import { createWorkspaceMembershipHandler } from "../../../provider/handlers/workspaceMembership";
import type { EngineLog } from "../../../provider/report/engineLog";

/** check and diff must never wait for Quick BI: any service use fails (a background name listing may try and fail). */
const noServices = () => {
  throw new Error("check/diff must not call Quick BI");
};

/** Report lines, as the engine would receive them. */
export const logged: { severity: string; message: string; urn?: string }[] = [];
const log: EngineLog = { log: (severity, message, urn) => logged.push({ severity, message, urn }) };

export const ctx = () => createMembershipContext({ services: noServices, log: () => log });

export const userHandler: Handler = createUserHandler(ctx());
export const workspaceHandler: Handler = createWorkspaceMembershipHandler(ctx());
export const groupHandler: Handler = createGroupMembershipHandler(ctx());

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

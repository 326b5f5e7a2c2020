import { roleActions } from "./actions/roles";
import { userActions } from "./actions/users";
import { userGroupActions } from "./actions/userGroups";
import { workspaceActions } from "./actions/workspaces";
import type { ActionHandler } from "./actions/action";

export type { ActionHandler, ActionOutcome, CallContext } from "./actions/action";
export { formatTime } from "./actions/shapes";

/**
 * The action table (docs/ARCHITECTURE.md, "emulator model <-> HTTP layer"): for each Quick BI action, parse the wire
 * params, call the model, and shape the documented `Result`. Handlers are synchronous and run one at a time. The
 * handlers live per area in `actions/`.
 */
export const actions: Record<string, ActionHandler> = {
  ...userActions,
  ...workspaceActions,
  ...roleActions,
  ...userGroupActions,
};

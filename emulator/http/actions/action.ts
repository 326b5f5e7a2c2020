import type { Organization } from "../../model/organization";
import { wire } from "../params";
import type { ActionName, ResultOf } from "../results";

export interface CallContext {
  /** The Quick BI user the access key acts as; undefined = the organization owner's console. */
  callerUserId?: string;
}

/** The documented batch answer `{Success: false, Result}`: the request failed and nothing was persisted. */
export interface ActionOutcome<R = unknown> {
  success: false;
  result: R;
}

export type ActionHandler = (org: Organization, params: Record<string, string>, ctx: CallContext) => unknown;

type TypedHandler<A extends ActionName> = (
  org: Organization,
  params: Record<string, string>,
  ctx: CallContext,
) => ResultOf<A> | ActionOutcome<ResultOf<A>>;

/** Every action first checks the caller (`User.Not.In.Organization`, `Invalid.User.Admin`), as the service does. */
export function action<A extends ActionName>(handler: TypedHandler<A>): ActionHandler {
  return (org, params, ctx) => {
    org.authorizeCaller(ctx.callerUserId);
    return handler(org, params, ctx);
  };
}

/** `PageNum` / `PageSize` of every paged list. */
export const paging = { PageNum: wire.pageNum(), PageSize: wire.pageSize() };

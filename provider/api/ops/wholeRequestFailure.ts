/**
 * AddWorkspaceUsers / UpdateWorkspaceUsersRole and a per-user problem that fails the whole request. The pages list
 * per-user codes (`Viewer.AddInTo.Workspace`, `User.Not.In.Organization`, `User.AlreadyIn.Workspace`, ...) in their
 * error tables, so Quick BI may answer one user's problem with an error for the whole batch, applying nobody
 * (emulator quirk `batch-errors-whole-request`). Then: one read finds the users that code is about, they fail with
 * it, and the others are sent again. Users no read can explain get one call each, so every user still gets its own
 * outcome and a batch is never failed as a whole for one member.
 */
import { isQuickBIApiError, type QuickBIApiError } from "../errors";
import type { BatchResult } from "./batch";

export type BatchAction = "AddWorkspaceUsers" | "UpdateWorkspaceUsersRole";

/** The reads that explain a whole-request failure; each is made at most once per batch (nothing was applied). */
export interface Reader {
  /** Members of the workspace (user ids). */
  members(): Promise<ReadonlySet<string>>;
  /** The workspace's owner, when it can be read. */
  owner(): Promise<string | undefined>;
  /** UserType of every user of the organization. */
  userTypes(): Promise<ReadonlyMap<string, number>>;
}

const USER_TYPE_VIEWER = 2;
const USER_TYPE_ANALYST = 3;

/** Per-user codes, and how to tell from one read which users a whole-request failure is about. */
type Finder = (users: readonly string[], read: Reader) => Promise<ReadonlySet<string>>;

const byUserType =
  (test: (type: number | undefined) => boolean): Finder =>
  async (users, read) => {
    const types = await read.userTypes();
    return new Set(users.filter((u) => test(types.get(u))));
  };

const FINDERS: Readonly<Record<string, Finder>> = {
  "User.Not.In.Organization": byUserType((t) => t === undefined),
  "Invalid.User.Organization": byUserType((t) => t === undefined),
  "Viewer.AddInTo.Workspace": byUserType((t) => t === USER_TYPE_VIEWER),
  "Viewer.CannotHave.CustomRole": byUserType((t) => t === USER_TYPE_VIEWER),
  "AnalystUser.NotSupport.AdminOrDevRole": byUserType((t) => t === USER_TYPE_ANALYST),
  "UserAnalyst.NotSupport.ThisRole": byUserType((t) => t === USER_TYPE_ANALYST),
  "User.AlreadyIn.Workspace": async (users, read) => inSet(users, await read.members()),
  "User.AlreadyIn.Role": async (users, read) => inSet(users, await read.members()),
  AE0150010001: async (users, read) => inSet(users, await read.members()),
  "User.NotIn.Workspace": async (users, read) => notInSet(users, await read.members()),
  AE0150010004: async (users, read) => notInSet(users, await read.members()),
  "Remove.AdminRoleOf.WorkspaceOwner": async (users, read) => {
    const owner = await read.owner();
    return new Set(users.filter((u) => u === owner));
  },
};

const inSet = (users: readonly string[], set: ReadonlySet<string>) => new Set(users.filter((u) => set.has(u)));
const notInSet = (users: readonly string[], set: ReadonlySet<string>) => new Set(users.filter((u) => !set.has(u)));

/** A whole-request failure that names one member's problem (as opposed to the workspace, the role or the caller). */
export function isPerUserFailure(e: unknown): e is QuickBIApiError {
  return isQuickBIApiError(e) && !e.outcomeUnknown && Object.prototype.hasOwnProperty.call(FINDERS, e.code);
}

/** At most this many rounds of "find, set aside, send the rest" before the rest go one call each. */
const MAX_ROUNDS = 8;

export interface Isolation {
  readonly read: Reader;
  /** Sends the batch for these users; throws like the batch action does. */
  readonly send: (users: readonly string[]) => Promise<BatchResult>;
  /** The single-user form (AddUserToWorkspace / UpdateWorkspaceUserRole) for one user. */
  readonly sendOne: (userId: string) => Promise<void>;
}

/** Settles every user of a batch whose first answer was `first`, a whole-request failure about some member. */
export async function settleWholeRequestFailure(
  users: readonly string[],
  first: QuickBIApiError,
  io: Isolation,
): Promise<BatchResult> {
  const failureDetail: Record<string, string> = {};
  let pending = [...users];
  let err: QuickBIApiError = first;
  let requestId = first.requestId;
  let success = 0;
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round++) {
    const offenders = await FINDERS[err.code]!(pending, io.read);
    if (offenders.size === 0) break;
    for (const u of offenders) failureDetail[u] = `${err.code}: ${err.detail}`;
    pending = pending.filter((u) => !offenders.has(u));
    if (pending.length === 0) break;
    try {
      const r = await io.send(pending);
      // Per-user answers from here on; a fully failed resend still names its users.
      Object.assign(failureDetail, r.failureDetail);
      success += r.requestSucceeded ? r.success : 0;
      if (!r.requestSucceeded)
        for (const u of pending)
          failureDetail[u] ??= `${r.code ?? "Unsuccessful"}: ${r.message ?? "nothing was applied"}`;
      requestId = r.requestId ?? requestId;
      pending = [];
    } catch (e) {
      if (!isPerUserFailure(e)) throw e;
      err = e;
      requestId = e.requestId ?? requestId;
    }
  }
  // What no read explained: one call per user, each answering for itself.
  for (const u of pending) {
    try {
      await io.sendOne(u);
      success++;
    } catch (e) {
      if (!isQuickBIApiError(e)) throw e;
      failureDetail[u] = `${e.code}: ${e.detail}`;
    }
  }
  return {
    total: users.length,
    success,
    failure: users.length - success,
    failureDetail,
    requestSucceeded: true,
    ...(requestId ? { requestId } : {}),
  };
}

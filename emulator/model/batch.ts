import { failureDetailOf } from "./codes";
import { QuickBIError } from "./errors";
import type { BatchOutcome } from "./types";

/** One user's step of a batch: a documented FailureDetail value, or the change to apply for that user. */
export type BatchStep = string | (() => void);

/**
 * Runs a per-user batch (AddWorkspaceUsers, UpdateWorkspaceUsersRole): `step` returns a FailureDetail string, throws a
 * QuickBIError (reported as `"<Code>: <Message>"`), or returns the mutation to apply. Mutations run only after every
 * user was checked and only if at least one succeeded, so the counts always match the state.
 */
export function runBatch(ids: readonly string[], step: (userId: string) => BatchStep): BatchOutcome {
  const failureDetail: Record<string, string> = {};
  const apply: (() => void)[] = [];
  for (const id of ids) {
    try {
      const r = step(id);
      if (typeof r === "string") failureDetail[id] = r;
      else apply.push(r);
    } catch (e) {
      if (!(e instanceof QuickBIError)) throw e;
      failureDetail[id] = failureDetailOf(e);
    }
  }
  const applied = apply.length > 0;
  if (applied) for (const a of apply) a();
  return { applied, total: ids.length, success: apply.length, failure: ids.length - apply.length, failureDetail };
}

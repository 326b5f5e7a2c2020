import { failureDetailOf } from "./codes";
import { QuickBIError } from "./errors";
import type { BatchOutcome } from "./types";

/**
 * A per-user problem the pages document with its own FailureDetail value (`AE0150010001: This user already exists.`,
 * `AE0150010004: …`), and the error the same problem is when it fails the whole request instead.
 */
export interface DocumentedFailure {
  readonly detail: string;
  readonly asRequestError: () => QuickBIError;
}

/** One user's step of a batch: a documented failure, or the change to apply for that user. */
export type BatchStep = DocumentedFailure | (() => void);

export interface BatchRules {
  /**
   * The other reading of the pages (quirk `batch-errors-whole-request`): the first per-user problem fails the whole
   * request with its code and nobody is applied.
   */
  readonly wholeRequest: boolean;
  /** HTTP status the action's doc table gives a code (AddWorkspaceUsers lists some under 500). */
  readonly statusOf: (code: string) => number;
}

/**
 * Runs a per-user batch (AddWorkspaceUsers, UpdateWorkspaceUsersRole): `step` returns a documented failure, throws a
 * QuickBIError (reported as `"<Code>: <Message>"`), or returns the mutation to apply. Mutations run only after every
 * user was checked and only if at least one succeeded, so the counts always match the state.
 */
export function runBatch(ids: readonly string[], step: (userId: string) => BatchStep, rules: BatchRules): BatchOutcome {
  const failureDetail: Record<string, string> = {};
  const apply: (() => void)[] = [];
  for (const id of ids) {
    let r: BatchStep;
    try {
      r = step(id);
    } catch (e) {
      if (!(e instanceof QuickBIError)) throw e;
      if (rules.wholeRequest) throw withStatus(e, rules.statusOf(e.code));
      failureDetail[id] = failureDetailOf(e);
      continue;
    }
    if (typeof r === "function") apply.push(r);
    else if (rules.wholeRequest) throw r.asRequestError();
    else failureDetail[id] = r.detail;
  }
  const applied = apply.length > 0;
  if (applied) for (const a of apply) a();
  return { applied, total: ids.length, success: apply.length, failure: ids.length - apply.length, failureDetail };
}

function withStatus(e: QuickBIError, httpStatus: number): QuickBIError {
  return e.httpStatus === httpStatus ? e : new QuickBIError(e.code, e.message, httpStatus);
}

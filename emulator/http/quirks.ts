import { z } from "zod";
import { FAILURE_DETAIL } from "../model/codes";
import { QuickBIError } from "../model/errors";
import type { ModelRules } from "../model/rules";

/**
 * Quirks: the other plausible reading of a Quick BI page, one per name (emulator/README.md, "What the pages leave
 * open"). Each changes only what its name says. Two are rules of the model (what is applied); the others are wire
 * shapes and live here.
 */
export const QUIRK_NAMES = [
  "batch-errors-whole-request",
  "batch-all-failed-success-true",
  "failure-detail-literal-key",
  "failure-detail-as-string",
  "errors-http-500",
  "string-booleans",
  "legacy-accountname",
] as const;

export const QuirkSchema = z.enum(QUIRK_NAMES);
export type Quirk = z.infer<typeof QuirkSchema>;

export class UnknownQuirkError extends Error {
  constructor(readonly unknown: readonly string[]) {
    super(
      `unknown quirk${unknown.length > 1 ? "s" : ""} ${unknown.map((q) => `"${q}"`).join(", ")}; known quirks: ${QUIRK_NAMES.join(", ")}`,
    );
    this.name = "UnknownQuirkError";
  }
}

/** Validates quirk names (blank entries ignored, duplicates dropped); an unknown name throws `UnknownQuirkError`. */
export function parseQuirks(names: readonly string[]): Quirk[] {
  const given = names.map((n) => n.trim()).filter((n) => n !== "");
  const unknown = given.filter((n) => !QuirkSchema.safeParse(n).success);
  if (unknown.length > 0) throw new UnknownQuirkError(unknown);
  return QUIRK_NAMES.filter((q) => given.includes(q));
}

/** The quirks that are rules of the model. */
export function modelRulesOf(quirks: readonly Quirk[]): ModelRules {
  return {
    batchErrorsWholeRequest: quirks.includes("batch-errors-whole-request"),
    legacyAccountName: quirks.includes("legacy-accountname"),
  };
}

/** The two actions that answer `{Total, Success, Failure, FailureDetail}`. */
const BATCH_ACTIONS: ReadonlySet<string> = new Set(["AddWorkspaceUsers", "UpdateWorkspaceUsersRole"]);
/** The UpdateWorkspaceUsersRole page's sample keys its "not a member" entry by this literal (sic). */
export const NOT_MEMBER_LITERAL_KEY = "notExsistUserIds";

export interface AnswerBody {
  RequestId: string;
  Success: boolean | string;
  Result: unknown;
}

/** The wire-shape quirks, applied to what the server is about to send. */
export class WireQuirks {
  private readonly on: ReadonlySet<Quirk>;

  constructor(readonly quirks: readonly Quirk[]) {
    this.on = new Set(quirks);
  }

  /**
   * `batch-all-failed-success-true`: the documented "every user failed" answer `Success:false` becomes
   * `Success:true` with the same Result (Failure = Total). Nothing was applied either way.
   */
  successOfFailedBatch(): boolean {
    return this.on.has("batch-all-failed-success-true");
  }

  /** `errors-http-500`: a business error (raised by the action, not the gateway) answers HTTP 500. */
  actionError(e: QuickBIError): QuickBIError {
    if (!this.on.has("errors-http-500") || e.httpStatus === 500) return e;
    return new QuickBIError(e.code, e.message, 500);
  }

  /** `failure-detail-literal-key`, `failure-detail-as-string`, `string-booleans` on a 200 answer. */
  answer(action: string, body: AnswerBody): AnswerBody {
    let result = body.Result;
    if (BATCH_ACTIONS.has(action) && isRecord(result) && isRecord(result.FailureDetail)) {
      let detail: Record<string, unknown> = result.FailureDetail;
      if (this.on.has("failure-detail-literal-key") && action === "UpdateWorkspaceUsersRole")
        detail = literalKeyed(detail);
      result = { ...result, FailureDetail: this.on.has("failure-detail-as-string") ? JSON.stringify(detail) : detail };
    }
    let success: boolean | string = body.Success;
    if (this.on.has("string-booleans")) {
      success = String(success);
      if (typeof result === "boolean") result = String(result);
    }
    return { RequestId: body.RequestId, Success: success, Result: result };
  }
}

/** Every "not a member" entry under the one literal key, as the UpdateWorkspaceUsersRole sample shows it. */
function literalKeyed(detail: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detail)) {
    if (v === FAILURE_DETAIL.notMember) out[NOT_MEMBER_LITERAL_KEY] = v;
    else out[k] = v;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

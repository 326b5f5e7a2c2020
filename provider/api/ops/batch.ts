/** The `Result` of the two batch workspace actions, and one call of either. */
import { z } from "zod";
import type { QuickBICaller, Verify } from "../call";
import { parseResult } from "./invoke";
import { int } from "./shapes";

/**
 * `Result` of AddWorkspaceUsers / UpdateWorkspaceUsersRole. FailureDetail keys are opaque (the docs show user ids and
 * the literal `notExsistUserIds`), so callers must re-read membership rather than trust them.
 */
export const BatchResultSchema = z
  .object({
    Total: int,
    Success: int,
    Failure: int,
    // An object today; a JSON-encoded string in older doc renderings.
    FailureDetail: z
      .union([z.record(z.unknown()), z.string()])
      .nullish()
      .transform((v, ctx): Record<string, string> => {
        if (v === null || v === undefined || v === "") return {};
        let obj: unknown = v;
        if (typeof v === "string") {
          try {
            obj = JSON.parse(v);
          } catch {
            ctx.addIssue({ code: z.ZodIssueCode.custom, message: "FailureDetail is a string but not JSON" });
            return z.NEVER;
          }
        }
        if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: "FailureDetail is not an object" });
          return z.NEVER;
        }
        return Object.fromEntries(
          Object.entries(obj as Record<string, unknown>).map(([k, val]) => [
            k,
            typeof val === "string" ? val : JSON.stringify(val),
          ]),
        );
      }),
  })
  .transform((r) => ({ total: r.Total, success: r.Success, failure: r.Failure, failureDetail: r.FailureDetail }));

export interface BatchResult {
  readonly total: number;
  readonly success: number;
  readonly failure: number;
  readonly failureDetail: Record<string, string>;
  /** False when Quick BI answered the whole batch with `Success:false` (nothing persisted). */
  readonly requestSucceeded: boolean;
  readonly requestId?: string;
  /** Code/Message of a `Success:false` answer. */
  readonly code?: string;
  readonly message?: string;
}

/**
 * One call of a batch action. `Success:false` (the documented "nothing persisted") and an answer synthesized after a
 * lost response are both turned into a `BatchResult`, so callers handle one shape.
 */
export async function sendBatch(
  c: QuickBICaller,
  action: string,
  params: Record<string, string | number>,
  idempotent: boolean,
  verify: Verify | undefined,
): Promise<BatchResult> {
  const env = await c.callEnvelope(action, params, { idempotent, verify });
  if (env.synthesized) {
    const n = String(params.UserIds).split(",").length;
    return { total: n, success: n, failure: 0, failureDetail: {}, requestSucceeded: true };
  }
  if (!env.success) {
    // The documented "request failed, nothing persisted" answer. It may still carry a Result; if not, all failed.
    const parsed = BatchResultSchema.safeParse(env.result);
    const n = String(params.UserIds).split(",").length;
    const base = parsed.success ? parsed.data : { total: n, success: 0, failure: n, failureDetail: {} };
    return {
      ...base,
      success: 0,
      failure: base.total,
      requestSucceeded: false,
      requestId: env.requestId || undefined,
      code: env.code,
      message: env.message,
    };
  }
  const r = parseResult(action, BatchResultSchema, env.result, env.requestId);
  return { ...r, requestSucceeded: true, requestId: env.requestId || undefined };
}

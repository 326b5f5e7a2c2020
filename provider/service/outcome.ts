/**
 * Per-user results of membership writes. The service answers per user so the handlers can tell a partial batch from
 * a whole failure, and so request coalescing (several resources' users in one call) sits behind it.
 */
import { isQuickBIApiError } from "../api/errors";

export type MemberOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: string;
      /** Quick BI's message (without the code). */
      readonly message: string;
      readonly requestId?: string;
      /** The action that failed, when the failure came from one call. */
      readonly action?: string;
    };

export type MemberFailure = {
  readonly userId: string;
  readonly code: string;
  readonly message: string;
  readonly requestId?: string;
  readonly action?: string;
};

export type Outcomes = Map<string, MemberOutcome>;

export const OK: MemberOutcome = { ok: true };

/** The failure every user of a call gets when the call as a whole failed. */
export function failureOf(e: unknown): MemberOutcome {
  if (isQuickBIApiError(e)) {
    return { ok: false, code: e.code, message: e.detail, requestId: e.requestId, action: e.action };
  }
  // Not a Quick BI answer (a bug, or a programming error in a verify callback): surface it unchanged.
  throw e;
}

export function allWith(userIds: readonly string[], outcome: MemberOutcome): Outcomes {
  return new Map(userIds.map((u) => [u, outcome]));
}

export function failures(outcomes: Outcomes): MemberFailure[] {
  const out: MemberFailure[] = [];
  for (const [userId, o] of outcomes)
    if (!o.ok) out.push({ userId, code: o.code, message: o.message, requestId: o.requestId, action: o.action });
  return out;
}

export function applied(outcomes: Outcomes): number {
  let n = 0;
  for (const o of outcomes.values()) if (o.ok) n++;
  return n;
}

/**
 * Codes with which Quick BI refuses to add someone who is a member already: AddUserToWorkspace's error, and the
 * AE code AddWorkspaceUsers puts in FailureDetail ("AE0150010001: This user already exists.").
 */
const ALREADY_MEMBER = new Set([
  "User.AlreadyIn.Workspace",
  "AE0150010001",
  "Member.ExistInWorkspace.Error",
  "User.AlreadyIn.Role",
]);
/** Codes with which Quick BI refuses a change for someone who is not a member (any more). */
const NOT_MEMBER = new Set(["User.NotIn.Workspace", "AE0150010004"]);

export function isAlreadyMember(o: MemberOutcome | undefined): boolean {
  return o !== undefined && !o.ok && ALREADY_MEMBER.has(o.code);
}

export function isNotMember(o: MemberOutcome | undefined): boolean {
  return o !== undefined && !o.ok && NOT_MEMBER.has(o.code);
}

/**
 * FailureDetail values look like "AE0150010001: This user already exists." and keys are opaque (user ids, or the
 * literal "notExsistUserIds"). Returns the entry for this user if keyed by its id, else the single entry if there is
 * only one kind of failure, else undefined.
 */
export function detailFor(
  userId: string,
  detail: Readonly<Record<string, string>>,
): { code: string; message: string } | undefined {
  const own = detail[userId];
  if (own !== undefined) return splitDetail(own);
  const values = [...new Set(Object.values(detail))];
  return values.length === 1 ? splitDetail(values[0]) : undefined;
}

export function splitDetail(v: string): { code: string; message: string } {
  const m = /^\s*([A-Za-z0-9.]+)\s*:\s*(.*)$/s.exec(v);
  return m ? { code: m[1], message: m[2] } : { code: "BatchItem.Failed", message: v };
}

/** Whether every FailureDetail key names one of the users sent (so the detail attributes failures by itself). */
export function keyedByUser(users: readonly string[], detail: Readonly<Record<string, string>>): boolean {
  const sent = new Set(users);
  const keys = Object.keys(detail);
  return keys.length > 0 && keys.every((k) => sent.has(k));
}

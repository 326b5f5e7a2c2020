/**
 * Zod schemas for the input fields the three resources share. Messages are written to be read by a person fixing a
 * program: they say what is allowed; `checkFields` appends the offending value.
 */
import { z } from "zod";

/** Longer than any Quick BI id (UUIDs, 32-hex user ids, caller-chosen group ids of at most 64 characters). */
export const MAX_ID_LENGTH = 128;

/** Quick BI's documented per-call maximum for user id lists (AddUserGroupMember) and the largest list page. */
export const MAX_USERS_PER_RESOURCE = 1000;

/**
 * A Quick BI id (workspace, user group, user). Ids travel comma-joined on the wire and membership resource IDs use
 * ':' as separator (`workspaceId:userId`), so none of these may appear inside.
 */
export function idField(what: string) {
  return z
    .string({ required_error: `set ${what}`, invalid_type_error: `must be a string (${what})` })
    .transform((s) => s.trim())
    .superRefine((s, ctx) => {
      if (s === "") ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must not be empty; set ${what}` });
      else if (s.length > MAX_ID_LENGTH)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `is ${s.length} characters long; Quick BI ids are at most ${MAX_ID_LENGTH} (user group ids 64); use ${what}`,
        });
      else if (/[\s,]/.test(s))
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must not contain spaces or commas; use ${what}` });
      else if (s.includes(":"))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must not contain ':' (it separates the parts of a membership's ID); use ${what}`,
        });
    });
}

/** A Quick BI user id. */
export function userIdField(what = "a Quick BI user id (QuickBIUser.userId)") {
  return idField(what);
}

/**
 * A role id given as digits: a whole number Quick BI can issue. Larger than 2^53 − 1 it cannot even be represented
 * exactly (JSON numbers), so it is refused with the value quoted rather than silently rounded.
 */
export function roleIdFromDigits(s: string, ctx: z.RefinementCtx, valid: string): number {
  const n = Number(s);
  if (n > 0 && Number.isSafeInteger(n)) return n;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message:
      n > Number.MAX_SAFE_INTEGER && /^\d+$/.test(s)
        ? `is ${JSON.stringify(s)}, larger than any role id Quick BI issues (at most ${Number.MAX_SAFE_INTEGER}); check the id, or use ${valid}`
        : `must be a positive whole role id or one of ${valid}`,
  });
  return z.NEVER;
}

/**
 * A non-empty list of user ids. Duplicates are reported (each with the index of its first copy) rather than silently
 * dropped, because a duplicate usually means a program bug (two variables naming the same user).
 */
export const userIdListField = z
  .array(userIdField(), { invalid_type_error: "must be a list of Quick BI user ids" })
  .superRefine((ids, ctx) => {
    if (ids.length === 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: "must name at least one user; to grant nobody, remove the resource",
      });
    }
    if (ids.length > MAX_USERS_PER_RESOURCE) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must name at most ${MAX_USERS_PER_RESOURCE} users (Quick BI's per-call limit); split the list into several resources`,
      });
    }
    const first = new Map<string, number>();
    ids.forEach((id, i) => {
      const at = first.get(id);
      if (at === undefined) first.set(id, i);
      else
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [i],
          message: `repeats the user id "${id}" already listed at index ${at}; remove the duplicate`,
        });
    });
  });

export const adoptField = z.boolean({ invalid_type_error: "must be true or false" }).optional();

/**
 * Zod schemas for the input fields the three resources share. Messages are written to be read by a person fixing a
 * program: they say what is allowed; `checkFields` appends the offending value.
 */
import { z } from "zod";

/** Quick BI's documented per-call maximum for user id lists (AddUserGroupMember) and the largest list page. */
export const MAX_USERS_PER_RESOURCE = 1000;

/** Ids travel comma-joined on the wire and the resource ID uses ':' as separator, so neither may appear inside. */
export function idField(what: string) {
  return z
    .string({ required_error: `set ${what}`, invalid_type_error: `must be a string (${what})` })
    .transform((s) => s.trim())
    .superRefine((s, ctx) => {
      if (s === "") ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must not be empty; set ${what}` });
      else if (/[\s,]/.test(s))
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must not contain spaces or commas; use ${what}` });
    });
}

/** A Quick BI user id: additionally no ':' (it is the separator of membership resource IDs). */
export function userIdField(what = "a Quick BI user id (QuickBIUser.userId)") {
  return idField(what).superRefine((s, ctx) => {
    if (s.includes(":")) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must not contain ':'; use ${what}` });
  });
}

/**
 * A non-empty list of user ids. Duplicates are reported (each with the index of its first copy) rather than silently
 * dropped, because a duplicate usually means a program bug (two variables naming the same user).
 */
export const userIdListField = z
  .array(userIdField(), { invalid_type_error: "must be a list of Quick BI user ids" })
  .superRefine((ids, ctx) => {
    if (ids.length === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must name at least one user; to grant nobody, remove the resource" });
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

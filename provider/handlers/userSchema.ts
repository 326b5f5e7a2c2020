/**
 * QuickBIUser inputs and outputs. The input schema is what `check` validates field by field; the output schema is what
 * the handler writes into state and reads back in diff/read/update/delete.
 */
import { z } from "zod";
import { ORGANIZATION_ROLES, USER_TYPES, type UserTypeName } from "../api/roles";
import { adoptField, roleIdFromDigits, userIdField } from "./fields";

export const USER_TYPE_NAMES = Object.keys(USER_TYPES) as UserTypeName[];

/** Program-facing names of the preset organization roles (the wire speaks ids): the one vocabulary. */
export const ORG_ROLE_NAMES = ORGANIZATION_ROLES;
export type OrgRoleName = keyof typeof ORG_ROLE_NAMES;
const ORG_ROLE_BY_LOWER = new Map(Object.entries(ORG_ROLE_NAMES).map(([k, v]) => [k.toLowerCase(), v]));

export const MAX_ORG_ROLES = 3;
export const MAX_NICKNAME_LENGTH = 50;
/**
 * AddUser/UpdateUser document Chinese, letters, digits and _ \ / | ( ) [ ] (quickbi-api.md §3.1); Quick BI's own
 * examples also use space, '-' and '.' ("Xiao Zhang", "tf-testacc..."), so those are accepted too.
 */
const NICKNAME_CHARS = /^[\p{L}\p{N}_\\/|()[\] .\-]+$/u;

const VALID_ORG_ROLES = `${Object.keys(ORG_ROLE_NAMES).join(", ")} or a numeric (custom) role id`;

/** An organization role reference, normalized to its numeric id. */
export const orgRoleRef = z
  .union([z.number(), z.string()], {
    errorMap: () => ({ message: `must be ${VALID_ORG_ROLES}` }),
  })
  .transform((v, ctx): number => {
    if (typeof v === "number") {
      if (Number.isSafeInteger(v) && v > 0) return v;
      return roleIdFromDigits(String(v), ctx, VALID_ORG_ROLES);
    }
    const s = v.trim();
    const named = ORG_ROLE_BY_LOWER.get(s.toLowerCase());
    if (named !== undefined) return named;
    if (/^\d+$/.test(s)) return roleIdFromDigits(s, ctx, VALID_ORG_ROLES);
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not an organization role; use ${VALID_ORG_ROLES}` });
    return z.NEVER;
  });

export const orgRoleListField = z
  .array(orgRoleRef, { invalid_type_error: `must be a list of organization roles (${VALID_ORG_ROLES})` })
  .superRefine((ids, ctx) => {
    if (ids.length === 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must hold at least one role (Quick BI requires one); omit roleIds to keep Quick BI's default (member)`,
      });
    }
    if (ids.length > MAX_ORG_ROLES) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `may hold at most ${MAX_ORG_ROLES} organization roles (Quick BI's limit); remove ${ids.length - MAX_ORG_ROLES}`,
      });
    }
    const first = new Map<number, number>();
    ids.forEach((id, i) => {
      // An entry that did not parse has its own failure; it cannot repeat anything.
      if (typeof id !== "number") return;
      const at = first.get(id);
      if (at === undefined) first.set(id, i);
      else
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [i],
          message: `repeats role ${id} already listed at index ${at}; remove the duplicate`,
        });
    });
  });

export const userTypeField = z
  .string({
    required_error: `set userType to one of ${USER_TYPE_NAMES.join(", ")}`,
    invalid_type_error: `must be one of ${USER_TYPE_NAMES.join(", ")}`,
  })
  .transform((s) => s.trim().toLowerCase())
  .pipe(
    z.enum(USER_TYPE_NAMES as [UserTypeName, ...UserTypeName[]], {
      errorMap: () => ({ message: `must be one of ${USER_TYPE_NAMES.join(", ")}` }),
    }),
  );

export const nickNameField = z
  .string({
    required_error: "set nickName (the display name, unique in the organization)",
    invalid_type_error: "must be a string",
  })
  // Trimmed like accountName: Quick BI keeps what it is sent, and " Ana" would differ from "Ana" on every diff.
  .transform((s) => s.trim())
  .superRefine((s, ctx) => {
    if (s.trim() === "") {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must not be empty" });
      return;
    }
    if ([...s].length > MAX_NICKNAME_LENGTH) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be at most ${MAX_NICKNAME_LENGTH} characters (has ${[...s].length}); shorten it`,
      });
    }
    if (!NICKNAME_CHARS.test(s)) {
      const bad = [...new Set([...s].filter((ch) => !NICKNAME_CHARS.test(ch)))]
        .map((ch) => JSON.stringify(ch))
        .join(" ");
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `contains characters Quick BI refuses (${bad}); use letters (any script), digits, space and _ \\ / | ( ) [ ] - . only`,
      });
    }
  });

export const accountNameField = z
  .string({ invalid_type_error: "must be a string (the Alibaba Cloud account name; RAM users as master:sub)" })
  .transform((s) => s.trim())
  .superRefine((s, ctx) => {
    if (s === "")
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must not be empty; omit it or set the account name" });
    else if ([...s].length > 50)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be at most 50 characters" });
  });

/** The AddUser page's warning, quoted where a missing accountId is refused. */
export const ACCOUNT_ID_RULE = "Quick BI versions released after 2024-12-31 require AccountId to add a user (AddUser)";

export const accountIdField = z
  .string({
    required_error: `set accountId (the Alibaba Cloud account UID): ${ACCOUNT_ID_RULE}; accountName alone is deprecated`,
    invalid_type_error: "must be a string (the Alibaba Cloud account UID)",
  })
  .transform((s) => s.trim())
  .refine((s) => s !== "" && !/\s/.test(s), {
    message: `must be a non-empty account UID without spaces (${ACCOUNT_ID_RULE})`,
  });

export const userShape = {
  accountId: accountIdField,
  /** Deprecated by Quick BI (AddUser page): optional, sent alongside accountId when given. */
  accountName: accountNameField.optional(),
  nickName: nickNameField,
  userType: userTypeField,
  roleIds: orgRoleListField.optional(),
  adopt: adoptField,
  transferWorksTo: userIdField("the Quick BI user id that receives the deleted user's works").optional(),
};

export const UserInputsSchema = z.object(userShape);
export type UserInputs = z.output<typeof UserInputsSchema>;

/** What state holds for a QuickBIUser (the resource ID is userId). Nullable where Quick BI may not report a value. */
export const UserOutputsSchema = z.object({
  userId: z.string(),
  accountId: z.string().nullish(),
  accountName: z.string().nullish(),
  nickName: z.string(),
  userType: z.enum(USER_TYPE_NAMES as [UserTypeName, ...UserTypeName[]]),
  roleIds: z.array(z.number()),
  adopt: z.boolean().nullish(),
  transferWorksTo: z.string().nullish(),
});
export type UserOutputs = z.output<typeof UserOutputsSchema>;

import { z } from "zod";
import { qbError } from "../model/codes";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../model/paging";

/**
 * Wire parameter schemas. Every request parameter arrives as a string (query string or form body); these zod types
 * turn them into typed values and the issues into Quick BI's codes: a missing or empty required parameter is
 * `System.Param.Empty` ("You must specify the %s parameter."), anything malformed `Invalid.Parameter.Error`.
 */

/** Issue param that selects a specific Quick BI code instead of `Invalid.Parameter.Error`. */
interface CodedIssueParams {
  qbCode?: "Invalid.Parameter" | "System.Param.Empty";
}

const INT = /^-?\d+$/;

const intString = () => z.string().regex(INT).transform(Number).pipe(z.number().int().safe());

const splitList = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");

/** Empty values never reach these types: `parseParams` treats an empty parameter as an absent one. */
export const wire = {
  string: () => z.string(),
  int: intString,
  bool: () =>
    z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(z.enum(["true", "false"]))
      .transform((v) => v === "true"),
  /** Comma-separated ids; blanks dropped. A list with no id at all (",") counts as missing. */
  list: () =>
    z
      .string()
      .transform(splitList)
      .refine((a) => a.length > 0, { params: { qbCode: "System.Param.Empty" } satisfies CodedIssueParams }),
  /** Comma-separated integers; may be empty (",") so that the model can refuse an explicit empty role list. */
  intList: () => z.string().transform(splitList).pipe(z.array(intString())),
  pageNum: () =>
    intString()
      .pipe(z.number().int().min(1))
      .optional()
      .transform((n) => n ?? 1),
  /** Above 1000 the API answers the generic `Invalid.Parameter` (quickbi-api.md §8.10). */
  pageSize: () =>
    intString()
      .pipe(
        z
          .number()
          .int()
          .min(1)
          .refine((n) => n <= MAX_PAGE_SIZE, { params: { qbCode: "Invalid.Parameter" } satisfies CodedIssueParams }),
      )
      .optional()
      .transform((n) => n ?? DEFAULT_PAGE_SIZE),
};

/** Parses wire params with `schema`, raising the documented Quick BI error for the first problem. */
export function parseParams<S extends z.ZodRawShape>(
  shape: S,
  params: Record<string, string>,
): z.infer<z.ZodObject<S>> {
  // An empty (or blank) parameter is an absent one, as the real API treats optional strings.
  const present = Object.fromEntries(Object.entries(params).filter(([, v]) => v.trim() !== ""));
  const result = z.object(shape).safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "");
  if (issue.code === "invalid_type" && issue.received === "undefined") throw qbError("System.Param.Empty", [name]);
  const coded = issue.code === "custom" ? (issue.params as CodedIssueParams | undefined)?.qbCode : undefined;
  if (coded === "System.Param.Empty") throw qbError("System.Param.Empty", [name]);
  if (coded === "Invalid.Parameter") throw qbError("Invalid.Parameter");
  throw qbError("Invalid.Parameter.Error", [name]);
}

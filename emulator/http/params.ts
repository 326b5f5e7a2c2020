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
  qbCode?: "Invalid.Parameter";
}

/** An empty value is treated as an absent one, as the real API does for optional strings. */
const absentIfEmpty = (v: unknown) => (v === "" ? undefined : v);

const INT = /^-?\d+$/;

export const wire = {
  string: () => z.preprocess(absentIfEmpty, z.string()),
  int: () =>
    z.preprocess(
      absentIfEmpty,
      z
        .string()
        .regex(INT)
        .transform(Number)
        .pipe(z.number().int().safe()),
    ),
  bool: () =>
    z.preprocess(
      (v) => (typeof v === "string" ? absentIfEmpty(v.toLowerCase()) : v),
      z.enum(["true", "false"]).transform((v) => v === "true"),
    ),
  /** Comma-separated strings; blanks and surrounding spaces dropped. An all-blank list counts as missing. */
  list: () =>
    z.preprocess(
      (v) => (typeof v === "string" && v.split(",").every((x) => x.trim() === "") ? undefined : v),
      z.string().transform((s) =>
        s
          .split(",")
          .map((x) => x.trim())
          .filter((x) => x !== ""),
      ),
    ),
  intList: () =>
    z.preprocess(
      (v) => (typeof v === "string" && v.split(",").every((x) => x.trim() === "") ? undefined : v),
      z
        .string()
        .transform((s) =>
          s
            .split(",")
            .map((x) => x.trim())
            .filter((x) => x !== ""),
        )
        .pipe(z.array(z.string().regex(INT).transform(Number).pipe(z.number().int().safe()))),
    ),
  // Defaults are applied after parsing: a zod default would be fed back through the string preprocessing.
  pageNum: () =>
    wire
      .int()
      .pipe(z.number().int().min(1))
      .optional()
      .transform((n) => n ?? 1),
  /** Above 1000 the API answers the generic `Invalid.Parameter` (quickbi-api.md §8.10). */
  pageSize: () =>
    wire
      .int()
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
export function parseParams<S extends z.ZodRawShape>(shape: S, params: Record<string, string>): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "");
  if (issue.code === "invalid_type" && issue.received === "undefined") throw qbError("System.Param.Empty", [name]);
  if (issue.code === "custom" && (issue.params as CodedIssueParams | undefined)?.qbCode === "Invalid.Parameter") {
    throw qbError("Invalid.Parameter");
  }
  throw qbError("Invalid.Parameter.Error", [name]);
}

/**
 * Building blocks for `Result` schemas. Quick BI's current metadata returns real JSON numbers and booleans, but older
 * doc pages (and Terraform's mocks) show them as strings, so every scalar accepts both.
 */
import { z } from "zod";

/** An integer that may arrive as a JSON number or a decimal string. */
export const int = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform((v) => Number(v));

/** A boolean that may arrive as `true`/`false` or `"true"`/`"false"` (z.coerce.boolean would turn "false" into true). */
export const bool = z.union([z.boolean(), z.enum(["true", "false"])]).transform((v) => v === true || v === "true");

/** An id Quick BI sometimes sends as a number (long ids in old docs) but that we handle as text. */
export const idString = z.union([z.string(), z.number()]).transform((v) => String(v));

/** An optional field that may also be `null` on the wire; normalized to `undefined`. */
export function opt<T extends z.ZodTypeAny>(t: T) {
  return t.nullish().transform((v) => (v === null ? undefined : v)) as z.ZodEffects<
    z.ZodOptional<z.ZodNullable<T>>,
    z.output<T> | undefined,
    z.input<T> | null | undefined
  >;
}

/** Quick BI's paged list envelope: `{Data, PageNum, PageSize, TotalNum, TotalPages}`. */
export function page<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    Data: z
      .array(item)
      .nullish()
      .transform((v) => v ?? []),
    PageNum: int,
    PageSize: int,
    TotalNum: int,
    TotalPages: opt(int),
  });
}
export interface Page<T> {
  readonly Data: T[];
  readonly PageNum: number;
  readonly PageSize: number;
  readonly TotalNum: number;
  readonly TotalPages?: number;
}

/** Most writes answer `Result: true`. */
export const boolResult = bool;

/** Largest page Quick BI serves. */
export const MAX_PAGE_SIZE = 1000;

import { qbError } from "./codes";
import { ID_LIST_MAX } from "./validation";

export function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** A comma-separated id parameter: blanks dropped, duplicates removed, then the empty / >1000 rules. */
export function checkIdList(param: string, ids: readonly string[]): string[] {
  const out = unique(ids.filter((id) => id !== ""));
  if (out.length === 0) throw qbError("System.Param.Empty", [param]);
  if (out.length > ID_LIST_MAX) throw qbError("Parameter.Length.Exceed", [param]);
  return out;
}

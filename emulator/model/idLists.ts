import { qbError } from "./codes";
import { QuickBIError } from "./errors";
import { ID_LIST_MAX } from "./validation";

export function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** AddUserGroupMembers' own wording for a list over 1000 ids (quickbi-api.md §3.4). */
export function groupListTooLong(): QuickBIError {
  return new QuickBIError("Invalid.Parameter", "The length of the parameter must not exceed 1000.");
}

/**
 * A comma-separated id parameter: blanks dropped, then the empty and the 1000-entry rules, then duplicates removed.
 * The limit counts the entries as sent ("最多可输入 1000 条"), so duplicates count against it.
 */
export function checkIdList(
  param: string,
  ids: readonly string[],
  tooLong: () => QuickBIError = () => qbError("Parameter.Length.Exceed", [param]),
): string[] {
  const given = ids.filter((id) => id !== "");
  if (given.length === 0) throw qbError("System.Param.Empty", [param]);
  if (given.length > ID_LIST_MAX) throw tooLong();
  return unique(given);
}

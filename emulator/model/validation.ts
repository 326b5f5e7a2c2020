import { qbError } from "./codes";

/**
 * Display-name rules of nicknames and user group names. The docs allow "Chinese, English, digits and
 * `_ \ / | ( ) [ ]`"; the SDK's own example nickname is "Xiao Zhang" and Terraform's test users are named
 * `tf-testacc...`, so space, `-` and `.` are accepted too.
 */
const DISPLAY_NAME = /^[\p{L}\p{N}_\\/|()[\] .\-]+$/u;

export const NICKNAME_MAX = 50;
export const USER_GROUP_NAME_MAX = 255;
export const USER_GROUP_DESCRIPTION_MAX = 255;
export const USER_GROUP_ID_MAX = 64;
/** Upper bound for comma-separated id lists (documented for AddUserGroupMember, applied to every list). */
export const ID_LIST_MAX = 1000;

export function assertDisplayName(param: string, value: string, max: number): void {
  if ([...value].length > max || !DISPLAY_NAME.test(value) || value.trim() === "") {
    throw qbError("Invalid.Parameter.Error", [param]);
  }
}

export function assertMaxLength(param: string, value: string, max: number): void {
  if ([...value].length > max) throw qbError("Invalid.Parameter.Error", [param]);
}

/** Optional string parameters: an empty value is an absent one. */
export function blankToUndefined(s: string | undefined): string | undefined {
  return s === undefined || s === "" ? undefined : s;
}

/**
 * Puts one report entry where people and CI jobs see it, from inside the provider host:
 * - `pulumi.log.info`: the words (`+ Anna Analyst (f6a5…) viewer`), shown by `pulumi preview`/`up` under the resource;
 * - `pulumi.log.debug`: the JSON line `quickbi-access-report: {…}` (the engine driver collects it; the CLI shows it
 *   with `--debug`);
 * - `QUICKBI_ACCESS_REPORT_FILE`: if set in the environment of `pulumi`, the JSON line is also appended to that file —
 *   the dependable way to get the report out of a real CLI run in CI.
 * Reporting never fails a deployment: nickname lookups that fail leave ids, a file that cannot be written is logged.
 */
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import type { DirectoryService } from "../service";
import { formatEntry } from "./format";
import { logTarget, type ResourceRef } from "./resourceRef";
import { AccessReportEntrySchema, REPORT_PREFIX, type AccessReportEntry } from "./schema";

export const REPORT_FILE_ENV = "QUICKBI_ACCESS_REPORT_FILE";
/** Longest a provider answer waits for its report lines to reach the engine. */
export const DELIVERY_WAIT_MS = 250;

const CUSTOM_ROLE = /^role (\d+)$/;

/** `role 1001` becomes `Report Builder (role 1001)` when the workspace's role list names it. */
async function withRoleNames(entry: AccessReportEntry, directory: DirectoryService | undefined): Promise<AccessReportEntry> {
  const labels = [...entry.changes.flatMap((c) => [c.from, c.to]), ...(entry.kept ?? []).map((k) => k.role)];
  if (directory === undefined || entry.workspaceId === undefined || !labels.some((l) => l !== undefined && CUSTOM_ROLE.test(l))) return entry;
  const names = await directory.workspaceRoleNames(entry.workspaceId).catch(() => new Map<number, string>());
  const label = (l: string | undefined): string | undefined => {
    const m = l === undefined ? null : CUSTOM_ROLE.exec(l);
    const name = m ? names.get(Number(m[1])) : undefined;
    return name === undefined ? l : `${name} (${l})`;
  };
  const change = <T extends { from?: string; to?: string }>(c: T): T => ({
    ...c,
    ...(c.from !== undefined ? { from: label(c.from) } : {}),
    ...(c.to !== undefined ? { to: label(c.to) } : {}),
  });
  return {
    ...entry,
    changes: entry.changes.map(change),
    ...(entry.kept ? { kept: entry.kept.map((k) => ({ ...k, role: label(k.role) ?? k.role })) } : {}),
  };
}

/** Adds nicknames where Quick BI knows them; ids stay the key. */
export async function withNickNames(entry: AccessReportEntry, directory: DirectoryService | undefined): Promise<AccessReportEntry> {
  if (directory === undefined) return entry;
  const ids = [...entry.changes.map((c) => c.userId), ...(entry.kept ?? []).map((k) => k.userId)];
  if (ids.length === 0) return entry;
  let names: Map<string, string>;
  try {
    names = await directory.nickNames(ids);
  } catch {
    return entry;
  }
  const named = <T extends { userId: string; nickName?: string }>(x: T): T => {
    const n = names.get(x.userId);
    return n === undefined || x.nickName !== undefined ? x : { ...x, nickName: n };
  };
  return { ...entry, changes: entry.changes.map(named), ...(entry.kept ? { kept: entry.kept.map(named) } : {}) };
}

export async function emitAccessReport(
  raw: AccessReportEntry,
  ref: ResourceRef,
  directory: DirectoryService | undefined,
): Promise<AccessReportEntry> {
  // Validated on the way out, so a CI job reading it back with collectAccessReport never meets a malformed line.
  const entry = AccessReportEntrySchema.parse(await withRoleNames(await withNickNames(raw, directory), directory));
  if (entry.changes.length === 0 && !entry.unknown && (entry.kept ?? []).length === 0) return entry;
  const resource = logTarget(ref);
  const line = REPORT_PREFIX + JSON.stringify(entry);
  const file = process.env[REPORT_FILE_ENV];
  if (file) {
    try {
      fs.appendFileSync(file, line + "\n");
    } catch (e) {
      void pulumi.log.warn(`pulumi-quickbi: could not append the access report to ${file}: ${(e as Error).message}`, resource);
    }
  }
  // The SDK delivers log messages in order, one round trip after another, so waiting for delivery would queue each
  // check behind every other resource's message (hundreds of resources turn into a trickle of seconds, which also
  // defeats request coalescing in the host). Not waiting at all loses the last messages of a run: the engine stops
  // listening soon after the last answer. So the answer waits for delivery, but never longer than DELIVERY_WAIT_MS;
  // concurrent checks wait side by side, so a run pays that bound once, not per resource.
  const delivered = Promise.all([pulumi.log.info(formatEntry(entry), resource), pulumi.log.debug(line, resource)]).catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([delivered, new Promise<void>((resolve) => (timer = setTimeout(resolve, DELIVERY_WAIT_MS)))]);
  clearTimeout(timer);
  return entry;
}

/**
 * Reads the access report back from provider log messages (the engine driver's `RunReport.logs`, lines of a
 * `QUICKBI_ACCESS_REPORT_FILE`, or any strings). Lines that are not report lines are ignored; a report line that does
 * not parse is an error, because a CI job must not post a silently truncated report.
 */
import { AccessReportEntrySchema, REPORT_PREFIX, type AccessReport, type AccessReportEntry } from "./schema";

export type LogLine = string | { readonly message: string };

export class AccessReportParseError extends Error {
  constructor(
    readonly line: string,
    reason: string,
  ) {
    super(`pulumi-quickbi: unreadable access report line (${reason}): ${line.slice(0, 200)}`);
    this.name = "AccessReportParseError";
  }
}

function entryKey(e: AccessReportEntry): string {
  return `${e.resource}\u0000${e.workspaceId ?? ""}\u0000${e.userGroupId ?? ""}`;
}

/**
 * The entries, one per resource and target, in the order of their last report. A resource reported twice (the engine checks a resource
 * again on retry, `up` reports what its own preview reported) keeps its LAST entry: the one computed just before apply.
 */
export function collectAccessReport(logs: Iterable<LogLine>): AccessReport {
  const byKey = new Map<string, AccessReportEntry>();
  for (const log of logs) {
    const text = typeof log === "string" ? log : log.message;
    for (const line of text.split("\n")) {
      const at = line.indexOf(REPORT_PREFIX);
      if (at < 0) continue;
      let json: unknown;
      try {
        json = JSON.parse(line.slice(at + REPORT_PREFIX.length));
      } catch {
        throw new AccessReportParseError(line, "not JSON");
      }
      const parsed = AccessReportEntrySchema.safeParse(json);
      if (!parsed.success) throw new AccessReportParseError(line, parsed.error.issues[0]?.message ?? "invalid");
      const key = entryKey(parsed.data);
      byKey.delete(key);
      byKey.set(key, parsed.data);
    }
  }
  return [...byKey.values()];
}

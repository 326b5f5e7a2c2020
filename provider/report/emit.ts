/**
 * Puts one report entry where people and CI jobs see it, from inside the provider host, without waiting:
 * - the engine's Log service (engineLog.ts), attached to the resource's URN: the words
 *   (`+ Anna Analyst (f6a5…) viewer`) at info, shown by `pulumi preview`/`up` under the resource, and the JSON line
 *   `quickbi-access-report: {…}` at debug (shown with `--debug`; the offline driver collects it);
 * - `QUICKBI_ACCESS_REPORT_FILE`: if set in the environment of `pulumi`, the JSON line is appended to that file — the
 *   dependable way to get the whole report out of a CLI run in CI. When names were still being read, an enriched copy
 *   of the entry follows once they are known (`collectAccessReport` keeps the last line per resource).
 * The words show at most MAX_LISTED changes per entry; the JSON keeps every one. Reporting never fails a deployment.
 */
import * as fs from "node:fs";
import { boundLines, MAX_LISTED } from "../api/bounded";
import type { EngineLog } from "./engineLog";
import { formatEntry } from "./format";
import type { NameDirectory } from "./names";
import { AccessReportEntrySchema, REPORT_PREFIX, type AccessReportEntry } from "./schema";

export const REPORT_FILE_ENV = "QUICKBI_ACCESS_REPORT_FILE";

const CUSTOM_ROLE = /^role (\d+)$/;

export class AccessReporter {
  constructor(
    private readonly names: NameDirectory,
    private readonly log: () => EngineLog,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Emits the entry (unless it changes nothing); returns it as emitted. */
  report(raw: AccessReportEntry, urn: string | undefined): AccessReportEntry {
    const entry = AccessReportEntrySchema.parse(this.named(raw));
    if (entry.changes.length === 0 && !entry.unknown && (entry.kept ?? []).length === 0) return entry;
    const line = REPORT_PREFIX + JSON.stringify(entry);
    const file = this.env[REPORT_FILE_ENV];
    if (file) this.append(file, line, urn);
    this.log().log("info", formatEntry(entry, MAX_LISTED), urn);
    this.log().log("debug", line, urn);
    if (file && this.missesNames(entry)) {
      // Best effort: the names being read now complete the file's copy (the engine's display keeps the ids).
      void this.names.settled().then(() => {
        const later = AccessReportEntrySchema.parse(this.named(raw));
        if (JSON.stringify(later) !== JSON.stringify(entry))
          this.append(file, REPORT_PREFIX + JSON.stringify(later), urn);
      });
    }
    return entry;
  }

  /** A provider message that is not a report entry (warnings about the report itself, guards). */
  message(severity: "info" | "warning", text: string, urn: string | undefined): void {
    this.log().log(severity, boundLines(text.split("\n"), 40).join("\n"), urn);
  }

  private append(file: string, line: string, urn: string | undefined): void {
    try {
      fs.appendFileSync(file, line + "\n");
    } catch (e) {
      this.log().log(
        "warning",
        `pulumi-quickbi: could not append the access report to ${file}: ${(e as Error).message}`,
        urn,
      );
    }
  }

  private missesNames(e: AccessReportEntry): boolean {
    const people = [...e.changes, ...(e.kept ?? [])];
    return (
      people.some((p) => p.nickName === undefined) ||
      e.changes.some((c) => [c.from, c.to].some((l) => l !== undefined && CUSTOM_ROLE.test(l)))
    );
  }

  /** Nicknames and custom role names this process knows now; ids stay the key. */
  private named(entry: AccessReportEntry): AccessReportEntry {
    const nick = <T extends { userId: string; nickName?: string }>(x: T): T => {
      if (x.nickName !== undefined) return x;
      const n = this.names.nickName(x.userId);
      return n === undefined ? x : { ...x, nickName: n };
    };
    const ws = entry.workspaceId;
    const label = (l: string | undefined): string | undefined => {
      const m = l === undefined || ws === undefined ? null : CUSTOM_ROLE.exec(l);
      const name = m ? this.names.roleName(ws!, Number(m[1])) : undefined;
      return name === undefined ? l : `${name} (${l})`;
    };
    return {
      ...entry,
      changes: entry.changes.map((c) => {
        const named = nick(c);
        return {
          ...named,
          ...(c.from !== undefined ? { from: label(c.from) } : {}),
          ...(c.to !== undefined ? { to: label(c.to) } : {}),
        };
      }),
      ...(entry.kept ? { kept: entry.kept.map((k) => ({ ...nick(k), role: label(k.role) ?? k.role })) } : {}),
    };
  }
}

/** The report in words: the lines `pulumi preview` shows, and Markdown for a PR comment. */
import type { AccessChange, AccessReport, AccessReportEntry } from "./schema";

function who(c: { userId: string; nickName?: string }): string {
  return c.nickName ? `${c.nickName} (${c.userId})` : c.userId;
}

/** `+ alice viewer`, `~ bob analyst → viewer`, `- carol` (group memberships: `+ alice`, `- carol`). */
export function changeLine(c: AccessChange): string {
  const role = (r: string | undefined) => (r === undefined || r === "member" ? "" : ` ${r}`);
  if (c.from === undefined) return `+ ${who(c)}${role(c.to)}`;
  if (c.to === undefined) return `- ${who(c)}`;
  return `~ ${who(c)} ${c.from} → ${c.to}`;
}

export function target(e: AccessReportEntry): string {
  return e.workspaceId !== undefined ? `workspace ${e.workspaceId}` : `user group ${e.userGroupId ?? "?"}`;
}

/** The multi-line message logged for one resource: at most `maxLines` people, then a count. */
export function formatEntry(e: AccessReportEntry, maxLines = Number.POSITIVE_INFINITY): string {
  // Without a name (a delete only sees the stored outputs) `resource` already reads "<Type> <id>".
  const label =
    e.name !== undefined
      ? `${e.type} ${e.name}`
      : e.resource.startsWith(`${e.type} `)
        ? e.resource
        : `${e.type} ${e.resource}`;
  const head = `access ${e.operation === "delete" ? "removed by" : "changes of"} ${label} on ${target(e)}`;
  if (e.unknown) return `${head}: known only at apply (its inputs depend on resources not created yet)`;
  const lines = e.changes.map((c) => `  ${changeLine(c)}`);
  for (const k of e.kept ?? []) lines.push(`  = ${who(k)} ${k.role} kept (${k.reason})`);
  if (lines.length === 0) return `${head}: none`;
  const shown =
    lines.length > maxLines
      ? [...lines.slice(0, maxLines), `  … and ${lines.length - maxLines} more (every change is in the JSON report)`]
      : lines;
  return `${head}:\n${shown.join("\n")}`;
}

/** A Markdown summary of a whole report, for a CI job to post on a pull request. */
export function formatAccessReportMarkdown(report: AccessReport): string {
  const withChanges = report.filter((e) => e.unknown || e.changes.length > 0);
  if (withChanges.length === 0) return "**Quick BI access:** no changes.";
  const out = ["**Quick BI access changes**", ""];
  for (const e of withChanges) {
    out.push(`- \`${e.type}\` **${e.name ?? e.resource}** on ${target(e)}${e.unknown ? ": known only at apply" : ""}`);
    for (const c of e.changes) out.push(`  - \`${changeLine(c)}\``);
  }
  return out.join("\n");
}

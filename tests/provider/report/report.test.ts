/** The access report's pieces: change computation, wording, the JSON lines and reading them back. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { groupChanges, roleLabel, workspaceChanges } from "../../../provider/report/changes";
import { collectAccessReport, AccessReportParseError } from "../../../provider/report/collect";
import { AccessReporter, REPORT_FILE_ENV } from "../../../provider/report/emit";
import { NameDirectory, type NameSource } from "../../../provider/report/names";
import { changeLine, formatAccessReportMarkdown, formatEntry } from "../../../provider/report/format";
import { REPORT_PREFIX, type AccessReportEntry } from "../../../provider/report/schema";

describe("changes", () => {
  test("workspace: additions, role changes, removals, in that order; unchanged users are not listed", () => {
    const before = new Map([
      ["bob", 27],
      ["carol", 30],
      ["dan", 25],
    ]);
    const after = new Map([
      ["dan", 25],
      ["alice", 30],
      ["bob", 30],
      ["eve", 1001],
    ]);
    expect(workspaceChanges(before, after)).toEqual([
      { userId: "alice", to: "viewer" },
      { userId: "eve", to: "role 1001" },
      { userId: "bob", from: "analyst", to: "viewer" },
      { userId: "carol", from: "viewer" },
    ]);
    expect(roleLabel(26)).toBe("developer");
  });

  test("applying the changes to `before` gives `after` (property)", () => {
    const roles = fc.constantFrom(25, 26, 27, 30, 1001);
    const state = fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e"), roles).map((o) => new Map(Object.entries(o)));
    fc.assert(
      fc.property(state, state, (before, after) => {
        const applied = new Map([...before].map(([u, r]) => [u, roleLabel(r)]));
        for (const c of workspaceChanges(before, after)) {
          if (c.to === undefined) applied.delete(c.userId);
          else applied.set(c.userId, c.to);
        }
        expect(applied).toEqual(new Map([...after].map(([u, r]) => [u, roleLabel(r)])));
      }),
    );
  });

  test("group", () => {
    expect(groupChanges(new Set(["a", "b"]), new Set(["b", "c"]))).toEqual([
      { userId: "c", to: "member" },
      { userId: "a", from: "member" },
    ]);
  });
});

describe("wording", () => {
  test("+ alice viewer, ~ bob analyst → viewer, - carol (nicknames when known)", () => {
    expect(changeLine({ userId: "u1", nickName: "Alice", to: "viewer" })).toBe("+ Alice (u1) viewer");
    expect(changeLine({ userId: "u2", from: "analyst", to: "viewer" })).toBe("~ u2 analyst → viewer");
    expect(changeLine({ userId: "u3", nickName: "Carol", from: "viewer" })).toBe("- Carol (u3)");
    expect(changeLine({ userId: "u4", to: "member" })).toBe("+ u4");
  });

  test("an entry, an unknown entry, and the Markdown summary", () => {
    const e: AccessReportEntry = {
      resource: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/quickbi:WorkspaceMembers::sales",
      type: "WorkspaceMembers",
      name: "sales",
      operation: "update",
      workspaceId: "ws1",
      changes: [{ userId: "u1", to: "viewer" }],
      kept: [{ userId: "o", nickName: "Olivia", role: "admin", reason: "workspace owner" }],
    };
    expect(formatEntry(e)).toBe(
      "access changes of WorkspaceMembers sales on workspace ws1:\n  + u1 viewer\n  = Olivia (o) admin kept (workspace owner)",
    );
    expect(formatEntry({ ...e, changes: [], kept: undefined, unknown: true })).toMatch(/known only at apply/);
    expect(formatAccessReportMarkdown([e])).toBe(
      "**Quick BI access changes**\n\n- `WorkspaceMembers` **sales** on workspace ws1\n  - `+ u1 viewer`",
    );
    expect(formatAccessReportMarkdown([])).toBe("**Quick BI access:** no changes.");
  });
});

describe("collectAccessReport", () => {
  const entry = (resource: string, to: string): AccessReportEntry => ({
    resource,
    type: "GroupMembership",
    operation: "update",
    userGroupId: "g",
    changes: [{ userId: "u", to }],
  });

  test("reads report lines from log entries and strings, ignores other lines, keeps the last entry per resource", () => {
    const logs = [
      { message: "access changes of ...: + u" },
      { message: REPORT_PREFIX + JSON.stringify(entry("r1", "member")) },
      "unrelated",
      `prefix text ${REPORT_PREFIX}${JSON.stringify(entry("r2", "member"))}`,
      { message: REPORT_PREFIX + JSON.stringify({ ...entry("r1", "member"), changes: [] }) },
    ];
    const r = collectAccessReport(logs);
    expect(r.map((e) => e.resource)).toEqual(["r2", "r1"]);
    expect(r[1].changes).toEqual([]);
  });

  test("a malformed report line is an error, not a silently shorter report", () => {
    expect(() => collectAccessReport([REPORT_PREFIX + "{nope"])).toThrow(AccessReportParseError);
    expect(() => collectAccessReport([REPORT_PREFIX + JSON.stringify({ resource: "x" })])).toThrow(
      AccessReportParseError,
    );
  });
});

/** A reporter over a name source the test controls, with the engine's Log service recorded. */
function reporterWith(source: Partial<NameSource>, env: NodeJS.ProcessEnv = {}) {
  const lines: { severity: string; message: string; urn?: string }[] = [];
  const full: NameSource = {
    organizationNickNames: async () => new Map(),
    workspaceRoleNames: async () => new Map(),
    ...source,
  };
  const names = new NameDirectory(() => full);
  const reporter = new AccessReporter(
    names,
    () => ({ log: (severity, message, urn) => lines.push({ severity, message, urn }) }),
    env,
  );
  return { reporter, names, lines };
}

test(`${REPORT_FILE_ENV}: every emitted entry is appended as a JSON line that collectAccessReport reads back`, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qbi-report-file-"));
  const file = path.join(dir, "report.jsonl");
  try {
    const { reporter, names, lines } = reporterWith(
      { organizationNickNames: async () => new Map([["u", "Nick u"]]) },
      { [REPORT_FILE_ENV]: file },
    );
    const e: AccessReportEntry = {
      resource: "urn:pulumi:s::p::t::r",
      type: "WorkspaceMembership",
      operation: "create",
      workspaceId: "w",
      changes: [{ userId: "u", to: "viewer" }],
    };
    // The name is not known yet: the entry goes out at once with the id; the listing starts in the background.
    expect(reporter.report(e, e.resource).changes).toEqual([{ userId: "u", to: "viewer" }]);
    await names.settled();
    // ...and the file receives the named copy once the listing is in (collectAccessReport keeps the last).
    await new Promise((r) => setImmediate(r));
    // nothing to say: nothing written
    reporter.report({ ...e, resource: "quiet", changes: [] }, undefined);
    const fileLines = fs.readFileSync(file, "utf8").trim().split("\n");
    expect(fileLines).toHaveLength(2);
    expect(collectAccessReport(fileLines)).toEqual([
      { ...e, changes: [{ userId: "u", nickName: "Nick u", to: "viewer" }] },
    ]);
    // The words and the JSON reach the engine's Log service, attached to the resource.
    expect(lines.map((l) => [l.severity, l.urn])).toEqual([
      ["info", e.resource],
      ["debug", e.resource],
    ]);
    expect(lines[0].message).toContain("+ u viewer");
    // Later entries name the user from memory, with no further request.
    expect(reporter.report({ ...e, resource: "r2" }, undefined).changes).toEqual([
      { userId: "u", nickName: "Nick u", to: "viewer" },
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a secret nickname is never shown, whichever way it became known", () => {
  const { reporter, names } = reporterWith({});
  names.remember([["u", "Secret Name"]]);
  names.markSecret("u");
  const out = reporter.report(
    {
      resource: "r",
      type: "GroupMembership",
      operation: "create",
      userGroupId: "g",
      changes: [{ userId: "u", to: "member" }],
    },
    undefined,
  );
  expect(out.changes).toEqual([{ userId: "u", to: "member" }]);
});

test("an entry with a thousand changes shows twenty in words and keeps every one in the JSON line", () => {
  const { reporter, lines } = reporterWith({});
  const changes = Array.from({ length: 1000 }, (_, i) => ({ userId: `u${i}`, to: "viewer" }));
  reporter.report(
    { resource: "r", type: "WorkspaceMembership", operation: "create", workspaceId: "w", changes },
    undefined,
  );
  const words = lines.find((l) => l.severity === "info")!.message;
  expect(words.split("\n")).toHaveLength(1 + 20 + 1);
  expect(words).toContain("… and 980 more");
  expect(collectAccessReport([lines.find((l) => l.severity === "debug")!.message])[0].changes).toHaveLength(1000);
});

test("custom roles are named from the workspace's role list once it has been read", async () => {
  const { reporter, names } = reporterWith({
    workspaceRoleNames: async (ws: string) => new Map(ws === "w" ? [[1001, "Report Builder"]] : []),
  });
  const e: AccessReportEntry = {
    resource: "r",
    type: "WorkspaceMembers",
    operation: "update",
    workspaceId: "w",
    changes: [
      { userId: "u", from: "viewer", to: "role 1001" },
      { userId: "v", to: "role 2002" },
    ],
  };
  expect(reporter.report(e, undefined).changes[0].to).toBe("role 1001");
  await names.settled();
  expect(reporter.report(e, undefined).changes).toEqual([
    { userId: "u", from: "viewer", to: "Report Builder (role 1001)" },
    { userId: "v", to: "role 2002" },
  ]);
});

/**
 * Each quirk changes exactly what its name says, on the wire: the same signed request goes to an emulator with the
 * default readings and to one with the quirk, and the raw answers (status + JSON, RequestId aside) are compared path
 * by path. Requests are hand-signed with the client's own primitives so the raw answer is seen before any parsing.
 */
import { QUIRK_NAMES, UnknownQuirkError, startEmulator, type Quirk } from "../../../emulator";
import { conformanceSeed, OWNER_KEY } from "../conformance/setup";
import { U, WS } from "../model/fixture";
import { startTestEmulator, type TestEmulator } from "../helpers";
import { send, signV3 } from "./wire";

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(emu: TestEmulator, action: string, query: Record<string, string>): Promise<Answer> {
  const raw = signV3({ action, query, host: emu.endpoint, ...OWNER_KEY });
  const res = await send(emu.url, raw);
  const body = { ...res.json };
  const requestId = String(body.RequestId);
  delete body.RequestId;
  if (typeof body.Recommend === "string") body.Recommend = body.Recommend.replace(requestId, "<id>");
  // Each emulator has its own port.
  if (typeof body.HostId === "string") body.HostId = "<host>";
  return { status: res.status, body };
}

/** JSON paths whose values differ between `a` and `b` (type changes included). */
function differences(a: unknown, b: unknown, path = "$"): string[] {
  if (
    typeof a === "object" &&
    a !== null &&
    typeof b === "object" &&
    b !== null &&
    Array.isArray(a) === Array.isArray(b)
  ) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`),
    );
  }
  return Object.is(a, b) ? [] : [path];
}

let plain: TestEmulator;
const quirky = new Map<Quirk, TestEmulator>();

beforeAll(async () => {
  plain = await startTestEmulator(conformanceSeed(), { randomSeed: 3 });
  for (const q of QUIRK_NAMES)
    quirky.set(q, await startTestEmulator(conformanceSeed(), { randomSeed: 3, quirks: [q] }));
});
beforeEach(() => {
  plain.reset(conformanceSeed());
  for (const emu of quirky.values()) emu.reset(conformanceSeed());
});
afterAll(async () => {
  await plain?.stop();
  for (const emu of quirky.values()) await emu.stop();
});

/** Sends the request to both emulators; also returns the state each ended in. */
async function both(quirk: Quirk, action: string, query: Record<string, string>) {
  const emu = quirky.get(quirk)!;
  const a = await call(plain, action, query);
  const b = await call(emu, action, query);
  return { plain: a, quirk: b, plainState: plain.state(), quirkState: emu.state() };
}

const memberIds = (state: ReturnType<TestEmulator["state"]>, workspaceId: string) =>
  state.workspaceMembers
    .filter((m) => m.workspaceId === workspaceId)
    .map((m) => `${m.userId}:${m.roleId}`)
    .sort();

describe("batch-errors-whole-request", () => {
  test("AddWorkspaceUsers: a per-user problem fails the whole request with its code (500 as its table lists) and applies nobody", async () => {
    const r = await both("batch-errors-whole-request", "AddWorkspaceUsers", {
      WorkspaceId: WS.main,
      UserIds: `${U.dev2},${U.viewer}`,
      RoleId: "27",
    });
    expect(r.plain.status).toBe(200);
    expect(r.plain.body).toMatchObject({ Success: true, Result: { Total: 2, Success: 1, Failure: 1 } });
    expect(memberIds(r.plainState, WS.main)).toContain(`${U.dev2}:27`);
    expect(r.quirk.status).toBe(500);
    expect(r.quirk.body).toMatchObject({
      Code: "Viewer.AddInTo.Workspace",
      Message: expect.stringContaining("Viewer"),
    });
    expect(memberIds(r.quirkState, WS.main)).not.toContain(`${U.dev2}:27`);
  });

  test("already a member: User.AlreadyIn.Role with the same role, User.AlreadyIn.Workspace with another", async () => {
    const emu = quirky.get("batch-errors-whole-request")!;
    const same = await call(emu, "AddWorkspaceUsers", {
      WorkspaceId: WS.main,
      UserIds: `${U.dev2},${U.dev}`,
      RoleId: "26",
    });
    expect([same.status, same.body.Code]).toEqual([500, "User.AlreadyIn.Role"]);
    const other = await call(emu, "AddWorkspaceUsers", {
      WorkspaceId: WS.main,
      UserIds: `${U.dev2},${U.dev}`,
      RoleId: "30",
    });
    expect([other.status, other.body.Code]).toEqual([500, "User.AlreadyIn.Workspace"]);
  });

  test("UpdateWorkspaceUsersRole: a non-member fails the whole request with User.NotIn.Workspace (400)", async () => {
    const r = await both("batch-errors-whole-request", "UpdateWorkspaceUsersRole", {
      WorkspaceId: WS.main,
      UserIds: `${U.analyst},${U.dev2}`,
      RoleId: "30",
    });
    expect(r.plain.body).toMatchObject({ Success: true, Result: { Success: 1, Failure: 1 } });
    expect(memberIds(r.plainState, WS.main)).toContain(`${U.analyst}:30`);
    expect([r.quirk.status, r.quirk.body.Code]).toEqual([400, "User.NotIn.Workspace"]);
    expect(memberIds(r.quirkState, WS.main)).toContain(`${U.analyst}:27`);
  });

  test("a batch without per-user problems answers the same", async () => {
    const r = await both("batch-errors-whole-request", "AddWorkspaceUsers", {
      WorkspaceId: WS.main,
      UserIds: U.dev2,
      RoleId: "30",
    });
    expect(differences(r.plain, r.quirk)).toEqual([]);
  });
});

describe("batch-all-failed-success-true", () => {
  test("every user failing: Success true instead of false; the same Result, nothing applied either way", async () => {
    const r = await both("batch-all-failed-success-true", "AddWorkspaceUsers", {
      WorkspaceId: WS.main,
      UserIds: `${U.dev},${U.viewer}`,
      RoleId: "30",
    });
    expect(r.plain.body).toMatchObject({ Success: false, Result: { Total: 2, Success: 0, Failure: 2 } });
    expect(differences(r.plain, r.quirk)).toEqual(["$.body.Success"]);
    expect(r.quirk.body.Success).toBe(true);
    expect(memberIds(r.quirkState, WS.main)).toEqual(memberIds(r.plainState, WS.main));
    expect(memberIds(r.quirkState, WS.main)).not.toContain(`${U.viewer}:30`);
  });

  test("a partial batch answers the same", async () => {
    const r = await both("batch-all-failed-success-true", "AddWorkspaceUsers", {
      WorkspaceId: WS.main,
      UserIds: `${U.dev2},${U.viewer}`,
      RoleId: "30",
    });
    expect(differences(r.plain, r.quirk)).toEqual([]);
  });
});

describe("failure-detail-literal-key", () => {
  test("UpdateWorkspaceUsersRole lists non-members under notExsistUserIds; other entries and the counts stay", async () => {
    const r = await both("failure-detail-literal-key", "UpdateWorkspaceUsersRole", {
      WorkspaceId: WS.main,
      UserIds: `${U.analyst},${U.dev2},${U.perm},ghost`,
      RoleId: "30",
    });
    expect(r.plain.body.Result).toMatchObject({ Total: 4, Success: 1, Failure: 3 });
    expect(differences(r.plain, r.quirk).sort()).toEqual(
      [
        `$.body.Result.FailureDetail.${U.dev2}`,
        `$.body.Result.FailureDetail.${U.perm}`,
        "$.body.Result.FailureDetail.notExsistUserIds",
      ].sort(),
    );
    expect((r.quirk.body.Result as { FailureDetail: Record<string, string> }).FailureDetail).toEqual({
      notExsistUserIds: "AE0150010004: The user is not a member of the group workspace.",
      ghost: "User.Not.In.Organization: The specified user is not in the organizational unit.",
    });
  });

  test("AddWorkspaceUsers is not affected", async () => {
    const r = await both("failure-detail-literal-key", "AddWorkspaceUsers", {
      WorkspaceId: WS.main,
      UserIds: `${U.dev2},${U.dev}`,
      RoleId: "30",
    });
    expect(differences(r.plain, r.quirk)).toEqual([]);
  });
});

describe("failure-detail-as-string", () => {
  test.each(["AddWorkspaceUsers", "UpdateWorkspaceUsersRole"])(
    "%s: FailureDetail is JSON text of the same map",
    async (action) => {
      const r = await both("failure-detail-as-string", action, {
        WorkspaceId: WS.main,
        UserIds: `${U.analyst},${U.dev2},${U.viewer}`,
        RoleId: "30",
      });
      const plainDetail = (r.plain.body.Result as { FailureDetail: unknown }).FailureDetail;
      const quirkDetail = (r.quirk.body.Result as { FailureDetail: unknown }).FailureDetail;
      expect(typeof quirkDetail).toBe("string");
      expect(JSON.parse(quirkDetail as string)).toEqual(plainDetail);
      expect(differences(r.plain, r.quirk).every((p) => p.startsWith("$.body.Result.FailureDetail"))).toBe(true);
    },
  );
});

describe("errors-http-500", () => {
  test("a business error answers 500 with the same body", async () => {
    const r = await both("errors-http-500", "AddUserToWorkspace", {
      WorkspaceId: WS.main,
      UserId: U.viewer,
      RoleId: "30",
    });
    expect(r.plain.status).toBe(400);
    expect(r.quirk.status).toBe(500);
    expect(differences(r.plain.body, r.quirk.body)).toEqual([]);
    const missing = await both("errors-http-500", "QueryUserInfoByUserId", {});
    expect([missing.plain.status, missing.quirk.status, missing.quirk.body.Code]).toEqual([
      400,
      500,
      "System.Param.Empty",
    ]);
  });

  test("gateway errors and successes keep their status", async () => {
    const gateway = await both("errors-http-500", "AddUsersToWorkspace", { WorkspaceId: WS.main });
    expect([gateway.plain.status, gateway.quirk.status]).toEqual([404, 404]);
    const ok = await both("errors-http-500", "QueryUserInfoByUserId", { UserId: U.dev });
    expect(differences(ok.plain, ok.quirk)).toEqual([]);
  });
});

describe("string-booleans", () => {
  test("Success and a boolean Result become the strings the old samples show", async () => {
    const r = await both("string-booleans", "AddUserToWorkspace", {
      WorkspaceId: WS.main,
      UserId: U.dev2,
      RoleId: "30",
    });
    expect(r.plain.body).toEqual({ Success: true, Result: true });
    expect(r.quirk.body).toEqual({ Success: "true", Result: "true" });
  });

  test('an object Result keeps its own booleans; a Success:false batch says "false"', async () => {
    const info = await both("string-booleans", "QueryUserInfoByUserId", { UserId: U.owner });
    expect(differences(info.plain, info.quirk)).toEqual(["$.body.Success"]);
    const failed = await both("string-booleans", "AddWorkspaceUsers", {
      WorkspaceId: WS.main,
      UserIds: U.dev,
      RoleId: "30",
    });
    expect(differences(failed.plain, failed.quirk)).toEqual(["$.body.Success"]);
    expect(failed.quirk.body.Success).toBe("false");
  });
});

describe("legacy-accountname", () => {
  test("AddUser with AccountName alone: refused naming AccountId by default, accepted with the quirk", async () => {
    const query = { AccountName: "corp@aliyun.com:legacy", NickName: "Legacy", UserType: "1" };
    const r = await both("legacy-accountname", "AddUser", query);
    expect(r.plain.status).toBe(400);
    expect(r.plain.body).toMatchObject({
      Code: "System.Param.Empty",
      Message: "You must specify the AccountId parameter.",
    });
    expect(r.quirk.status).toBe(200);
    expect(r.quirk.body).toMatchObject({ Success: true, Result: { AccountName: "legacy", NickName: "Legacy" } });
  });

  test("with AccountId both answer the same (ids are seeded alike)", async () => {
    const r = await both("legacy-accountname", "AddUser", { AccountId: "7001", NickName: "Both", UserType: "1" });
    expect(differences(r.plain, r.quirk)).toEqual([]);
  });
});

describe("naming quirks", () => {
  test("an unknown name is refused with the known ones listed", async () => {
    const err = await startEmulator({ quirks: ["string-booleans", "nope"] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnknownQuirkError);
    expect((err as Error).message).toBe(`unknown quirk "nope"; known quirks: ${QUIRK_NAMES.join(", ")}`);
  });

  test("the call log records the quirks in force", async () => {
    const emu = quirky.get("errors-http-500")!;
    emu.clearCalls();
    await call(emu, "QueryUserInfoByUserId", { UserId: U.dev });
    expect(emu.calls().map((c) => c.quirks)).toEqual([["errors-http-500"]]);
    plain.clearCalls();
    await call(plain, "QueryUserInfoByUserId", { UserId: U.dev });
    expect(plain.calls().map((c) => c.quirks)).toEqual([[]]);
  });
});

describe("the CI quirk matrix", () => {
  test("jest.config.js runs one project per quirk, each over the end-to-end suites that matter", () => {
    // jest.config.js is CommonJS.
    const config = require("../../../jest.config.js") as {
      projects: Array<{ displayName: string; testMatch?: string[]; globals?: Record<string, unknown> }>;
    };
    const quirkProjects = config.projects.filter((p) => p.displayName.startsWith("quirk:"));
    expect(quirkProjects.map((p) => p.globals?.QUICKBI_EMULATOR_QUIRKS).sort()).toEqual([...QUIRK_NAMES].sort());
    for (const p of quirkProjects) {
      expect(p.displayName).toBe(`quirk:${String(p.globals?.QUICKBI_EMULATOR_QUIRKS)}`);
      expect(p.testMatch).toEqual(
        expect.arrayContaining([
          "<rootDir>/tests/e2e/workspaceMembership.test.ts",
          "<rootDir>/tests/e2e/groupMembership.test.ts",
          "<rootDir>/tests/reliability/faultMatrix.test.ts",
        ]),
      );
    }
    expect(config.projects.find((p) => p.displayName === "default")?.globals).toBeUndefined();
  });
});

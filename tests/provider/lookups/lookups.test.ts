/**
 * Lookups against the emulator over real signed HTTP: exact matches, not-found with suggestions, ambiguity (including
 * Quick BI's own AE0579100001), the Output variants, and settings read from a running program's stack config.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  getUser,
  getUserGroup,
  getUserGroupOutput,
  getWorkspace,
  getWorkspaceOutput,
  getWorkspaceRoles,
  LookupAmbiguousError,
  LookupArgumentError,
  LookupNotFoundError,
} from "../../../provider/lookups";
import { runProgram } from "../../../engine/program";
import {
  DEMO_ACCESS_KEY,
  defaultSeed,
  startEmulator,
  type RunningEmulator,
  type SeedInput,
} from "pulumi-quickbi/emulator";

const SALES = "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01";
const OWNER = "a1f0c2d3e4b5468796a0b1c2d3e4f501";
const ENGINEERING = "8c6b5f4d-1e0a-4b92-8d3e-4f5a6b7c8d01";

function seed(): SeedInput {
  const s = defaultSeed();
  return {
    ...s,
    users: [
      ...(s.users ?? []),
      // Two RAM users called "alex" under different main accounts: QueryUserInfoByAccount("alex") is ambiguous.
      {
        userId: "0a0000000000000000000000000000a1",
        accountId: "2000000000000001",
        accountName: "corp-a@aliyun.com:alex",
        nickName: "Alex A",
        userType: 1,
        roleIds: [111111113],
      },
      {
        userId: "0a0000000000000000000000000000a2",
        accountId: "2000000000000002",
        accountName: "corp-b@aliyun.com:alex",
        nickName: "Alex B",
        userType: 1,
        roleIds: [111111113],
      },
    ],
    workspaces: [
      ...(s.workspaces ?? []),
      { workspaceId: "0b000000-0000-4000-8000-0000000000b1", workspaceName: "Ops", ownerUserId: OWNER },
      { workspaceId: "0b000000-0000-4000-8000-0000000000b2", workspaceName: "Ops", ownerUserId: OWNER },
      { workspaceId: "0b000000-0000-4000-8000-0000000000b3", workspaceName: "Ops Reporting", ownerUserId: OWNER },
    ],
    userGroups: [
      ...(s.userGroups ?? []),
      { userGroupId: "grp-ops-1", userGroupName: "On Call", parentUserGroupId: "-1" },
      { userGroupId: "grp-ops-2", userGroupName: "On Call", parentUserGroupId: ENGINEERING },
    ],
    workspaceRoles: [
      { roleId: 1001, roleName: "Report Builder", analystAllowed: true },
      { roleId: 1002, roleName: "Twin", analystAllowed: true },
      { roleId: 1003, roleName: "Twin", analystAllowed: true },
    ],
  };
}

let emu: RunningEmulator;
let config: Record<string, string>;
const opts = () => ({ config: { get: (k: string) => config[k] }, env: {} });

beforeAll(async () => {
  emu = await startEmulator({ seed: seed() });
  config = {
    "quickbi:endpoint": emu.url,
    "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
    "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
    "quickbi:maxRetries": "0",
  };
});
afterAll(async () => {
  await emu.stop();
});

describe("getWorkspace", () => {
  test("exact name among keyword results", async () => {
    // "Sales" is a keyword hit for "Sales Analytics" but not an exact match.
    const ws = await getWorkspace({ name: "Sales Analytics" }, opts());
    expect(ws).toMatchObject({ workspaceId: SALES, name: "Sales Analytics", ownerUserId: OWNER });
    await expect(getWorkspace({ name: "Sales" }, opts())).rejects.toThrow(LookupNotFoundError);
  });

  test("not found lists close matches", async () => {
    const e = await getWorkspace({ name: "Finanse" }, opts()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LookupNotFoundError);
    expect((e as LookupNotFoundError).closeMatches).toContain("Finance");
    expect((e as Error).message).toMatch(/no workspace "Finanse".*did you mean "Finance"/);
  });

  test("two workspaces with the same name are ambiguous, naming both ids", async () => {
    const e = (await getWorkspace({ name: "Ops" }, opts()).catch((x: unknown) => x)) as LookupAmbiguousError;
    expect(e).toBeInstanceOf(LookupAmbiguousError);
    expect(e.message).toContain("0b000000-0000-4000-8000-0000000000b1");
    expect(e.message).toContain("0b000000-0000-4000-8000-0000000000b2");
    expect((await getWorkspace({ name: "Ops Reporting" }, opts())).workspaceId).toBe(
      "0b000000-0000-4000-8000-0000000000b3",
    );
  });

  test("arguments are checked before any request", async () => {
    await expect(getWorkspace({ name: "  " }, opts())).rejects.toThrow(LookupArgumentError);
  });
});

describe("getUser", () => {
  test("by account name, RAM login prefix and UID", async () => {
    const byName = await getUser({ account: "demo-corp@aliyun.com:pavel.perm" }, opts());
    const byPrefix = await getUser({ account: "pavel.perm" }, opts());
    const byUid = await getUser({ account: "1000000000000002" }, opts());
    for (const u of [byName, byPrefix, byUid]) {
      expect(u).toMatchObject({
        userId: "b2e1d3c4f5a6479807b1c2d3e4f5a602",
        nickName: "Pavel Permissions",
        userType: "developer",
      });
    }
  });

  test("AE0579100001 becomes an ambiguity error suggesting parentAccountName or the UID; parentAccountName resolves it", async () => {
    const e = (await getUser({ account: "alex" }, opts()).catch((x: unknown) => x)) as LookupAmbiguousError;
    expect(e).toBeInstanceOf(LookupAmbiguousError);
    expect(e.code).toBe("AE0579100001");
    expect(e.requestId).toMatch(/\S/);
    expect(e.message).toMatch(/parentAccountName/);
    expect(e.message).toMatch(/UID/);
    // Quick BI lists RAM users without their main account: the UIDs tell them apart.
    expect(e.message).toContain("UID 2000000000000001");
    expect(e.message).toContain("UID 2000000000000002");
    const b = await getUser({ account: "alex", parentAccountName: "corp-b@aliyun.com" }, opts());
    expect(b.userId).toBe("0a0000000000000000000000000000a2");
    expect((await getUser({ account: "2000000000000001" }, opts())).nickName).toBe("Alex A");
  });

  test("not found suggests similar accounts", async () => {
    const e = (await getUser({ account: "pavel.prem" }, opts()).catch((x: unknown) => x)) as LookupNotFoundError;
    expect(e).toBeInstanceOf(LookupNotFoundError);
    expect(e.closeMatches).toContain("pavel.perm");
    expect(e.requestId).toMatch(/\S/);
  });
});

describe("getUserGroup", () => {
  test("exact name; same name under two parents is ambiguous until parentUserGroupId picks one", async () => {
    expect((await getUserGroup({ name: "Engineering" }, opts())).userGroupId).toBe(ENGINEERING);
    const e = await getUserGroup({ name: "On Call" }, opts()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LookupAmbiguousError);
    expect((e as Error).message).toMatch(/grp-ops-1.*grp-ops-2|grp-ops-2.*grp-ops-1/);
    expect((await getUserGroup({ name: "On Call", parentUserGroupId: ENGINEERING }, opts())).userGroupId).toBe(
      "grp-ops-2",
    );
  });

  test("not found walks the tree for suggestions", async () => {
    const e = (await getUserGroup({ name: "Busines" }, opts()).catch((x: unknown) => x)) as LookupNotFoundError;
    expect(e).toBeInstanceOf(LookupNotFoundError);
    expect(e.closeMatches).toContain("Business");
    const none = (await getUserGroup({ name: "Zzzzzzzz" }, opts()).catch((x: unknown) => x)) as LookupNotFoundError;
    expect(none.closeMatches).toEqual([]);
  });
});

describe("getWorkspaceRoles", () => {
  test("role name → id, preset aliases included, duplicated names left out", async () => {
    const r = await getWorkspaceRoles({ workspaceId: SALES }, opts());
    expect(r.roles).toMatchObject({ admin: 25, developer: 26, analyst: 27, viewer: 30, "Report Builder": 1001 });
    expect(r.roles.Twin).toBeUndefined();
    expect(r.ambiguousNames).toEqual(["Twin"]);
    expect(r.list.map((x) => x.roleId)).toEqual(expect.arrayContaining([25, 26, 27, 30, 1001, 1002, 1003]));
  });

  test("unknown workspace", async () => {
    const e = await getWorkspaceRoles({ workspaceId: "no-such-ws" }, opts()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LookupNotFoundError);
  });
});

describe("in a Pulumi program", () => {
  test("settings come from the stack config; Output variants take Inputs (preview included)", async () => {
    for (const preview of [true, false]) {
      const run = await runProgram(
        () => {
          const ws = getWorkspaceOutput({ name: pulumi.output("Finance") });
          const group = getUserGroupOutput({ name: "Business" });
          return { workspaceId: ws.workspaceId, owner: ws.ownerUserId, group: group.userGroupId };
        },
        { config, secretKeys: ["quickbi:accessKeySecret"], preview },
      );
      expect(run.errors).toEqual([]);
      expect(run.stackOutputs).toEqual({
        workspaceId: "6a4f3d2b-9c8e-4f70-8b1c-2d3e4f5a6b02",
        owner: "c3d2e4f5a6b7480918c2d3e4f5a6b703",
        group: "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03",
      });
    }
  });

  test("a failing lookup fails the program with its message", async () => {
    const run = await runProgram(
      async () => {
        await getWorkspace({ name: "Nope" });
      },
      { config, secretKeys: ["quickbi:accessKeySecret"] },
    );
    expect(run.errors.map((e) => e.message).join("\n")).toMatch(/no workspace "Nope"/);
  });
});

/**
 * The bad-input matrix: every argument of every resource, sent to the REAL dynamic-provider host's Check (one host for
 * the whole table) with the `__provider` text a real program registers. Property bags are sent as a program that
 * bypasses the TypeScript types would send them (plain JavaScript, YAML, config-driven code). Each row asserts that
 * check fails, that a failure names the property, and that its reason names the offending value and says how to fix it.
 */
import * as path from "node:path";
import * as quickbi from "pulumi-quickbi";
import { ProviderHost, UNKNOWN, type CheckFailure, type PropertyMap } from "../../engine/host";
import { runProgram, type Registration } from "../../engine/program";
import { createWorkspace, type Workspace } from "../../engine/workspace";
import { DEMO_ACCESS_KEY, defaultSeed, startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";

jest.setTimeout(60_000);

const REPO = path.resolve(__dirname, "../..");
const WS = "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01";
const GROUP = "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03";
const PAVEL = "b2e1d3c4f5a6479807b1c2d3e4f5a602";
const DANA = "c3d2e4f5a6b7480918c2d3e4f5a6b703";
/** The authoritative resources get workspaces/groups of their own: mixing them with the additive ones is refused. */
const SANDBOX = "7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03";
const ENGINEERING = "8c6b5f4d-1e0a-4b92-8d3e-4f5a6b7c8d01";

type Kind = "QuickBIUser" | "WorkspaceMembership" | "GroupMembership" | "WorkspaceMembers" | "GroupMembers";

/** Valid inputs per resource; each row changes one thing. */
const VALID: Record<Kind, PropertyMap> = {
  QuickBIUser: {
    accountId: "2000000000000031",
    accountName: "demo-corp@aliyun.com:bad.input",
    nickName: "Bad Input",
    userType: "analyst",
    roleIds: ["member"],
  },
  WorkspaceMembership: { workspaceId: WS, userIds: [PAVEL, DANA], role: "viewer" },
  GroupMembership: { userGroupId: GROUP, userIds: [PAVEL, DANA] },
  WorkspaceMembers: { workspaceId: SANDBOX, members: { [PAVEL]: "viewer", [DANA]: "developer" } },
  GroupMembers: { userGroupId: ENGINEERING, userIds: [PAVEL, DANA] },
};

const DELETE = Symbol("delete");
interface Row {
  readonly kind: Kind;
  readonly what: string;
  /** Property overrides; DELETE removes the property. */
  readonly set: Record<string, unknown>;
  /** The property the failure must name. */
  readonly property: string;
  /** The reason must contain these (the value as the user wrote it, and the fix). */
  readonly reason: (string | RegExp)[];
}

const many = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i).padStart(4, "0")}`);
const long = "x".repeat(51);

const ROWS: Row[] = [
  // ---- QuickBIUser ---------------------------------------------------------------------------------------------
  {
    kind: "QuickBIUser",
    what: "accountId of the wrong type",
    set: { accountId: 1914 },
    property: "accountId",
    reason: ["1914", "must be a string"],
  },
  {
    kind: "QuickBIUser",
    what: "empty accountId",
    set: { accountId: "" },
    property: "accountId",
    reason: ['""', "non-empty account UID"],
  },
  {
    kind: "QuickBIUser",
    what: "accountId with spaces",
    set: { accountId: "19 14" },
    property: "accountId",
    reason: ['"19 14"', "without spaces"],
  },
  {
    kind: "QuickBIUser",
    what: "accountName of the wrong type",
    set: { accountName: ["a"] },
    property: "accountName",
    reason: ['["a"]', "must be a string", "master:sub"],
  },
  {
    kind: "QuickBIUser",
    what: "empty accountName",
    set: { accountName: "  " },
    property: "accountName",
    reason: ['"  "', "must not be empty"],
  },
  {
    kind: "QuickBIUser",
    what: "over-long accountName",
    set: { accountName: long },
    property: "accountName",
    reason: [long.slice(0, 40), "at most 50"],
  },
  {
    kind: "QuickBIUser",
    what: "missing accountId (accountName alone)",
    set: { accountId: DELETE },
    property: "accountId",
    reason: [
      "set accountId",
      "versions released after 2024-12-31 require AccountId",
      "accountName alone is deprecated",
    ],
  },
  {
    kind: "QuickBIUser",
    what: "missing nickName",
    set: { nickName: DELETE },
    property: "nickName",
    reason: ["required", "set nickName"],
  },
  {
    kind: "QuickBIUser",
    what: "role id beyond 2^53 (would be rounded)",
    set: { roleIds: ["111111111111111111111"] },
    property: "roleIds[0]",
    reason: ['"111111111111111111111"', "larger than any role id Quick BI issues"],
  },
  {
    kind: "QuickBIUser",
    what: "nickName of the wrong type",
    set: { nickName: 42 },
    property: "nickName",
    reason: ["42", "must be a string"],
  },
  {
    kind: "QuickBIUser",
    what: "blank nickName",
    set: { nickName: "   " },
    property: "nickName",
    reason: ['"   "', "must not be empty"],
  },
  {
    kind: "QuickBIUser",
    what: "over-long nickName",
    set: { nickName: long },
    property: "nickName",
    reason: ["has 51", "shorten it"],
  },
  {
    kind: "QuickBIUser",
    what: "nickName with refused characters",
    set: { nickName: "Ana <admin>!" },
    property: "nickName",
    reason: ['"<"', '"!"', "use letters"],
  },
  {
    kind: "QuickBIUser",
    what: "missing userType",
    set: { userType: DELETE },
    property: "userType",
    reason: ["required", "developer, visitor, analyst"],
  },
  {
    kind: "QuickBIUser",
    what: "unknown userType",
    set: { userType: "admin" },
    property: "userType",
    reason: ['"admin"', "developer, visitor, analyst"],
  },
  {
    kind: "QuickBIUser",
    what: "userType of the wrong type",
    set: { userType: 3 },
    property: "userType",
    reason: ["3", "developer, visitor, analyst"],
  },
  {
    kind: "QuickBIUser",
    what: "roleIds not a list",
    set: { roleIds: "member" },
    property: "roleIds",
    reason: ['"member"', "list of organization roles"],
  },
  {
    kind: "QuickBIUser",
    what: "empty roleIds",
    set: { roleIds: [] },
    property: "roleIds",
    reason: ["[]", "at least one role", "omit roleIds"],
  },
  {
    kind: "QuickBIUser",
    what: "over-limit roleIds",
    set: { roleIds: ["member", 5001, 5002, 5003] },
    property: "roleIds",
    reason: ["5003", "at most 3", "remove 1"],
  },
  {
    kind: "QuickBIUser",
    what: "duplicate roleIds",
    set: { roleIds: ["member", "111111113"] },
    property: "roleIds[1]",
    reason: ['"111111113"', "already listed at index 0", "remove the duplicate"],
  },
  {
    kind: "QuickBIUser",
    what: "unknown role name",
    set: { roleIds: ["superuser"] },
    property: "roleIds[0]",
    reason: ['"superuser"', "orgAdmin, permissionAdmin, member"],
  },
  {
    kind: "QuickBIUser",
    what: "negative role id",
    set: { roleIds: [-4] },
    property: "roleIds[0]",
    reason: ["-4", "positive whole role id"],
  },
  {
    kind: "QuickBIUser",
    what: "fractional role id",
    set: { roleIds: [1.5] },
    property: "roleIds[0]",
    reason: ["1.5", "positive whole role id"],
  },
  {
    kind: "QuickBIUser",
    what: "role of the wrong type",
    set: { roleIds: [true] },
    property: "roleIds[0]",
    reason: ["true", "orgAdmin, permissionAdmin, member"],
  },
  {
    kind: "QuickBIUser",
    what: "visitor holding orgAdmin (cross rule)",
    set: { userType: "visitor", roleIds: ["orgAdmin"] },
    property: "roleIds[0]",
    reason: ["111111111", "OrgAdminOrPermissionAdmin.CannotChangeTo.Viewer", "use userType developer or analyst"],
  },
  {
    kind: "QuickBIUser",
    what: "visitor holding a custom role (cross rule)",
    set: { userType: "visitor", roleIds: ["member", 7001] },
    property: "roleIds[1]",
    reason: ["7001", "Viewer.CannotHave.CustomRole", "drop the role"],
  },
  {
    kind: "QuickBIUser",
    what: "adopt of the wrong type",
    set: { adopt: "yes" },
    property: "adopt",
    reason: ['"yes"', "true or false"],
  },
  {
    kind: "QuickBIUser",
    what: "empty transferWorksTo",
    set: { transferWorksTo: "" },
    property: "transferWorksTo",
    reason: ['""', "must not be empty"],
  },
  {
    kind: "QuickBIUser",
    what: "transferWorksTo with ':'",
    set: { transferWorksTo: "ws:user" },
    property: "transferWorksTo",
    reason: ['"ws:user"', "must not contain ':'"],
  },
  {
    kind: "QuickBIUser",
    what: "transferWorksTo of the wrong type",
    set: { transferWorksTo: 12 },
    property: "transferWorksTo",
    reason: ["12", "must be a string"],
  },
  {
    kind: "QuickBIUser",
    what: "misspelt property",
    set: { nickname: "Bad Input" },
    property: "nickname",
    reason: ['"nickname"', "valid properties are", "nickName"],
  },

  // ---- WorkspaceMembership -------------------------------------------------------------------------------------
  {
    kind: "WorkspaceMembership",
    what: "missing workspaceId",
    set: { workspaceId: DELETE },
    property: "workspaceId",
    reason: ["required", "set the workspace id"],
  },
  {
    kind: "WorkspaceMembership",
    what: "empty workspaceId",
    set: { workspaceId: "" },
    property: "workspaceId",
    reason: ['""', "must not be empty"],
  },
  {
    kind: "WorkspaceMembership",
    what: "workspaceId of the wrong type",
    set: { workspaceId: 17 },
    property: "workspaceId",
    reason: ["17", "must be a string"],
  },
  {
    kind: "WorkspaceMembership",
    what: "workspaceId with a comma",
    set: { workspaceId: `${WS},x` },
    property: "workspaceId",
    reason: [`"${WS},x"`, "must not contain spaces or commas"],
  },
  {
    kind: "WorkspaceMembership",
    what: "missing role",
    set: { role: DELETE },
    property: "role",
    reason: ["admin, developer, analyst, viewer"],
  },
  {
    kind: "WorkspaceMembership",
    what: "unknown role name",
    set: { role: "owner" },
    property: "role",
    reason: ['"owner"', "admin, developer, analyst, viewer or a custom role id"],
  },
  {
    kind: "WorkspaceMembership",
    what: "zero role id",
    set: { role: 0 },
    property: "role",
    reason: ["0", "positive whole role id"],
  },
  {
    kind: "WorkspaceMembership",
    what: "fractional role id",
    set: { role: 25.5 },
    property: "role",
    reason: ["25.5", "positive whole role id"],
  },
  {
    kind: "WorkspaceMembership",
    what: "role of the wrong type",
    set: { role: ["viewer"] },
    property: "role",
    reason: ['["viewer"]', "admin, developer, analyst, viewer"],
  },
  {
    kind: "WorkspaceMembership",
    what: "neither userId nor userIds",
    set: { userIds: DELETE },
    property: "userIds",
    reason: ["set userId", "or userIds"],
  },
  {
    kind: "WorkspaceMembership",
    what: "both userId and userIds (cross rule)",
    set: { userId: PAVEL },
    property: "userIds",
    reason: ["either userId", "not both"],
  },
  {
    kind: "WorkspaceMembership",
    what: "empty userId",
    set: { userIds: DELETE, userId: "" },
    property: "userId",
    reason: ['""', "must not be empty"],
  },
  {
    kind: "WorkspaceMembership",
    what: "userId with ':'",
    set: { userIds: DELETE, userId: "a:b" },
    property: "userId",
    reason: ['"a:b"', "must not contain ':'"],
  },
  {
    kind: "WorkspaceMembership",
    what: "userId of the wrong type",
    set: { userIds: DELETE, userId: 5 },
    property: "userId",
    reason: ["5", "must be a string"],
  },
  {
    kind: "WorkspaceMembership",
    what: "userIds not a list",
    set: { userIds: PAVEL },
    property: "userIds",
    reason: [`"${PAVEL}"`, "must be a list"],
  },
  {
    kind: "WorkspaceMembership",
    what: "empty userIds",
    set: { userIds: [] },
    property: "userIds",
    reason: ["[]", "at least one user", "remove the resource"],
  },
  {
    kind: "WorkspaceMembership",
    what: "over-limit userIds",
    set: { userIds: many(1001) },
    property: "userIds",
    reason: ['"u0000"', "at most 1000", "split the list"],
  },
  {
    kind: "WorkspaceMembership",
    what: "duplicate userIds",
    set: { userIds: [PAVEL, DANA, PAVEL] },
    property: "userIds[2]",
    reason: [`"${PAVEL}"`, "already listed at index 0", "remove the duplicate"],
  },
  {
    kind: "WorkspaceMembership",
    what: "userIds element with a space",
    set: { userIds: [PAVEL, "da na"] },
    property: "userIds[1]",
    reason: ['"da na"', "must not contain spaces or commas"],
  },
  {
    kind: "WorkspaceMembership",
    what: "userIds element of the wrong type",
    set: { userIds: [PAVEL, 7] },
    property: "userIds[1]",
    reason: ["7", "must be a string"],
  },
  {
    kind: "WorkspaceMembership",
    what: "adopt of the wrong type",
    set: { adopt: 1 },
    property: "adopt",
    reason: ["1", "true or false"],
  },
  {
    kind: "WorkspaceMembership",
    what: "misspelt property",
    set: { roles: "viewer" },
    property: "roles",
    reason: ['"roles"', "valid properties are", "role"],
  },
  {
    kind: "WorkspaceMembership",
    what: "role id beyond 2^53 (would be rounded)",
    set: { role: "99999999999999999999" },
    property: "role",
    reason: ['"99999999999999999999"', "larger than any role id Quick BI issues"],
  },
  {
    kind: "WorkspaceMembership",
    what: "role id the workspace does not have (read once per workspace)",
    set: { role: 28 },
    property: "role",
    reason: ["role 28 is not a role of workspace", "25 (", "30 (", "admin, developer, analyst, viewer"],
  },
  {
    kind: "WorkspaceMembership",
    what: "':' in workspaceId",
    set: { workspaceId: `${WS}:x` },
    property: "workspaceId",
    reason: [`"${WS}:x"`, "must not contain ':'"],
  },
  {
    kind: "WorkspaceMembership",
    what: "a duplicate next to a value not known yet",
    set: { userIds: [PAVEL, UNKNOWN, PAVEL] },
    property: "userIds[2]",
    reason: [`"${PAVEL}"`, "already listed at index 0"],
  },

  // ---- GroupMembership -----------------------------------------------------------------------------------------
  {
    kind: "GroupMembership",
    what: "missing userGroupId",
    set: { userGroupId: DELETE },
    property: "userGroupId",
    reason: ["required", "set the user group id"],
  },
  {
    kind: "GroupMembership",
    what: "':' in userGroupId",
    set: { userGroupId: `${GROUP}:x` },
    property: "userGroupId",
    reason: [`"${GROUP}:x"`, "must not contain ':'"],
  },
  {
    kind: "GroupMembership",
    what: "empty userGroupId",
    set: { userGroupId: " " },
    property: "userGroupId",
    reason: ['" "', "must not be empty"],
  },
  {
    kind: "GroupMembership",
    what: "userGroupId of the wrong type",
    set: { userGroupId: { id: GROUP } },
    property: "userGroupId",
    reason: [GROUP, "must be a string"],
  },
  {
    kind: "GroupMembership",
    what: "userGroupId with a space",
    set: { userGroupId: "ae8d 7b6f" },
    property: "userGroupId",
    reason: ['"ae8d 7b6f"', "must not contain spaces or commas"],
  },
  {
    kind: "GroupMembership",
    what: "neither userId nor userIds",
    set: { userIds: DELETE },
    property: "userIds",
    reason: ["set userId", "or userIds"],
  },
  {
    kind: "GroupMembership",
    what: "both userId and userIds (cross rule)",
    set: { userId: DANA },
    property: "userIds",
    reason: ["either userId", "not both"],
  },
  {
    kind: "GroupMembership",
    what: "userId with ':'",
    set: { userIds: DELETE, userId: "g:u" },
    property: "userId",
    reason: ['"g:u"', "must not contain ':'"],
  },
  {
    kind: "GroupMembership",
    what: "empty userIds",
    set: { userIds: [] },
    property: "userIds",
    reason: ["[]", "at least one user"],
  },
  {
    kind: "GroupMembership",
    what: "over-limit userIds",
    set: { userIds: many(1500) },
    property: "userIds",
    reason: ['"u0000"', "at most 1000", "split the list"],
  },
  {
    kind: "GroupMembership",
    what: "duplicate userIds",
    set: { userIds: [DANA, DANA] },
    property: "userIds[1]",
    reason: [`"${DANA}"`, "already listed at index 0"],
  },
  {
    kind: "GroupMembership",
    what: "userIds element empty",
    set: { userIds: [DANA, ""] },
    property: "userIds[1]",
    reason: ['""', "must not be empty"],
  },
  {
    kind: "GroupMembership",
    what: "adopt of the wrong type",
    set: { adopt: "true" },
    property: "adopt",
    reason: ['"true"', "true or false"],
  },
  {
    kind: "GroupMembership",
    what: "a workspace argument on a group (cross-resource mix-up)",
    set: { role: "viewer" },
    property: "role",
    reason: ['"role"', "valid properties are userGroupId, userId, userIds, adopt"],
  },

  // ---- WorkspaceMembers (authoritative) ------------------------------------------------------------------------
  {
    kind: "WorkspaceMembers",
    what: "missing workspaceId",
    set: { workspaceId: DELETE },
    property: "workspaceId",
    reason: ["required", "set the workspace id"],
  },
  {
    kind: "WorkspaceMembers",
    what: "empty workspaceId",
    set: { workspaceId: "" },
    property: "workspaceId",
    reason: ['""', "must not be empty"],
  },
  {
    kind: "WorkspaceMembers",
    what: "workspaceId of the wrong type",
    set: { workspaceId: 3 },
    property: "workspaceId",
    reason: ["3", "must be a string"],
  },
  {
    kind: "WorkspaceMembers",
    what: "missing members",
    set: { members: DELETE },
    property: "members",
    reason: ["required"],
  },
  {
    kind: "WorkspaceMembers",
    what: "members as a list",
    set: { members: [PAVEL] },
    property: "members",
    reason: [`["${PAVEL}"]`, "object mapping Quick BI user ids to roles"],
  },
  {
    kind: "WorkspaceMembers",
    what: "unknown role name",
    set: { members: { [PAVEL]: "owner" } },
    property: `members.${PAVEL}`,
    reason: ['"owner"', "admin, developer, analyst, viewer or a custom role id"],
  },
  {
    kind: "WorkspaceMembers",
    what: "zero role id",
    set: { members: { [PAVEL]: 0 } },
    property: `members.${PAVEL}`,
    reason: ["0", "positive whole role id"],
  },
  {
    kind: "WorkspaceMembers",
    what: "user id key with ':'",
    set: { members: { "ws:user": "viewer" } },
    property: "members.ws:user",
    reason: ["must not contain ':'"],
  },
  {
    kind: "WorkspaceMembers",
    what: "user id key with padding",
    set: { members: [[` ${PAVEL}`, "viewer"]].reduce((o, [k, v]) => ({ ...o, [k]: v }), {}) },
    property: `members. ${PAVEL}`,
    reason: ["remove the surrounding spaces"],
  },
  {
    kind: "WorkspaceMembers",
    what: "misspelt property",
    set: { member: {} },
    property: "member",
    reason: ['"member"', "valid properties are", "members"],
  },

  // ---- GroupMembers (authoritative) ----------------------------------------------------------------------------
  {
    kind: "GroupMembers",
    what: "missing userGroupId",
    set: { userGroupId: DELETE },
    property: "userGroupId",
    reason: ["required", "set the user group id"],
  },
  {
    kind: "GroupMembers",
    what: "userGroupId with a comma",
    set: { userGroupId: "a,b" },
    property: "userGroupId",
    reason: ['"a,b"', "must not contain spaces or commas"],
  },
  {
    kind: "GroupMembers",
    what: "missing userIds",
    set: { userIds: DELETE },
    property: "userIds",
    reason: ["required"],
  },
  {
    kind: "GroupMembers",
    what: "userIds not a list",
    set: { userIds: DANA },
    property: "userIds",
    reason: [`"${DANA}"`, "must be a list"],
  },
  {
    kind: "GroupMembers",
    what: "over-limit userIds",
    set: { userIds: many(1001) },
    property: "userIds",
    reason: ['"u0000"', "at most 1000"],
  },
  {
    kind: "GroupMembers",
    what: "duplicate userIds",
    set: { userIds: [DANA, PAVEL, DANA] },
    property: "userIds[2]",
    reason: [`"${DANA}"`, "already listed at index 0"],
  },
  {
    kind: "GroupMembers",
    what: "userIds element with ':'",
    set: { userIds: [DANA, "g:u"] },
    property: "userIds[1]",
    reason: ['"g:u"', "must not contain ':'"],
  },
  {
    kind: "GroupMembers",
    what: "userIds element of the wrong type",
    set: { userIds: [DANA, null] },
    property: "userIds[1]",
    reason: ["null", "must be a string"],
  },
  {
    kind: "GroupMembers",
    what: "misspelt property",
    set: { userId: DANA },
    property: "userId",
    reason: ['"userId"', "valid properties are", "userIds"],
  },
];

let ws: Workspace;
let host: ProviderHost;
let emu: RunningEmulator;
const regs = new Map<Kind, Registration>();

beforeAll(async () => {
  ws = await createWorkspace({ repoRoot: REPO });
  host = await ProviderHost.start({ cwd: ws.dir, callTimeoutMs: 30_000 });
  // As the engine: Configure first. Field checks never call Quick BI; the authoritative resources' check reads the
  // current members of valid inputs to plan the preview, so they get an emulator to read from.
  emu = await startEmulator({ seed: defaultSeed() });
  await host.configure({
    "quickbi:endpoint": emu.url,
    "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
    "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
  });
  const run = await runProgram(
    () => {
      new quickbi.QuickBIUser("user", VALID.QuickBIUser as unknown as quickbi.QuickBIUserArgs);
      new quickbi.WorkspaceMembership("ws", VALID.WorkspaceMembership as unknown as quickbi.WorkspaceMembershipArgs);
      new quickbi.GroupMembership("group", VALID.GroupMembership as unknown as quickbi.GroupMembershipArgs);
      new quickbi.WorkspaceMembers("wsm", VALID.WorkspaceMembers as unknown as quickbi.WorkspaceMembersArgs);
      new quickbi.GroupMembers("gm", VALID.GroupMembers as unknown as quickbi.GroupMembersArgs);
    },
    { config: {} },
  );
  expect(run.errors).toEqual([]);
  for (const r of run.registrations.filter((x) => x.custom)) regs.set(r.type.split(":").pop() as Kind, r);
  expect([...regs.keys()].sort()).toEqual([
    "GroupMembers",
    "GroupMembership",
    "QuickBIUser",
    "WorkspaceMembers",
    "WorkspaceMembership",
  ]);
});
afterAll(async () => {
  await host?.stop();
  await emu?.stop();
  await ws?.cleanup();
});

/** The registration's own inputs (`__provider`, and the `__urn` the authoritative resources carry), changed by the row. */
function bag(kind: Kind, set: Record<string, unknown>): PropertyMap {
  const out: PropertyMap = { ...regs.get(kind)!.inputs };
  for (const [k, v] of Object.entries(set)) {
    if (v === DELETE) delete out[k];
    else out[k] = v;
  }
  return out;
}

async function check(kind: Kind, set: Record<string, unknown>, olds: PropertyMap = {}): Promise<CheckFailure[]> {
  const r = await host.check(regs.get(kind)!.urn, olds, bag(kind, set));
  return r.failures;
}

test("the valid inputs of each resource pass check through the host", async () => {
  for (const kind of Object.keys(VALID) as Kind[]) expect(await check(kind, {})).toEqual([]);
});

test.each(ROWS.map((r) => [`${r.kind}: ${r.what}`, r] as const))("%s", async (_name, row) => {
  const failures = await check(row.kind, row.set);
  expect(failures.length).toBeGreaterThan(0);
  const named = failures.filter((f) => f.property === row.property);
  if (named.length === 0) throw new Error(`no failure names ${row.property}: ${JSON.stringify(failures)}`);
  const reasons = named.map((f) => f.reason).join("\n");
  for (const want of row.reason) {
    if (typeof want === "string") expect(reasons).toContain(want);
    else expect(reasons).toMatch(want);
  }
  // Nothing else is blamed: each failure names a property the row touched (or the one it expects).
  const touched = new Set([...Object.keys(row.set), row.property.replace(/\[\d+\]$/, "")]);
  for (const f of failures) expect(touched.has(f.property.replace(/\[\d+\]$/, ""))).toBe(true);
});

test("invalid role ids are each named once, never as a repeat of something unreadable", async () => {
  const failures = await check("QuickBIUser", { roleIds: [-1, "-5"] });
  expect(failures.map((f) => f.property).sort()).toEqual(["roleIds[0]", "roleIds[1]"]);
  for (const f of failures) expect(f.reason).not.toContain("[object Object]");
});

test("every argument of every resource appears in the matrix", () => {
  const covered = new Map<Kind, Set<string>>();
  for (const r of ROWS) {
    const set = covered.get(r.kind) ?? new Set<string>();
    for (const k of Object.keys(r.set)) set.add(k);
    set.add(r.property.replace(/\[\d+\]$/, ""));
    covered.set(r.kind, set);
  }
  const args: Record<Kind, string[]> = {
    QuickBIUser: ["accountId", "accountName", "nickName", "userType", "roleIds", "adopt", "transferWorksTo"],
    WorkspaceMembership: ["workspaceId", "userId", "userIds", "role", "adopt"],
    GroupMembership: ["userGroupId", "userId", "userIds", "adopt"],
    WorkspaceMembers: ["workspaceId", "members"],
    GroupMembers: ["userGroupId", "userIds"],
  };
  for (const [kind, list] of Object.entries(args) as [Kind, string[]][]) {
    for (const a of list)
      expect(`${kind}.${a}: ${covered.get(kind)?.has(a) ? "covered" : "missing"}`).toBe(`${kind}.${a}: covered`);
  }
});

test("several problems are reported at once, each under its own property", async () => {
  const failures = await check("QuickBIUser", {
    nickName: "",
    userType: "boss",
    roleIds: ["member", "member"],
    adopt: "no",
  });
  expect(new Set(failures.map((f) => f.property))).toEqual(new Set(["nickName", "userType", "roleIds[1]", "adopt"]));
});

describe("unknown values during preview are accepted (validated in the up)", () => {
  const UNKNOWN_ROWS: [Kind, Record<string, unknown>][] = [
    ["QuickBIUser", { accountName: UNKNOWN }],
    ["QuickBIUser", { accountId: UNKNOWN }],
    ["QuickBIUser", { nickName: UNKNOWN }],
    ["QuickBIUser", { userType: UNKNOWN }],
    ["QuickBIUser", { roleIds: UNKNOWN }],
    ["QuickBIUser", { roleIds: ["member", UNKNOWN] }],
    ["QuickBIUser", { transferWorksTo: UNKNOWN }],
    ["QuickBIUser", { adopt: UNKNOWN }],
    ["WorkspaceMembership", { workspaceId: UNKNOWN }],
    ["WorkspaceMembership", { role: UNKNOWN }],
    ["WorkspaceMembership", { userIds: UNKNOWN }],
    ["WorkspaceMembership", { userIds: [PAVEL, UNKNOWN, UNKNOWN] }],
    ["WorkspaceMembership", { userIds: DELETE, userId: UNKNOWN }],
    ["GroupMembership", { userGroupId: UNKNOWN }],
    ["GroupMembership", { userIds: [UNKNOWN] }],
    ["GroupMembership", { userIds: DELETE, userId: UNKNOWN }],
    ["WorkspaceMembers", { workspaceId: UNKNOWN }],
    ["WorkspaceMembers", { members: UNKNOWN }],
    ["WorkspaceMembers", { members: { [PAVEL]: UNKNOWN } }],
    ["GroupMembers", { userGroupId: UNKNOWN }],
    ["GroupMembers", { userIds: [DANA, UNKNOWN] }],
  ];
  test.each(
    UNKNOWN_ROWS.map(
      ([k, s]) => [`${k} ${JSON.stringify(s, (_k, v) => (v === DELETE ? "<unset>" : v))}`, k, s] as const,
    ),
  )("%s", async (_n, kind, set) => {
    expect(await check(kind, set)).toEqual([]);
  });

  test("an unknown value does not hide the other fields' problems", async () => {
    const failures = await check("WorkspaceMembership", { userIds: [UNKNOWN], role: "owner", workspaceId: "" });
    expect(failures.map((f) => f.property).sort()).toEqual(["role", "workspaceId"]);
  });

  test("on update (olds = the old inputs) the same rules apply", async () => {
    const failures = await check("GroupMembership", { userIds: [DANA, DANA] }, { userGroupId: GROUP, userIds: [DANA] });
    expect(failures.map((f) => f.property)).toEqual(["userIds[1]"]);
  });
});

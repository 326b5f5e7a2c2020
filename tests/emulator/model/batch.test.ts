import fc from "fast-check";
import { FAILURE_DETAIL } from "../../../emulator/model/codes";
import { Organization } from "../../../emulator/model/organization";
import { expectCode, fixtureOrg, fixtureSeed, U, WS } from "./fixture";

describe("AddWorkspaceUsers (batch add)", () => {
  test("partial success: per-user failures keyed by user id, the rest applied", () => {
    const org = fixtureOrg();
    const out = org.addWorkspaceMembers(WS.main, [U.dev2, U.dev, U.viewer, "ghost"], 27);
    expect(out).toEqual({
      applied: true,
      total: 4,
      success: 1,
      failure: 3,
      failureDetail: {
        [U.dev]: "AE0150010001: This user already exists.",
        [U.viewer]:
          "Viewer.AddInTo.Workspace: Organization members with viewer type are not allowed to add to workspace: Viewer.",
        ghost: "User.Not.In.Organization: The specified user is not in the organizational unit.",
      },
    });
    expect(org.getMembership(WS.main, U.dev2).roleIds).toEqual([27]);
    expect(org.getMembership(WS.main, U.dev).roleIds).toEqual([26]);
  });

  test("analyst with admin/developer role fails per user", () => {
    const org = fixtureOrg();
    const out = org.addWorkspaceMembers(WS.other, [U.analyst, U.dev], 26);
    expect(out.failureDetail[U.analyst]).toMatch(/^AnalystUser\.NotSupport\.AdminOrDevRole: /);
    expect(out.success).toBe(1);
  });

  test("every user failing: not applied (Success:false), nothing persisted", () => {
    const org = fixtureOrg();
    const before = JSON.stringify(org.toSeed());
    const out = org.addWorkspaceMembers(WS.main, [U.dev, U.owner], 30);
    expect(out).toMatchObject({ applied: false, total: 2, success: 0, failure: 2 });
    expect(out.failureDetail[U.owner]).toBe(FAILURE_DETAIL.alreadyMember);
    expect(JSON.stringify(org.toSeed())).toBe(before);
  });

  test("request-level errors: unknown workspace (HTTP 500 as documented), custom or invalid role, empty or >1000 ids", () => {
    const org = fixtureOrg();
    const before = JSON.stringify(org.toSeed());
    expectCode(() => org.addWorkspaceMembers("nope", [U.dev2], 30), "Workspace.Not.Exist", 500);
    expectCode(() => org.addWorkspaceMembers(WS.main, [U.dev2], 600), "User.RoleType.Valid");
    expectCode(() => org.addWorkspaceMembers(WS.main, [U.dev2], 31), "User.RoleType.Valid");
    expectCode(() => org.addWorkspaceMembers(WS.main, [], 30), "System.Param.Empty", 400, "UserIds");
    const many = Array.from({ length: 1001 }, (_, i) => `u${i}`);
    expectCode(() => org.addWorkspaceMembers(WS.main, many, 30), "Parameter.Length.Exceed", 400, "[UserIds]");
    expect(JSON.stringify(org.toSeed())).toBe(before);
  });

  test("duplicate ids in the list count once", () => {
    const out = fixtureOrg().addWorkspaceMembers(WS.main, [U.dev2, U.dev2], 30);
    expect(out).toMatchObject({ total: 1, success: 1, failure: 0, failureDetail: {} });
  });
});

describe("UpdateWorkspaceUsersRole (batch role update)", () => {
  test("non-members reported per user id with AE0150010004; members overwritten (custom roles dropped)", () => {
    const org = fixtureOrg();
    const out = org.setWorkspaceMembersRole(WS.main, [U.analyst, U.dev2], 30);
    expect(out).toEqual({
      applied: true,
      total: 2,
      success: 1,
      failure: 1,
      failureDetail: { [U.dev2]: "AE0150010004: The user is not a member of the group workspace." },
    });
    expect(org.getMembership(WS.main, U.analyst).roleIds).toEqual([30]);
  });

  test("owner demotion and analyst promotion fail per user", () => {
    const org = fixtureOrg();
    const out = org.setWorkspaceMembersRole(WS.main, [U.owner, U.analyst, U.dev], 26);
    expect(out.failureDetail[U.owner]).toMatch(/^Remove\.AdminRoleOf\.WorkspaceOwner: /);
    expect(out.failureDetail[U.analyst]).toMatch(/^AnalystUser\.NotSupport\.AdminOrDevRole: /);
    expect(out).toMatchObject({ total: 3, success: 1, failure: 2 });
    expect(org.getMembership(WS.main, U.owner).roleIds).toEqual([25]);
  });

  test("all failing -> not applied; request-level errors", () => {
    const org = fixtureOrg();
    expect(org.setWorkspaceMembersRole(WS.main, [U.dev2, "ghost"], 30)).toMatchObject({
      applied: false,
      success: 0,
      failure: 2,
    });
    expectCode(() => org.setWorkspaceMembersRole("nope", [U.dev], 30), "Workspace.Not.Exist");
    expectCode(() => org.setWorkspaceMembersRole(WS.main, [U.dev], 1), "User.RoleType.Valid");
    expectCode(() => org.setWorkspaceMembersRole(WS.main, [], 30), "System.Param.Empty");
  });
});

describe("batch invariants (property)", () => {
  const candidates = [U.owner, U.perm, U.dev, U.dev2, U.analyst, U.viewer, U.inactive, "ghost-1", "ghost-2"];
  const presets = [25, 26, 27, 30];

  test("counts always match the state change, and a fully failed batch changes nothing", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            add: fc.boolean(),
            ids: fc.subarray(candidates, { minLength: 1 }),
            role: fc.constantFrom(...presets),
          }),
          {
            maxLength: 8,
          },
        ),
        (ops) => {
          const org = fixtureOrg();
          for (const op of ops) {
            const before = new Map(
              org.listWorkspaceMembers(WS.main).map((m) => [m.user.userId, [...m.membership.roleIds]]),
            );
            const out = op.add
              ? org.addWorkspaceMembers(WS.main, op.ids, op.role)
              : org.setWorkspaceMembersRole(WS.main, op.ids, op.role);
            const after = new Map(
              org.listWorkspaceMembers(WS.main).map((m) => [m.user.userId, [...m.membership.roleIds]]),
            );
            expect(out.total).toBe(op.ids.length);
            expect(out.success + out.failure).toBe(out.total);
            expect(Object.keys(out.failureDetail)).toHaveLength(out.failure);
            expect(out.applied).toBe(out.success > 0);
            for (const id of op.ids) {
              const failed = id in out.failureDetail;
              if (failed || !out.applied) expect(after.get(id)).toEqual(before.get(id));
              else expect(after.get(id)).toEqual([op.role]);
            }
            // the owner always stays an admin; viewers never get in
            expect(after.get(U.owner)).toContain(25);
            expect(after.has(U.viewer)).toBe(false);
          }
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });
});

describe("rule batchErrorsWholeRequest (quirk batch-errors-whole-request)", () => {
  const wholeOrg = () =>
    Organization.fromSeed(fixtureSeed(), { randomSeed: 42, rules: { batchErrorsWholeRequest: true } });

  test("AddWorkspaceUsers: the first per-user problem fails the request with its code and the page's status; nobody applied", () => {
    const org = wholeOrg();
    const before = JSON.stringify(org.toSeed());
    expectCode(() => org.addWorkspaceMembers(WS.main, [U.dev2, U.viewer], 27), "Viewer.AddInTo.Workspace", 500);
    expectCode(() => org.addWorkspaceMembers(WS.main, [U.dev2, "ghost"], 27), "User.Not.In.Organization", 400);
    expectCode(() => org.addWorkspaceMembers(WS.main, [U.dev2, U.dev], 26), "User.AlreadyIn.Role", 500);
    expectCode(() => org.addWorkspaceMembers(WS.main, [U.dev2, U.dev], 30), "User.AlreadyIn.Workspace", 500);
    expectCode(
      () => org.addWorkspaceMembers(WS.other, [U.dev, U.analyst], 26),
      "AnalystUser.NotSupport.AdminOrDevRole",
      400,
    );
    expect(JSON.stringify(org.toSeed())).toBe(before);
    expect(org.addWorkspaceMembers(WS.main, [U.dev2], 27)).toMatchObject({ applied: true, success: 1, failure: 0 });
  });

  test("UpdateWorkspaceUsersRole: non-member -> User.NotIn.Workspace, owner demotion -> Remove.AdminRoleOf.WorkspaceOwner", () => {
    const org = wholeOrg();
    const before = JSON.stringify(org.toSeed());
    expectCode(() => org.setWorkspaceMembersRole(WS.main, [U.analyst, U.dev2], 30), "User.NotIn.Workspace", 400);
    expectCode(
      () => org.setWorkspaceMembersRole(WS.main, [U.analyst, U.owner], 30),
      "Remove.AdminRoleOf.WorkspaceOwner",
      400,
    );
    expect(JSON.stringify(org.toSeed())).toBe(before);
  });
});

describe("list limits count the entries sent", () => {
  test("1001 entries are over the limit even when they name fewer users", () => {
    const org = fixtureOrg();
    expectCode(
      () => org.addWorkspaceMembers(WS.main, Array(1001).fill(U.dev2), 30),
      "Parameter.Length.Exceed",
      400,
      "[UserIds]",
    );
    expect(org.addWorkspaceMembers(WS.main, Array(1000).fill(U.dev2), 30)).toMatchObject({ total: 1, success: 1 });
  });
});

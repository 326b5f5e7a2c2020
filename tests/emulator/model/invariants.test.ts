import fc from "fast-check";
import { QuickBIError } from "../../../emulator/model/errors";
import { MAX_USER_GROUP_DEPTH, Organization } from "../../../emulator/model/organization";
import { fixtureOrg, G, ROLE, U, WS } from "./fixture";

/**
 * Random sequences of operations against the model: every operation either applies or throws a QuickBIError and
 * leaves the state exactly as it was, and the documented invariants hold after every step.
 */
const users = [U.owner, U.perm, U.dev, U.dev2, U.analyst, U.viewer, U.inactive, "ghost"];
const workspaces = [WS.main, WS.other, "ws-ghost"];
const groups = ["-1", G.eng, G.data, "g-new", "g-ghost"];
const wsRoles = [25, 26, 27, 30, ROLE.wsPublisher, ROLE.wsExplorer, 99];
const orgRoles = [111111111, 111111112, 111111113, ROLE.orgAuditor, ROLE.orgReader, 7];

const op = fc.oneof(
  fc.record({
    k: fc.constant("addUser" as const),
    type: fc.integer({ min: 1, max: 3 }),
    roles: fc.subarray(orgRoles),
    nick: fc.constantFrom("Dev", "New", "New2", "Bad<"),
  }),
  fc.record({
    k: fc.constant("updateUser" as const),
    user: fc.constantFrom(...users),
    type: fc.option(fc.integer({ min: 1, max: 3 })),
    roles: fc.option(fc.subarray(orgRoles)),
    del: fc.option(fc.boolean()),
  }),
  fc.record({
    k: fc.constant("deleteUser" as const),
    user: fc.constantFrom(...users),
    to: fc.option(fc.constantFrom(...users)),
  }),
  fc.record({
    k: fc.constant("addMember" as const),
    ws: fc.constantFrom(...workspaces),
    user: fc.constantFrom(...users),
    role: fc.constantFrom(...wsRoles),
  }),
  fc.record({
    k: fc.constant("setRoles" as const),
    ws: fc.constantFrom(...workspaces),
    user: fc.constantFrom(...users),
    roles: fc.subarray(wsRoles),
  }),
  fc.record({
    k: fc.constant("removeMember" as const),
    ws: fc.constantFrom(...workspaces),
    user: fc.constantFrom(...users),
  }),
  fc.record({
    k: fc.constant("batch" as const),
    add: fc.boolean(),
    ws: fc.constantFrom(...workspaces),
    ids: fc.subarray(users),
    role: fc.constantFrom(...wsRoles),
  }),
  fc.record({
    k: fc.constant("createGroup" as const),
    parent: fc.constantFrom(...groups),
    id: fc.option(fc.constantFrom(...groups)),
    name: fc.constantFrom("Data", "X", "Y"),
  }),
  fc.record({ k: fc.constant("deleteGroup" as const), id: fc.constantFrom(...groups) }),
  fc.record({
    k: fc.constant("groupMembers" as const),
    id: fc.constantFrom(...groups),
    ids: fc.subarray(users),
    add: fc.boolean(),
  }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(org: Organization, o: Op): void {
  switch (o.k) {
    case "addUser":
      org.addUser({ accountId: `acc-${o.nick}`, nickName: o.nick, userType: o.type, roleIds: o.roles });
      return;
    case "updateUser":
      org.updateUser(o.user, {
        userType: o.type ?? undefined,
        roleIds: o.roles ?? undefined,
        isDeleted: o.del ?? undefined,
      });
      return;
    case "deleteUser":
      org.deleteUser(o.user, o.to ?? undefined);
      return;
    case "addMember":
      org.addWorkspaceMember(o.ws, o.user, o.role);
      return;
    case "setRoles":
      org.setWorkspaceMemberRoles(o.ws, o.user, o.roles);
      return;
    case "removeMember":
      org.removeWorkspaceMember(o.ws, o.user);
      return;
    case "batch":
      if (o.add) org.addWorkspaceMembers(o.ws, o.ids, o.role);
      else org.setWorkspaceMembersRole(o.ws, o.ids, o.role);
      return;
    case "createGroup":
      org.createUserGroup({ userGroupName: o.name, parentUserGroupId: o.parent, userGroupId: o.id ?? undefined });
      return;
    case "deleteGroup":
      org.deleteUserGroup(o.id);
      return;
    case "groupMembers":
      if (o.add) org.addUserGroupMembers(o.id, o.ids);
      else org.removeUserGroupMember(o.id, o.ids[0] ?? "ghost");
      return;
  }
}

function checkInvariants(org: Organization): void {
  const s = org.toSeed();
  const byId = new Map(s.users.map((u) => [u.userId, u]));
  expect(new Set(s.users.map((u) => u.nickName)).size).toBe(s.users.length);
  for (const u of s.users) {
    expect(u.roleIds.length).toBeGreaterThanOrEqual(1);
    expect(u.roleIds.length).toBeLessThanOrEqual(3);
  }
  expect(byId.get(U.owner)?.roleIds).toContain(111111111);
  for (const w of s.workspaces) {
    const own = s.workspaceMembers.find((m) => m.workspaceId === w.workspaceId && m.userId === w.ownerUserId);
    expect([own?.roleId, ...(own?.roleIds ?? [])]).toContain(25);
  }
  for (const m of s.workspaceMembers) {
    const u = byId.get(m.userId);
    expect(u).toBeDefined();
    const roles = [m.roleId, ...(m.roleIds ?? [])];
    expect(u!.userType).not.toBe(2);
    if (u!.userType === 3) {
      expect(roles).not.toContain(25);
      expect(roles).not.toContain(26);
      expect(roles).not.toContain(ROLE.wsPublisher);
    }
  }
  for (const g of s.userGroups) expect(org.groupPath(g.userGroupId).length).toBeLessThanOrEqual(MAX_USER_GROUP_DEPTH);
  for (const m of s.userGroupMembers) expect(byId.has(m.userId)).toBe(true);
}

test("operations are atomic and keep the organization's invariants", () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 20 }), (ops) => {
      const org = fixtureOrg();
      for (const o of ops) {
        const before = JSON.stringify(org.toSeed());
        try {
          apply(org, o);
        } catch (e) {
          if (!(e instanceof QuickBIError)) throw e;
          // a refused operation leaves the state as it was, so the invariants checked before still hold
          expect(JSON.stringify(org.toSeed())).toBe(before);
          continue;
        }
        checkInvariants(org);
      }
    }),
    { numRuns: 250, seed: 11 },
  );
});

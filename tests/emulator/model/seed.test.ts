import { Organization } from "../../../emulator/model/organization";
import { SeedSchema } from "../../../emulator/model/seed";
import { defaultSeed } from "../../../emulator/defaultSeed";
import { fixtureOrg, fixtureSeed, U, WS } from "./fixture";

describe("seed and state", () => {
  test("toSeed round-trips through fromSeed and satisfies the seed schema", () => {
    const org = fixtureOrg();
    org.addUser({ accountId: "x", nickName: "X", userType: 1 });
    org.createUserGroup({ userGroupName: "New", parentUserGroupId: "-1" });
    const first = org.toSeed();
    expect(() => SeedSchema.parse(first)).not.toThrow();
    const again = Organization.fromSeed(first).toSeed();
    expect(again).toEqual(first);
  });

  test("the default seed of the emulator loads", () => {
    const org = Organization.fromSeed(defaultSeed());
    expect(org.listUsers().length).toBeGreaterThan(5);
  });

  test("a workspace owner missing from the members is added as admin", () => {
    const seed = fixtureSeed();
    seed.workspaceMembers = seed.workspaceMembers!.filter((m) => m.userId !== U.owner);
    expect(Organization.fromSeed(seed).getMembership(WS.main, U.owner).roleIds).toEqual([25]);
  });

  test("inconsistent seeds are rejected with a message", () => {
    expect(() =>
      Organization.fromSeed({
        ...fixtureSeed(),
        workspaceMembers: [{ workspaceId: "nope", userId: U.dev, roleId: 26 }],
      }),
    ).toThrow(/unknown workspace/);
    expect(() =>
      Organization.fromSeed({ ...fixtureSeed(), userGroupMembers: [{ userGroupId: "nope", userId: U.dev }] }),
    ).toThrow(/unknown user group/);
    expect(() =>
      Organization.fromSeed({ ...fixtureSeed(), workspaceRoles: [{ roleId: 25, roleName: "Shadow" }] }),
    ).toThrow(/shadows a preset/);
    expect(() =>
      Organization.fromSeed({
        ...fixtureSeed(),
        workspaceMembers: [{ workspaceId: WS.main, userId: U.owner, roleId: 26 }],
      }),
    ).toThrow(/must hold role 25/);
  });

  test("ids are reproducible with a random seed and continue across a save/load", () => {
    const a = Organization.fromSeed(fixtureSeed(), { randomSeed: 1 });
    const b = Organization.fromSeed(fixtureSeed(), { randomSeed: 1 });
    const idA = a.addUser({ accountId: "x", nickName: "X", userType: 1 }).userId;
    expect(b.addUser({ accountId: "x", nickName: "X", userType: 1 }).userId).toBe(idA);
    const next = a.addUser({ accountId: "y", nickName: "Y", userType: 1 }).userId;
    const reloaded = Organization.fromSeed(b.toSeed(), { randomSeed: 1 });
    expect(reloaded.addUser({ accountId: "y", nickName: "Y", userType: 1 }).userId).toBe(next);
    const c = Organization.fromSeed(fixtureSeed(), { randomSeed: 2 });
    expect(c.addUser({ accountId: "x", nickName: "X", userType: 1 }).userId).not.toBe(idA);
  });

  test("an injected random source drives the ids", () => {
    let i = 0;
    const org = Organization.fromSeed({}, { random: () => ((i++ % 16) + 0.5) / 16 });
    expect(org.createUserGroup({ userGroupName: "G", parentUserGroupId: "-1" })).toBe(
      "01234567-89ab-4def-8123-456789abcdef",
    );
  });
});

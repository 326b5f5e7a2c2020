/**
 * Properties of diff/update, run against the emulator's organization model in-process (the real action table and
 * rules, without the wire; see modelCaller.ts), through the real handlers and services:
 *  - `diff(x, x)` is no change: what create returned, diffed against the same inputs (in any order), changes nothing;
 *  - diff then update converges: from any x to any y, applying what diff asks (update, or delete+create for a replace)
 *    leaves Quick BI holding exactly y, and a second diff finds nothing.
 */
import fc from "fast-check";
import { defaultSeed } from "pulumi-quickbi/emulator";
import { Organization } from "../../emulator/model/organization";
import { createServices } from "../../provider/batching";
import { createMembershipContext } from "../../provider/handlers/context";
import { createGroupMembershipHandler } from "../../provider/handlers/groupMembership";
import type { Handler } from "../../provider/handlers/handler";
import { createUserHandler } from "../../provider/handlers/user";
import { createWorkspaceMembershipHandler } from "../../provider/handlers/workspaceMembership";
import { ModelCaller } from "./modelCaller";

jest.setTimeout(120_000);
const RUNS = { numRuns: 40 };

const SANDBOX = "7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03";
const BUSINESS = "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03";
/** Developers who belong to no workspace or group in the seed: any of them may hold any workspace role. */
const POOL = Array.from({ length: 8 }, (_, i) => `e${i}`.padEnd(32, String(i)));
const WS_ROLES = { admin: 25, developer: 26, analyst: 27, viewer: 30 } as const;
type WsRole = keyof typeof WS_ROLES;

function world() {
  const seed = defaultSeed();
  seed.users = [
    ...(seed.users ?? []),
    ...POOL.map((userId, i) => ({
      userId,
      accountName: `pool.${i}`,
      nickName: `Pool ${i}`,
      userType: 1,
      roleIds: [111111113],
    })),
  ];
  const org = Organization.fromSeed(seed, { randomSeed: 1 });
  const caller = new ModelCaller(org);
  const services = createServices(caller);
  const ctx = createMembershipContext({ services: () => services, log: () => ({ log: () => undefined }) });
  return {
    org,
    caller,
    user: createUserHandler(ctx),
    workspace: createWorkspaceMembershipHandler(ctx),
    group: createGroupMembershipHandler(ctx),
  };
}

/** One resource's life as the engine plays it. */
class Life {
  id = "";
  inputs: Record<string, unknown> = {};
  outputs: Record<string, unknown> = {};
  constructor(private readonly h: Handler) {}

  private async checked(news: Record<string, unknown>): Promise<Record<string, unknown>> {
    const r = await this.h.check(this.id ? this.inputs : {}, news);
    expect(r.failures ?? []).toEqual([]);
    return r.inputs as Record<string, unknown>;
  }

  async create(news: Record<string, unknown>): Promise<void> {
    const inputs = await this.checked(news);
    const r = await this.h.create(inputs);
    this.id = r.id;
    this.inputs = inputs;
    this.outputs = (r.outs ?? {}) as Record<string, unknown>;
  }

  async diff(news: Record<string, unknown>) {
    const inputs = await this.checked(news);
    return { inputs, diff: await this.h.diff(this.id, this.outputs, inputs) };
  }

  /** An `up` to `news`; returns what the engine did. */
  async up(news: Record<string, unknown>): Promise<"same" | "update" | "replace"> {
    const { inputs, diff } = await this.diff(news);
    if (!diff.changes) {
      this.inputs = inputs;
      return "same";
    }
    if (diff.replaces && diff.replaces.length > 0) {
      // Memberships and users are natural keys: the handler must ask to delete first.
      expect(diff.deleteBeforeReplace).toBe(true);
      await this.h.delete(this.id, this.outputs);
      this.id = "";
      await this.create(news);
      return "replace";
    }
    const r = await this.h.update(this.id, this.outputs, inputs);
    this.inputs = inputs;
    this.outputs = (r.outs ?? {}) as Record<string, unknown>;
    return "update";
  }
}

// ---- generators -------------------------------------------------------------------------------------------------

interface MembershipSpec {
  readonly users: string[];
  readonly single: boolean;
}
const membership = fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 6 }).chain((users) =>
  fc.record({
    users: fc.shuffledSubarray(users, { minLength: users.length, maxLength: users.length }),
    single: users.length === 1 ? fc.boolean() : fc.constant(false),
  }),
);
const wsMembership = fc.record({ m: membership, role: fc.constantFrom(...(Object.keys(WS_ROLES) as WsRole[])) });

function memberArgs(m: MembershipSpec): Record<string, unknown> {
  return m.single ? { userId: m.users[0] } : { userIds: m.users };
}

const nick = fc
  .stringOf(fc.constantFrom(..."abcXYZ019 _-.".split("")), { minLength: 1, maxLength: 20 })
  .filter((s) => s.trim() !== "");
const orgRoles = fc.subarray(["orgAdmin", "permissionAdmin", "member"], { minLength: 1 });
const userSpec = fc
  .record({
    nickName: nick,
    userType: fc.constantFrom("developer", "analyst", "visitor"),
    roleIds: fc.option(orgRoles, { nil: undefined }),
  })
  // A visitor may hold only the member role (check refuses the rest); give it that explicitly so a change *to*
  // visitor also drops admin roles, which Quick BI requires.
  .map((u) => (u.userType === "visitor" ? { ...u, roleIds: ["member"] } : u));
const ORG_ROLE_ID: Record<string, number> = { orgAdmin: 111111111, permissionAdmin: 111111112, member: 111111113 };

// ---- properties -------------------------------------------------------------------------------------------------

describe("diff(x, x) is no change", () => {
  test("WorkspaceMembership", async () => {
    await fc.assert(
      fc.asyncProperty(wsMembership, fc.nat(), async ({ m, role }, seed) => {
        const w = world();
        const life = new Life(w.workspace);
        await life.create({ workspaceId: SANDBOX, role, ...memberArgs(m) });
        expect((await life.diff({ workspaceId: SANDBOX, role, ...memberArgs(m) })).diff.changes).toBe(false);
        // The order of a list is not a change either.
        const reordered = [...m.users].sort((a, b) => ((a.charCodeAt(1) + seed) % 7) - ((b.charCodeAt(1) + seed) % 7));
        if (!m.single)
          expect((await life.diff({ workspaceId: SANDBOX, role, userIds: reordered })).diff.changes).toBe(false);
        // Role written as its id instead of its name is the same role.
        expect((await life.diff({ workspaceId: SANDBOX, role: WS_ROLES[role], ...memberArgs(m) })).diff.changes).toBe(
          false,
        );
      }),
      RUNS,
    );
  });

  test("GroupMembership", async () => {
    await fc.assert(
      fc.asyncProperty(membership, async (m) => {
        const life = new Life(world().group);
        await life.create({ userGroupId: BUSINESS, ...memberArgs(m) });
        expect((await life.diff({ userGroupId: BUSINESS, ...memberArgs(m) })).diff.changes).toBe(false);
      }),
      RUNS,
    );
  });

  test("QuickBIUser", async () => {
    await fc.assert(
      fc.asyncProperty(userSpec, async (u) => {
        const life = new Life(world().user);
        const args = { accountId: "2000000000000051", accountName: "prop@aliyun.com:x", ...u };
        await life.create(args);
        expect((await life.diff(args)).diff.changes).toBe(false);
        if (u.roleIds)
          expect((await life.diff({ ...args, roleIds: [...u.roleIds].reverse() })).diff.changes).toBe(false);
      }),
      RUNS,
    );
  });
});

describe("diff then update converges", () => {
  test("WorkspaceMembership: from any membership to any other, Quick BI ends up holding exactly the new one", async () => {
    await fc.assert(
      fc.asyncProperty(wsMembership, wsMembership, async (x, y) => {
        const w = world();
        const life = new Life(w.workspace);
        await life.create({ workspaceId: SANDBOX, role: x.role, ...memberArgs(x.m) });
        const yArgs = { workspaceId: SANDBOX, role: y.role, ...memberArgs(y.m) };
        const did = await life.up(yArgs);
        // Switching between userId and userIds is a new natural key (replace); anything else is in place.
        if (x.m.single !== y.m.single || (x.m.single && x.m.users[0] !== y.m.users[0])) expect(did).toBe("replace");
        else expect(did).not.toBe("replace");
        expect((await life.diff(yArgs)).diff.changes).toBe(false);
        const held = new Map(
          w.org
            .toSeed()
            .workspaceMembers.filter((r) => r.workspaceId === SANDBOX && POOL.includes(r.userId))
            .map((r) => [r.userId, [r.roleId, ...(r.roleIds ?? [])]]),
        );
        expect(new Map([...held].sort())).toEqual(
          new Map(y.m.users.map((u) => [u, [WS_ROLES[y.role]]] as [string, number[]]).sort()),
        );
      }),
      RUNS,
    );
  });

  test("GroupMembership", async () => {
    await fc.assert(
      fc.asyncProperty(membership, membership, async (x, y) => {
        const w = world();
        const life = new Life(w.group);
        await life.create({ userGroupId: BUSINESS, ...memberArgs(x) });
        const yArgs = { userGroupId: BUSINESS, ...memberArgs(y) };
        await life.up(yArgs);
        expect((await life.diff(yArgs)).diff.changes).toBe(false);
        const held = w.org
          .toSeed()
          .userGroupMembers.filter((r) => r.userGroupId === BUSINESS && POOL.includes(r.userId))
          .map((r) => r.userId);
        expect(held.sort()).toEqual([...y.users].sort());
      }),
      RUNS,
    );
  });

  test("QuickBIUser: nickname, type and roles converge in place", async () => {
    await fc.assert(
      fc.asyncProperty(userSpec, userSpec, async (x, y) => {
        const w = world();
        const life = new Life(w.user);
        await life.create({ accountId: "2000000000000051", accountName: "prop@aliyun.com:x", ...x });
        const userId = life.id;
        const yArgs = { accountId: "2000000000000051", accountName: "prop@aliyun.com:x", ...y };
        expect(await life.up(yArgs)).not.toBe("replace");
        expect(life.id).toBe(userId);
        expect((await life.diff(yArgs)).diff.changes).toBe(false);
        const held = w.org.toSeed().users.find((u) => u.userId === userId)!;
        expect(held.nickName).toBe(y.nickName.trim());
        expect(held.userType).toBe({ developer: 1, visitor: 2, analyst: 3 }[y.userType]);
        const wantRoles = y.roleIds ?? x.roleIds ?? ["member"];
        expect([...held.roleIds].sort()).toEqual(wantRoles.map((r) => ORG_ROLE_ID[r]).sort());
      }),
      RUNS,
    );
  });
});

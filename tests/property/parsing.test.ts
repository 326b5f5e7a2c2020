/**
 * Properties of the pure parsing parts: membership resource IDs, workspace/organization role references and user
 * types round-trip, and `check` never throws and always answers in the documented shape, whatever the input bag.
 */
import fc from "fast-check";
import {
  ORGANIZATION_ROLES,
  USER_TYPES,
  WORKSPACE_ROLES,
  userTypeFromCode,
  userTypeToCode,
  workspaceRoleFromId,
  workspaceRoleToId,
  type UserTypeName,
  type WorkspaceRoleName,
} from "../../provider/api/roles";
import { parseMembershipId, setHash, setMembershipId, singleMembershipId } from "../../provider/handlers/ids";
import { workspaceRoleField, workspaceRoleId } from "../../provider/handlers/membershipSchema";
import { ORG_ROLE_NAMES, orgRoleRef } from "../../provider/handlers/userSchema";
import { createUserHandler } from "../../provider/handlers/user";
import { createWorkspaceMembershipHandler } from "../../provider/handlers/workspaceMembership";
import { createGroupMembershipHandler } from "../../provider/handlers/groupMembership";
import { UNKNOWN } from "../../provider/handlers/unknown";
import type { Services } from "../../provider/service";
import { createMembershipContext } from "../../provider/handlers/context";

const RUNS = { numRuns: 300 };

/** Ids as Quick BI hands them out and as users write them: non-empty, no ':' (the separator), no space or comma. */
const idChar = fc.constantFrom(..."abcdef0123456789-_ABCXYZ.".split(""));
const userId = fc.stringOf(idChar, { minLength: 1, maxLength: 40 }).filter((s) => !/^set-[0-9a-f]{8}$/.test(s));
/** A parent (workspace or user group) id may be anything non-empty, even hold ':' (the ID splits at the last one). */
const parentId = fc.string({ minLength: 1, maxLength: 40 });

describe("membership resource IDs", () => {
  test("a single-user ID parses back to its workspace/group and user", () => {
    fc.assert(
      fc.property(parentId, userId, (p, u) => {
        expect(parseMembershipId(singleMembershipId(p, u))).toEqual({ kind: "single", parentId: p, userId: u });
      }),
      RUNS,
    );
  });

  test("a list ID is the same for any order and repetition of the users, and parses back to its parent and hash", () => {
    fc.assert(
      fc.property(parentId, fc.array(userId, { minLength: 1, maxLength: 20 }), fc.nat(), (p, ids, seed) => {
        const shuffled = [...ids, ...ids.slice(0, seed % (ids.length + 1))].sort((a, b) =>
          (a + seed).localeCompare(b + seed),
        );
        const id = setMembershipId(p, ids);
        expect(setMembershipId(p, shuffled)).toBe(id);
        expect(parseMembershipId(id)).toEqual({ kind: "set", parentId: p, hash: setHash(ids) });
        expect(setHash(ids)).toMatch(/^[0-9a-f]{8}$/);
      }),
      RUNS,
    );
  });

  test("different user sets get different list IDs (no collisions in practice)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(userId, { minLength: 2, maxLength: 10 }), (ids) => {
        expect(setHash(ids)).not.toBe(setHash(ids.slice(1)));
      }),
      RUNS,
    );
  });
});

describe("role references", () => {
  const wsName = fc.constantFrom(...(Object.keys(WORKSPACE_ROLES) as WorkspaceRoleName[]));
  const orgName = fc.constantFrom(...(Object.keys(ORG_ROLE_NAMES) as (keyof typeof ORG_ROLE_NAMES)[]));
  const anyCase = (s: string, mask: number) =>
    [...s].map((c, i) => ((mask >> i) & 1 ? c.toUpperCase() : c.toLowerCase())).join("");
  const pad = fc.constantFrom("", " ", "  ", "\t");
  const roleId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });

  test("a preset workspace role name, in any case and padding, resolves to its id and back", () => {
    fc.assert(
      fc.property(wsName, fc.nat(), pad, pad, (name, mask, l, r) => {
        const parsed = workspaceRoleField.parse(`${l}${anyCase(name, mask)}${r}`);
        expect(workspaceRoleId(parsed)).toBe(WORKSPACE_ROLES[name]);
        expect(workspaceRoleFromId(workspaceRoleToId(name))).toBe(name);
      }),
      RUNS,
    );
  });

  test("a workspace role id round-trips as a number and as a numeric string", () => {
    fc.assert(
      fc.property(roleId, (id) => {
        expect(workspaceRoleField.parse(id)).toBe(id);
        expect(workspaceRoleField.parse(String(id))).toBe(id);
        expect(workspaceRoleToId(workspaceRoleFromId(id))).toBe(id);
      }),
      RUNS,
    );
  });

  test("an organization role name resolves to its preset id; ids round-trip", () => {
    fc.assert(
      fc.property(orgName, fc.nat(), roleId, (name, mask, id) => {
        expect(orgRoleRef.parse(anyCase(name, mask))).toBe(ORG_ROLE_NAMES[name]);
        expect(orgRoleRef.parse(id)).toBe(id);
        expect(orgRoleRef.parse(` ${id} `)).toBe(id);
      }),
      RUNS,
    );
    expect(Object.values(ORG_ROLE_NAMES).sort()).toEqual(Object.values(ORGANIZATION_ROLES).sort());
  });

  test("anything that is not a role name or a positive whole id is refused, never mapped to a preset", () => {
    const notARole = fc.oneof(
      fc
        .string()
        .filter((s) => !/^\s*\d+\s*$/.test(s) && !Object.keys(WORKSPACE_ROLES).includes(s.trim().toLowerCase())),
      fc.integer({ max: 0 }),
      fc.double({ noInteger: true }),
      fc.boolean(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(notARole, (v) => {
        expect(workspaceRoleField.safeParse(v).success).toBe(false);
      }),
      RUNS,
    );
  });

  test("user types round-trip through their codes", () => {
    for (const t of Object.keys(USER_TYPES) as UserTypeName[]) expect(userTypeFromCode(userTypeToCode(t))).toBe(t);
    fc.assert(
      fc.property(fc.integer(), (code) => {
        const name = userTypeFromCode(code);
        if (name !== undefined) expect(userTypeToCode(name)).toBe(code);
        else expect([1, 2, 3]).not.toContain(code);
      }),
      RUNS,
    );
  });
});

describe("check answers every input bag with failures, never an exception", () => {
  const noServices = (): Services => {
    throw new Error("check must not call Quick BI");
  };
  const ctx = () => createMembershipContext({ services: noServices, log: () => ({ log: () => undefined }) });
  const handlers = {
    user: {
      h: createUserHandler(ctx()),
      keys: ["accountId", "accountName", "nickName", "userType", "roleIds", "adopt", "transferWorksTo"],
    },
    workspace: {
      h: createWorkspaceMembershipHandler(ctx()),
      keys: ["workspaceId", "userId", "userIds", "role", "adopt"],
    },
    group: { h: createGroupMembershipHandler(ctx()), keys: ["userGroupId", "userId", "userIds", "adopt"] },
  };
  const value = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.constant(UNKNOWN),
    fc.array(fc.oneof(fc.string(), fc.constant(UNKNOWN), fc.integer()), { maxLength: 5 }),
  );

  test.each(Object.entries(handlers))("%s", async (_kind, { h, keys }) => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })), value, { maxKeys: 6 }),
        async (bag) => {
          const r = await h.check({}, bag);
          for (const f of r.failures ?? []) {
            expect(typeof f.property).toBe("string");
            expect(f.reason.length).toBeGreaterThan(0);
            // A failure names either an argument of the resource (possibly indexed) or the stray key itself.
            const stray = Object.prototype.hasOwnProperty.call(bag, f.property) && !keys.includes(f.property);
            expect(stray || keys.includes(f.property.replace(/[[.].*$/, ""))).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

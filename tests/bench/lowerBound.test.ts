/**
 * The lower bound of API calls per phase: the scenarios' known values at 1000 users (the formula in docs/scale.md, worked by
 * hand), and the group-add cover against brute force on small random graphs.
 */
import fc from "fast-check";
import { groupAddCalls, lowerBounds } from "../../bench/lowerBound";
import { SCENARIOS } from "../../bench/scenarios";

const byPhase = (name: keyof typeof SCENARIOS, users: number) =>
  Object.fromEntries(
    lowerBounds(SCENARIOS[name], users, 100).map((b) => [b.phase, [b.writes, b.reads, b.deletes, b.deletesAtLimitMs]]),
  );

test("issue 18's scenario at 1000 users: 10 adds, 10 role changes, 10 listings, 1000 deletes (10 s at 100/s)", () => {
  expect(byPhase("one-user", 1000)).toEqual({
    create: [10, 0, 0, 0],
    "change-roles": [10, 0, 0, 0],
    refresh: [0, 10, 0, 0],
    destroy: [0, 0, 1000, 10_000],
  });
  // The same memberships in list form have the same bound: it is a property of the access, not of the resources.
  expect(byPhase("one-user-lists", 1000)).toEqual(byPhase("one-user", 1000));
});

test("issue 15's scenario at 1000 users: group adds one call per group, group removals one call per leaving user", () => {
  expect(byPhase("access", 1000)).toEqual({
    // 10 AddWorkspaceUsers (one viewer batch per workspace) + 20 AddUserGroupMember (one per group)
    create: [30, 0, 0, 0],
    // 10 workspace listings (201 members each, owner included) + 20 group listings
    refresh: [0, 30, 0, 0],
    // the even users' analyst role: one UpdateWorkspaceUsersRole per workspace
    "change-roles": [10, 0, 0, 0],
    // 100 users leave 2 workspaces (200 DeleteUserFromWorkspace) and 2 groups (100 DeleteUserGroupMembers)
    "remove-10pct": [0, 0, 300, 3000],
    // 900 users × 2 workspaces + 900 DeleteUserGroupMembers
    destroy: [0, 0, 2700, 27_000],
  });
});

test("at 5000 users a workspace of the access scenario holds 1001 members: its listing takes two pages", () => {
  expect(byPhase("access", 5000).refresh).toEqual([0, 10 * 2 + 20, 0, 0]);
});

/** Fewest stars (a group with ≤ 1000 of its users, or a user with ≤ 1000 of their groups) covering every pair. */
function bruteForce(pairs: [string, string][]): number {
  const groups = [...new Set(pairs.map(([g]) => g))];
  const users = [...new Set(pairs.map(([, u]) => u))];
  const vertices = [...groups.map((g) => `g:${g}`), ...users.map((u) => `u:${u}`)];
  let best = Infinity;
  for (let mask = 0; mask < 1 << vertices.length; mask++) {
    const chosen = new Set(vertices.filter((_, i) => mask & (1 << i)));
    if (pairs.every(([g, u]) => chosen.has(`g:${g}`) || chosen.has(`u:${u}`))) best = Math.min(best, chosen.size);
  }
  return pairs.length === 0 ? 0 : best;
}

test("group adds: the min-cut cover equals the brute-force minimum on small graphs", () => {
  const pair = fc.tuple(fc.constantFrom("g1", "g2", "g3", "g4"), fc.constantFrom("u1", "u2", "u3", "u4", "u5"));
  fc.assert(
    fc.property(fc.uniqueArray(pair, { selector: ([g, u]) => `${g}|${u}`, maxLength: 12 }), (pairs) => {
      expect(groupAddCalls(pairs)).toBe(bruteForce(pairs));
    }),
    { numRuns: 200 },
  );
});

test("group adds: a group of more than 1000 new members costs one call per 1000", () => {
  const pairs = Array.from({ length: 2500 }, (_, i) => ["g", `u${i}`] as [string, string]);
  expect(groupAddCalls(pairs)).toBe(3);
});

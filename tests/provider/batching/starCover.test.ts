/** The fewest calls for a window's group-membership pairs (provider/batching/starCover.ts). */
import fc from "fast-check";
import { starCover } from "../../../provider/batching/starCover";

const pairs = (spec: Record<string, string[]>) =>
  Object.entries(spec).flatMap(([group, users]) => users.map((user) => ({ group, user })));

test("many users of one group: one call by group; one user in many groups: one call by user", () => {
  expect(starCover(pairs({ g1: ["a", "b", "c"] }))).toEqual([{ by: "group", id: "g1", others: ["a", "b", "c"] }]);
  expect(starCover(pairs({ g1: ["a"], g2: ["a"], g3: ["a"] }))).toEqual([
    { by: "user", id: "a", others: ["g1", "g2", "g3"] },
  ]);
});

test("two users each in the same two groups: two calls, whichever shape", () => {
  expect(starCover(pairs({ g1: ["a", "b"], g2: ["a", "b"] }))).toHaveLength(2);
});

test("removals have no many-users call: only stars by user, singles for the rest", () => {
  const stars = starCover(pairs({ g1: ["a", "b", "c"], g2: ["a"] }), { byGroup: false, byUser: true });
  expect(stars).toEqual([
    { by: "user", id: "a", others: ["g1", "g2"] },
    { by: "user", id: "b", others: ["g1"] },
    { by: "user", id: "c", others: ["g1"] },
  ]);
});

test("every pair is carried exactly once, by a star of an allowed shape, never more calls than pairs", () => {
  const arb = fc.array(
    fc.record({ group: fc.constantFrom("g1", "g2", "g3", "g4"), user: fc.constantFrom("a", "b", "c", "d", "e") }),
    { maxLength: 20 },
  );
  fc.assert(
    fc.property(arb, fc.boolean(), (ps, byGroup) => {
      const distinct = new Set(ps.map((p) => `${p.group}/${p.user}`));
      const stars = starCover(ps, { byGroup, byUser: true });
      const carried = stars.flatMap((s) => s.others.map((o) => (s.by === "group" ? `${s.id}/${o}` : `${o}/${s.id}`)));
      expect(carried.sort()).toEqual([...distinct].sort());
      if (!byGroup) expect(stars.every((s) => s.by === "user")).toBe(true);
      expect(stars.length).toBeLessThanOrEqual(distinct.size);
    }),
  );
});

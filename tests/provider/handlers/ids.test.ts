import fc from "fast-check";
import { parseMembershipId, setHash, setMembershipId, singleMembershipId } from "../../../provider/handlers/ids";
import { membershipId } from "../../../provider/handlers/members";

const userId = fc.stringMatching(/^[0-9a-f]{1,32}$/);
const parentId = fc.stringMatching(/^[A-Za-z0-9:_-]{1,40}$/).filter((s) => !s.startsWith(":"));

test("single-user IDs round-trip, even when the parent id contains ':'", () => {
  fc.assert(
    fc.property(parentId, userId, (p, u) => {
      expect(parseMembershipId(singleMembershipId(p, u))).toEqual({ kind: "single", parentId: p, userId: u });
    }),
  );
});

test("set IDs round-trip and do not depend on order or duplicates", () => {
  fc.assert(
    fc.property(parentId, fc.array(userId, { minLength: 1, maxLength: 20 }), (p, users) => {
      const id = setMembershipId(p, users);
      expect(id).toMatch(/:set-[0-9a-f]{8}$/);
      expect(parseMembershipId(id)).toEqual({ kind: "set", parentId: p, hash: setHash(users) });
      expect(setMembershipId(p, [...users].reverse().concat(users[0]))).toBe(id);
    }),
  );
});

test("the set hash is sha256 of the sorted ids joined by ','", () => {
  // sha256("a,b") = "d5b2e0d5..." computed independently with node:crypto below
  const expected = require("node:crypto").createHash("sha256").update("a,b").digest("hex").slice(0, 8);
  expect(setMembershipId("ws", ["b", "a"])).toBe(`ws:set-${expected}`);
});

test("different user sets give different IDs", () => {
  expect(setMembershipId("ws", ["a", "b"])).not.toBe(setMembershipId("ws", ["a", "c"]));
});

test("membershipId picks the form from the inputs", () => {
  expect(membershipId("ws", { userId: "u1" })).toBe("ws:u1");
  expect(membershipId("ws", { userIds: ["u1"] })).toBe(setMembershipId("ws", ["u1"]));
});

test.each(["", "nocolon", ":u1", "ws:"])("malformed ID %j is not parsed", (id) => {
  expect(parseMembershipId(id)).toBeUndefined();
});

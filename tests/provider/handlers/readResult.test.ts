/**
 * `readResult` returns inputs only when Quick BI differs from the recorded state: the recorded bag, null values and
 * `__provider` aside, must be exactly the outputs. Checked against that definition on random bags.
 */
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { readResult } from "../../../provider/handlers/handler";

const value = fc.oneof(
  fc.constantFrom("a", "b", 1, 2, true, null),
  fc.constantFrom(["a"], ["a", "b"], ["b", "a"], [], { a: 25 }, { a: 30 }, { a: 25, b: 30 }),
);
const bag = fc.dictionary(fc.constantFrom("workspaceId", "userId", "userIds", "role", "roleId", "__urn"), value, {
  maxKeys: 6,
});

function definition(prev: Record<string, unknown>, outs: Record<string, unknown>): boolean {
  const recorded = Object.fromEntries(Object.entries(prev).filter(([k, v]) => v !== null && k !== "__provider"));
  return isDeepStrictEqual(recorded, outs);
}

test("inputs exactly when the recorded state differs from what was read", () => {
  fc.assert(
    fc.property(bag, bag, fc.boolean(), fc.boolean(), (prev, read, same, withProvider) => {
      const outs = same ? (JSON.parse(JSON.stringify(prev)) as Record<string, unknown>) : read;
      for (const k of Object.keys(outs)) if (outs[k] === null) delete outs[k];
      const recorded = withProvider ? { ...prev, __provider: "exports.handler = ..." } : prev;
      const r = readResult("id", recorded, outs, () => ({ from: "read" }));
      expect(r.inputs === undefined).toBe(definition(recorded, outs));
      expect(r.props).toBe(outs);
    }),
    { numRuns: 5000 },
  );
});

/** The module the serialized shim loads in the provider host. */
import { configure, handler } from "../../../provider/runtime";

test("one handler per resource kind, reused across calls", () => {
  expect(handler("user")).toBe(handler("user"));
  expect(handler("workspaceMembership")).not.toBe(handler("user"));
  expect(typeof handler("groupMembership").create).toBe("function");
});

test("a kind this version does not know (state from a newer package) is a clear error", () => {
  expect(() => handler("dashboard")).toThrow(/unknown resource kind "dashboard"; upgrade the pulumi-quickbi package/);
});

test("without usable settings the first Quick BI call fails with a ConfigurationError naming the fix, not at load", async () => {
  configure({
    config: {
      get: (k: string) =>
        k === "quickbi:endpoint" ? "http://127.0.0.1:9" : k === "quickbi:maxQps" ? "lots" : undefined,
      require: () => "",
    },
  });
  // check needs no Quick BI call
  await expect(handler("user").check({}, { accountId: "1", nickName: "A", userType: "developer" })).resolves.toEqual({
    inputs: { accountId: "1", nickName: "A", userType: "developer" },
  });
  await expect(handler("user").read("u1", {})).rejects.toThrow(/ConfigurationError: .*quickbi:maxQps/);
});

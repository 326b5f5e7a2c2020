/** Long user lists go out in runs; one run failing as a whole fails its own users only. */
import { QuickBIApiError } from "../../../provider/api/errors";
import { chunk } from "../../../provider/api/ops/invoke";
import { perChunk } from "../../../provider/service/chunked";
import { OK, allWith } from "../../../provider/service/outcome";

const users = Array.from({ length: 7 }, (_, i) => `u${i}`);

test("chunk keeps order and the remainder", () => {
  expect(chunk(users, 3)).toEqual([["u0", "u1", "u2"], ["u3", "u4", "u5"], ["u6"]]);
  expect(chunk([], 3)).toEqual([]);
});

test("a run whose call fails as a whole fails its users with the Quick BI error; the other runs still go", async () => {
  const sent: string[][] = [];
  const out = await perChunk(users, 3, async (part) => {
    sent.push(part);
    if (part.includes("u3"))
      throw new QuickBIApiError({
        action: "AddWorkspaceUsers",
        code: "ServiceUnavailable",
        detail: "down",
        requestId: "R-1",
      });
    return allWith(part, OK);
  });
  expect(sent).toHaveLength(3);
  expect([...out.keys()]).toEqual(users);
  expect(out.get("u2")).toEqual(OK);
  expect(out.get("u4")).toMatchObject({
    ok: false,
    code: "ServiceUnavailable",
    requestId: "R-1",
    action: "AddWorkspaceUsers",
  });
  expect(out.get("u6")).toEqual(OK);
});

test("without failWhole the error propagates and no later run is sent", async () => {
  const sent: string[][] = [];
  const run = perChunk(
    users,
    3,
    async (part) => {
      sent.push(part);
      throw new QuickBIApiError({ action: "AddUserGroupMember", code: "InternalError", detail: "x" });
    },
    false,
  );
  await expect(run).rejects.toMatchObject({ code: "InternalError" });
  expect(sent).toHaveLength(1);
});

test("an error that is not a Quick BI answer is never turned into per-user failures", async () => {
  await expect(perChunk(users, 3, async () => Promise.reject(new TypeError("bug")))).rejects.toBeInstanceOf(TypeError);
});

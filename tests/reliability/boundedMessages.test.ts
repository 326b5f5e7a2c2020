/**
 * Messages stay small enough to reach the engine. An error or log line travels in a gRPC status or Log request: one
 * naming a thousand users (or echoing a 100 000-character id) once never arrived, and the operation hung until a
 * deadline. Through the real dynamic-provider host: the error arrives at once, names the first users and a count, and
 * keeps the Quick BI code and RequestId.
 */
import { GroupMembership } from "pulumi-quickbi";
import { ProviderError } from "../../engine/host";
import { benchSeed, userId } from "../../bench/scenario";
import { register, startHarness, stopHarness, type Harness } from "../e2e/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness(benchSeed(1000));
});
afterAll(async () => {
  await stopHarness(h);
});

test("1000 user ids and a mistyped group id: a short error naming 20 users and a count, with code and RequestId", async () => {
  const users = Array.from({ length: 1000 }, (_, i) => userId(i));
  const reg = (
    await register(() => {
      new GroupMembership("everyone", { userGroupId: "bench-group-typo", userIds: users });
    }, h.config)
  ).get("everyone")!;
  const checked = await h.host.check(reg.urn, {}, reg.inputs);
  expect(checked.failures).toEqual([]);
  const err = await h.host.create(reg.urn, checked.inputs).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  const message = (err as Error).message;
  expect(message.length).toBeLessThan(8 * 1024);
  expect(message).toMatch(/Usergroup\.Not\.Exist/);
  expect(message).toMatch(/RequestId [0-9A-F-]{36}/);
  expect(message).toContain(users[0]);
  expect(message).toContain("and 980 more");
  expect(message).not.toContain(users[999]);
});

test("ids of 100 000 characters are refused at check, quoting only their beginning", async () => {
  const huge = ["a", "b", "c"].map((c) => c.repeat(100_000));
  const reg = (
    await register(() => {
      new GroupMembership("huge", { userGroupId: "bench-group-0001", userIds: huge });
    }, h.config)
  ).get("huge")!;
  const checked = await h.host.check(reg.urn, {}, reg.inputs);
  expect(checked.failures.map((f) => f.property)).toEqual(["userIds[0]", "userIds[1]", "userIds[2]"]);
  for (const f of checked.failures) {
    expect(f.reason).toMatch(/is 100000 characters long; Quick BI ids are at most 128/);
    expect(f.reason.length).toBeLessThan(400);
  }
});

/**
 * writeOnce: one write for many users that never marks an unapplied user as done and never sends a landed user again.
 * A scripted target stands in for Quick BI so that every interleaving (lost answer, partial landing, refusal) is exact.
 */
import type { Verify } from "../../../provider/api/call";
import { QuickBIApiError } from "../../../provider/api/errors";
import { MAX_ROUNDS, writeOnce } from "../../../provider/service/mergedWrite";
import { OK, type Outcomes } from "../../../provider/service/outcome";

type Step = (users: readonly string[], verify: Verify, applied: Set<string>) => Promise<Outcomes>;

function target(steps: Step[]) {
  const applied = new Set<string>();
  const sent: string[][] = [];
  let reads = 0;
  return {
    applied,
    sent,
    reads: () => reads,
    write: {
      async send(users: readonly string[], verify: Verify) {
        sent.push([...users]);
        const step = steps.shift();
        if (!step) throw new Error("unexpected send");
        return step(users, verify, applied);
      },
      async landed(users: readonly string[]) {
        reads++;
        return new Set(users.filter((u) => applied.has(u)));
      },
    },
  };
}

const lost = (extra: Partial<ConstructorParameters<typeof QuickBIApiError>[0]> = {}) =>
  new QuickBIApiError({
    action: "AddWorkspaceUsers",
    code: "ConnectionReset",
    detail: "cut",
    retryable: true,
    ...extra,
  });

test("a clean answer: every user done, one call, no re-read", async () => {
  const t = target([
    async (users, _v, applied) => (users.forEach((u) => applied.add(u)), new Map(users.map((u) => [u, OK]))),
  ]);
  const out = await writeOnce(t.write, ["a", "b", "c"]);
  expect([...out.values()].every((o) => o.ok)).toBe(true);
  expect(t.sent).toEqual([["a", "b", "c"]]);
  expect(t.reads()).toBe(0);
});

test("answer lost after a partial landing: landed users are done, only the others are sent again", async () => {
  const t = target([
    async (users, verify, applied) => {
      applied.add("a");
      applied.add("b");
      // What the client does with a lost answer: ask verify; a partial landing stops it with outcomeUnknown.
      await expect(verify()).rejects.toThrow();
      throw lost({ outcomeUnknown: true, retryable: false });
    },
    async (users, _v, applied) => (users.forEach((u) => applied.add(u)), new Map(users.map((u) => [u, OK]))),
  ]);
  const out = await writeOnce(t.write, ["a", "b", "c", "d"]);
  expect(t.sent).toEqual([
    ["a", "b", "c", "d"],
    ["c", "d"],
  ]);
  expect([...out].map(([u, o]) => [u, o.ok])).toEqual([
    ["a", true],
    ["b", true],
    ["c", true],
    ["d", true],
  ]);
});

test("verify answers applied / not-applied when all or none landed", async () => {
  const seen: string[] = [];
  const t = target([
    async (_users, verify) => {
      seen.push(String(await verify()));
      return new Map();
    },
  ]);
  await writeOnce(t.write, ["a"]);
  t.applied.add("a");
  const t2 = target([
    async (_users, verify, applied) => {
      applied.add("z");
      seen.push(String(await verify()));
      return new Map([["z", OK]]);
    },
  ]);
  await writeOnce(t2.write, ["z"]);
  expect(seen).toEqual(["not-applied", "applied"]);
});

test("a refused call (definite failure): nobody is marked done, nothing is re-sent", async () => {
  const t = target([
    async () => {
      throw new QuickBIApiError({
        action: "AddWorkspaceUsers",
        code: "Workspace.Not.Exist",
        detail: "gone",
        retryable: false,
        requestId: "R1",
      });
    },
  ]);
  const out = await writeOnce(t.write, ["a", "b"]);
  expect(t.sent).toHaveLength(1);
  for (const u of ["a", "b"])
    expect(out.get(u)).toMatchObject({ ok: false, code: "Workspace.Not.Exist", requestId: "R1" });
});

test("answers keep getting lost: bounded rounds, then the users that never landed fail", async () => {
  const steps: Step[] = Array.from({ length: MAX_ROUNDS }, () => async () => {
    throw lost({ outcomeUnknown: true, retryable: false });
  });
  const t = target(steps);
  const out = await writeOnce(t.write, ["a", "b"]);
  expect(t.sent).toHaveLength(MAX_ROUNDS);
  for (const u of ["a", "b"]) expect(out.get(u)).toMatchObject({ ok: false, code: "ConnectionReset" });
});

test("the re-read itself fails: nobody is marked done", async () => {
  const t = target([
    async () => {
      throw lost({ outcomeUnknown: true, retryable: false });
    },
  ]);
  t.write.landed = async () => {
    throw new Error("read failed");
  };
  const out = await writeOnce(t.write, ["a"]);
  expect(out.get("a")).toMatchObject({ ok: false, code: "ConnectionReset" });
});

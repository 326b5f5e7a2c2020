/**
 * Coalescing preserves per-item results: concurrent membership writes through the coalescing services (several
 * resources' users merged into shared calls) give every user the same outcome (ok, or the same Quick BI code) and
 * leave Quick BI in the same state as the same requests sent one by one through the direct services. Both run against
 * the emulator's organization model in-process (modelCaller.ts), with users Quick BI refuses mixed in.
 */
import fc from "fast-check";
import { defaultSeed } from "pulumi-quickbi/emulator";
import { Organization } from "../../emulator/model/organization";
import { createServices } from "../../provider/batching";
import type { Outcomes, Services } from "../../provider/service";
import { ModelCaller } from "./modelCaller";

jest.setTimeout(120_000);

const SALES = "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01";
const SANDBOX = "7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03";
const BUSINESS = "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03";
const ENGINEERING = "8c6b5f4d-1e0a-4b92-8d3e-4f5a6b7c8d01";
/** Developers in no workspace or group, analysts, viewer-type users (refused by workspaces), a non-existent id. */
const DEVS = Array.from({ length: 6 }, (_, i) => `d${i}`.padEnd(32, String(i)));
const ANALYSTS = Array.from({ length: 3 }, (_, i) => `a${i}`.padEnd(32, String(i)));
const VIEWERS = ["b8c7d9eafb0c4d5e6db7c8d9eafb0c08", "c9d8eafb0c1d4e6f7ec8d9eafb0c1d09"];
const GHOST = "0".repeat(32);
const USERS = [...DEVS, ...ANALYSTS, ...VIEWERS, GHOST];

function world(coalesce: boolean): { org: Organization; caller: ModelCaller; services: Services } {
  const seed = defaultSeed();
  seed.users = [
    ...(seed.users ?? []),
    ...DEVS.map((userId, i) => ({
      userId,
      accountName: `dev.${i}`,
      nickName: `Dev ${i}`,
      userType: 1,
      roleIds: [111111113],
    })),
    ...ANALYSTS.map((userId, i) => ({
      userId,
      accountName: `analyst.${i}`,
      nickName: `Analyst ${i}`,
      userType: 3,
      roleIds: [111111113],
    })),
  ];
  const org = Organization.fromSeed(seed, { randomSeed: 1 });
  const caller = new ModelCaller(org);
  const services = createServices(
    caller,
    coalesce ? { batching: async () => ({ coalesce: true, batchWindowMs: 2 }) } : {},
  );
  return { org, caller, services };
}

interface WsRequest {
  readonly workspaceId: string;
  readonly roleId: number;
  readonly userIds: string[];
}

/** Concurrent requests whose user sets are disjoint per workspace (as distinct resources' are), so order cannot matter. */
const wsRequests = fc
  .shuffledSubarray(USERS, { minLength: 1, maxLength: USERS.length })
  .chain((users) =>
    fc
      .array(
        fc.record({
          workspace: fc.constantFrom(SALES, SANDBOX),
          roleId: fc.constantFrom(25, 26, 27, 30),
          cut: fc.nat(),
        }),
        {
          minLength: 1,
          maxLength: 5,
        },
      )
      .map((shape) => {
        const out: WsRequest[] = [];
        let rest = [...users];
        shape.forEach((s, i) => {
          const n = i === shape.length - 1 ? rest.length : Math.min(rest.length, 1 + (s.cut % 4));
          if (n === 0) return;
          out.push({ workspaceId: s.workspace, roleId: s.roleId, userIds: rest.slice(0, n) });
          rest = rest.slice(n);
        });
        return out;
      }),
  )
  .filter((reqs) => reqs.length > 0);

function plain(o: Outcomes): Record<string, string> {
  return Object.fromEntries([...o].map(([u, r]) => [u, r.ok ? "ok" : r.code]));
}

function workspaceRows(org: Organization): string[] {
  return org
    .toSeed()
    .workspaceMembers.map((m) => `${m.workspaceId}/${m.userId}/${[m.roleId, ...(m.roleIds ?? [])].join("+")}`)
    .sort();
}

test("workspace adds: every user gets the outcome it would get alone, and Quick BI ends up the same", async () => {
  await fc.assert(
    fc.asyncProperty(wsRequests, async (reqs) => {
      const alone = world(false);
      const expected: Record<string, string>[] = [];
      for (const r of reqs)
        expected.push(plain(await alone.services.workspaceMembers.addMembers(r.workspaceId, r.roleId, r.userIds)));

      const merged = world(true);
      const got = await Promise.all(
        reqs.map((r) => merged.services.workspaceMembers.addMembers(r.workspaceId, r.roleId, r.userIds)),
      );
      expect(got.map(plain)).toEqual(expected);
      // Every user asked about is answered, and nobody else.
      got.forEach((o, i) => expect([...o.keys()].sort()).toEqual([...reqs[i].userIds].sort()));
      expect(workspaceRows(merged.org)).toEqual(workspaceRows(alone.org));
    }),
    { numRuns: 40 },
  );
});

test("group adds and removes: per-user outcomes and the final groups match the one-by-one run", async () => {
  const groupOps = fc.array(
    fc.record({
      group: fc.constantFrom(BUSINESS, ENGINEERING),
      op: fc.constantFrom("add" as const, "remove" as const),
      users: fc.uniqueArray(fc.constantFrom(...USERS), { minLength: 1, maxLength: 5 }),
    }),
    { minLength: 1, maxLength: 5 },
  );
  await fc.assert(
    fc.asyncProperty(groupOps, async (ops) => {
      // Disjoint users per group across requests: distinct resources never share a (group, user) pair.
      const taken = new Set<string>();
      const reqs = ops
        .map((o) => ({
          ...o,
          users: o.users.filter((u) => !taken.has(`${o.group}/${u}`) && (taken.add(`${o.group}/${u}`), true)),
        }))
        .filter((o) => o.users.length > 0);
      const run = (s: Services, r: (typeof reqs)[number]) =>
        r.op === "add" ? s.groupMembers.addMembers(r.group, r.users) : s.groupMembers.removeMembers(r.group, r.users);

      const alone = world(false);
      const expected: Record<string, string>[] = [];
      for (const r of reqs) expected.push(plain(await run(alone.services, r)));
      const merged = world(true);
      const got = await Promise.all(reqs.map((r) => run(merged.services, r)));
      expect(got.map(plain)).toEqual(expected);
      const rows = (org: Organization) =>
        org
          .toSeed()
          .userGroupMembers.map((m) => `${m.userGroupId}/${m.userId}`)
          .sort();
      expect(rows(merged.org)).toEqual(rows(alone.org));
    }),
    { numRuns: 40 },
  );
});

test("coalescing does merge: concurrent adds to one workspace share calls", async () => {
  const merged = world(true);
  await Promise.all(DEVS.map((u) => merged.services.workspaceMembers.addMembers(SANDBOX, 30, [u])));
  const writes = merged.caller.log.filter((a) => a === "AddWorkspaceUsers" || a === "AddUserToWorkspace");
  expect(writes.length).toBeLessThan(DEVS.length);
});

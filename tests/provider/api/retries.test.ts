/**
 * Retry, verify and rate-limit behaviour against the emulator's fault injection. Backoff is scaled down to ms; the
 * decisions (what is retried, when verify is asked, what is never resent) are the production ones.
 */
import type { RunningEmulator } from "../../../emulator";
import { QuickBIApiError } from "../../../provider/api/errors";
import * as ops from "../../../provider/api/operations";
import { resetSharedLimiters } from "../../../provider/api/rateLimiter";
import { clientFor, recordEvents, rejection, SEED, startApiEmulator } from "./helpers";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startApiEmulator();
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(() => {
  emu.reset();
  emu.setFaults({});
  emu.clearCalls();
  resetSharedLimiters();
});

const member = { workspaceId: SEED.finance, userId: SEED.diego };

describe("idempotent reads", () => {
  it("ServiceUnavailable is retried with backoff until success", async () => {
    emu.setFaults({
      rules: [{ actions: ["ListOrganizationRoles"], errorRate: 1, errorCode: "ServiceUnavailable", times: 2 }],
    });
    const { events, onEvent } = recordEvents();
    const c = await clientFor(emu, { onEvent });
    const roles = await ops.listOrganizationRoles(c);
    expect(roles.length).toBeGreaterThan(0);
    expect(emu.calls({ action: "ListOrganizationRoles" }).map((r) => r.httpStatus)).toEqual([503, 503, 200]);
    expect(c.metrics.snapshot().byAction.ListOrganizationRoles).toMatchObject({
      calls: 1,
      attempts: 3,
      retries: 2,
      errors: 0,
    });
    expect(events.filter((e) => e.type === "retry").map((e) => (e.type === "retry" ? e.code : ""))).toEqual([
      "ServiceUnavailable",
      "ServiceUnavailable",
    ]);
  });

  it("a connection reset on a read is retried", async () => {
    emu.setFaults({ rules: [{ actions: ["QueryUserRoleInfoInWorkspace"], resetRate: 1, times: 1 }] });
    const c = await clientFor(emu);
    expect((await ops.queryUserRoleInfoInWorkspace(c, { workspaceId: SEED.sales, userId: SEED.owner })).RoleId).toBe(
      25,
    );
    expect(emu.calls({ action: "QueryUserRoleInfoInWorkspace" }).map((r) => r.code)).toEqual(["ConnectionReset", "OK"]);
  });

  it("a read timeout is retried", async () => {
    emu.setFaults({ rules: [{ actions: ["ListOrganizationRoles"], slowRate: 1, slowMs: 800, times: 1 }] });
    const { events, onEvent } = recordEvents();
    const c2 = await clientFor(emu, { config: { "quickbi:timeoutMs": "200" }, onEvent });
    await ops.listOrganizationRoles(c2);
    expect(events.some((e) => e.type === "failure" && e.code === "RequestTimeout")).toBe(true);
    expect(c2.metrics.total.retries).toBe(1);
  });

  it("retries are bounded by maxRetries and the final error says how many attempts were made", async () => {
    emu.setFaults({ rules: [{ actions: ["ListOrganizationRoles"], errorRate: 1, errorCode: "InternalError" }] });
    const c = await clientFor(emu, { config: { "quickbi:maxRetries": "3" } });
    const e = (await rejection(ops.listOrganizationRoles(c))) as QuickBIApiError;
    expect(e).toBeInstanceOf(QuickBIApiError);
    expect(e).toMatchObject({ code: "InternalError", httpStatus: 500, retryable: true, attempts: 4 });
    expect(emu.calls({ action: "ListOrganizationRoles" })).toHaveLength(4);
  });

  it("business errors are never retried", async () => {
    const c = await clientFor(emu);
    const e = (await rejection(ops.queryUserInfoByUserId(c, { userId: "0".repeat(32) }))) as QuickBIApiError;
    expect(e.code).toBe("User.Not.In.Organization");
    expect(e.attempts).toBe(1);
    expect(emu.calls({ action: "QueryUserInfoByUserId" })).toHaveLength(1);
  });
});

describe("throttling and the client-side limiter", () => {
  it("Throttling.User answers are retried until every call succeeds", async () => {
    emu.setFaults({ qps: 20, burst: 1 });
    const c = await clientFor(emu, {
      config: { "quickbi:maxQps": "1000", "quickbi:maxRetries": "20" },
      retry: { baseDelayMs: 20, maxDelayMs: 200 },
    });
    const results = await Promise.all(Array.from({ length: 8 }, () => ops.listOrganizationRoles(c)));
    expect(results).toHaveLength(8);
    const m = c.metrics.snapshot().total;
    expect(m.throttles).toBeGreaterThan(0);
    expect(m.retries).toBeGreaterThanOrEqual(m.throttles);
    expect(m.errors).toBe(0);
    expect(emu.calls().filter((r) => r.code === "Throttling.User").length).toBe(m.throttles);
  });

  it("a throttled write is resent without asking verify (throttling means not applied)", async () => {
    emu.setFaults({
      rules: [{ actions: ["AddUserToWorkspace"], errorRate: 1, errorCode: "Throttling.User", times: 1 }],
    });
    const c = await clientFor(emu);
    let verified = 0;
    await ops.addUserToWorkspace(c, { ...member, roleId: 26 }, { verify: async () => (verified++, "not-applied") });
    expect(verified).toBe(0);
    expect(emu.calls({ action: "AddUserToWorkspace" }).map((r) => r.code)).toEqual(["Throttling.User", "OK"]);
  });

  it("maxQps below the server's limit means no throttling at all", async () => {
    emu.setFaults({ qps: 20, burst: 1 });
    const c = await clientFor(emu, { config: { "quickbi:maxQps": "10" } });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => ops.listOrganizationRoles(c)));
    expect(c.metrics.total.throttles).toBe(0);
    // Six starts 100 ms apart.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it("clients of the same endpoint and key share one limiter", async () => {
    // Two separate 10 qps limiters would send 20 qps into a 15 qps server.
    emu.setFaults({ qps: 15, burst: 1 });
    const a = await clientFor(emu, { config: { "quickbi:maxQps": "10" } });
    const b = await clientFor(emu, { config: { "quickbi:maxQps": "10" } });
    await Promise.all([0, 1, 2].flatMap(() => [ops.listOrganizationRoles(a), ops.listOrganizationRoles(b)]));
    expect(a.metrics.total.throttles + b.metrics.total.throttles).toBe(0);
  });
});

describe("non-idempotent writes with unknown outcome", () => {
  it("reset BEFORE the server applied: verify says not-applied, the write is resent once, applied once", async () => {
    emu.setFaults({ rules: [{ actions: ["AddUserToWorkspace"], resetRate: 1, times: 1 }] });
    const { events, onEvent } = recordEvents();
    const c = await clientFor(emu, { onEvent });
    expect(await ops.addUserToWorkspace(c, { ...member, roleId: 26 })).toBe(true);
    expect(emu.calls({ action: "AddUserToWorkspace" }).map((r) => r.code)).toEqual(["ConnectionReset", "OK"]);
    expect(events.filter((e) => e.type === "verify").map((e) => (e.type === "verify" ? e.outcome : ""))).toEqual([
      "not-applied",
    ]);
    expect((await ops.queryUserRoleInfoInWorkspace(c, member)).RoleId).toBe(26);
  });

  it("reset AFTER the server applied: verify says applied, success is synthesized, nothing is sent twice", async () => {
    emu.setFaults({ rules: [{ actions: ["AddUserToWorkspace"], failAfterApplyRate: 1, times: 1 }] });
    const c = await clientFor(emu);
    expect(await ops.addUserToWorkspace(c, { ...member, roleId: 26 })).toBe(true);
    const adds = emu.calls({ action: "AddUserToWorkspace" });
    expect(adds).toHaveLength(1);
    expect(adds[0]!.mutated).toBe(true);
    expect(c.metrics.snapshot().byAction.AddUserToWorkspace).toMatchObject({ verifies: 1, synthesized: 1, errors: 0 });
  });

  it("AddUser applied but unanswered: verify finds the user by account and returns its UserId", async () => {
    emu.setFaults({ rules: [{ actions: ["AddUser"], failAfterApplyRate: 1, times: 1 }] });
    const c = await clientFor(emu);
    const r = await ops.addUser(c, { accountId: "3000000000000009", nickName: "Lost Answer", userType: 3 });
    expect(emu.calls({ action: "AddUser" })).toHaveLength(1);
    const listed = (await ops.listAllUsers(c)).filter((u) => u.NickName === "Lost Answer");
    expect(listed).toHaveLength(1);
    expect(r.UserId).toBe(listed[0]!.UserId);
  });

  it("a 503 on a write asks verify before resending", async () => {
    emu.setFaults({
      rules: [{ actions: ["AddUserToWorkspace"], errorRate: 1, errorCode: "ServiceUnavailable", times: 1 }],
    });
    const { events, onEvent } = recordEvents();
    const c = await clientFor(emu, { onEvent });
    expect(await ops.addUserToWorkspace(c, { ...member, roleId: 27 })).toBe(true);
    expect(events.filter((e) => e.type === "verify")).toHaveLength(1);
    expect(emu.calls({ action: "AddUserToWorkspace" }).map((r) => r.httpStatus)).toEqual([503, 200]);
  });

  it("a delete that landed but went unanswered is reported as done", async () => {
    const c = await clientFor(emu);
    await ops.addUserToWorkspace(c, { ...member, roleId: 26 });
    emu.setFaults({ rules: [{ actions: ["DeleteUserFromWorkspace"], failAfterApplyRate: 1, times: 1 }] });
    expect(await ops.deleteUserFromWorkspace(c, member)).toBe(true);
    expect(emu.calls({ action: "DeleteUserFromWorkspace" })).toHaveLength(1);
  });

  it("without verify, a write with unknown outcome throws outcomeUnknown and is not resent", async () => {
    emu.setFaults({ rules: [{ actions: ["AddUserToWorkspace"], failAfterApplyRate: 1, times: 1 }] });
    const c = await clientFor(emu);
    const e = (await rejection(
      c.call(
        "AddUserToWorkspace",
        { WorkspaceId: member.workspaceId, UserId: member.userId, RoleId: 26 },
        { idempotent: false },
      ),
    )) as QuickBIApiError;
    expect(e).toMatchObject({
      code: "ConnectionReset",
      outcomeUnknown: true,
      retryable: false,
      action: "AddUserToWorkspace",
    });
    expect(e.message).toContain("may or may not have been applied");
    expect(emu.calls({ action: "AddUserToWorkspace" })).toHaveLength(1);
  });

  it("if verify itself fails, the original error is reported with outcomeUnknown", async () => {
    emu.setFaults({ rules: [{ actions: ["AddUserToWorkspace"], resetRate: 1, times: 1 }] });
    const c = await clientFor(emu);
    const e = (await rejection(
      ops.addUserToWorkspace(
        c,
        { ...member, roleId: 26 },
        {
          verify: async () => {
            throw new Error("re-read failed");
          },
        },
      ),
    )) as QuickBIApiError;
    expect(e).toMatchObject({ code: "ConnectionReset", outcomeUnknown: true });
    expect(emu.calls({ action: "AddUserToWorkspace" })).toHaveLength(1);
  });

  it("idempotent writes (UpdateWorkspaceUserRole) are retried without verify", async () => {
    const c = await clientFor(emu);
    await ops.addUserToWorkspace(c, { ...member, roleId: 26 });
    emu.setFaults({ rules: [{ actions: ["UpdateWorkspaceUserRole"], failAfterApplyRate: 1, times: 1 }] });
    expect(await ops.updateWorkspaceUserRole(c, { ...member, roleId: 30 })).toBe(true);
    expect(emu.calls({ action: "UpdateWorkspaceUserRole" })).toHaveLength(2);
    expect(c.metrics.total.verifies).toBe(0);
    expect((await ops.queryUserRoleInfoInWorkspace(c, member)).RoleId).toBe(30);
  });
});

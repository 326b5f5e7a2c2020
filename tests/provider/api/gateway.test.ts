/** Gateway answers, malformed answers and envelope checks, as the client maps them. */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { defaultSeed, type RunningEmulator } from "../../../emulator";
import { QuickBIClient } from "../../../provider/api/client";
import { QuickBIApiError } from "../../../provider/api/errors";
import * as ops from "../../../provider/api/operations";
import { resolveSettings } from "../../../provider/api/settings";
import { clientFor, DEMO_ACCESS_KEY, rejection, startApiEmulator } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startApiEmulator({
    actions: {
      // A non-batch action answering Success:false, and one answering a Result of the wrong shape.
      ListOrganizationRoles: () => ({ success: false, result: null }),
      ListWorkspaceRoles: () => [{ RoleName: "no id" }],
    },
  });
});
afterAll(async () => {
  await emu.stop();
});

async function errorOf(p: Promise<unknown>): Promise<QuickBIApiError> {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(QuickBIApiError);
  return e as QuickBIApiError;
}

it("a wrong secret is SignatureDoesNotMatch (400, not retried)", async () => {
  const c = await clientFor(emu, { config: { "quickbi:accessKeySecret": "wrong-secret" } });
  const e = await errorOf(ops.queryUserList(c, { pageNum: 1, pageSize: 10 }));
  expect(e).toMatchObject({ code: "SignatureDoesNotMatch", httpStatus: 400, retryable: false, attempts: 1 });
  expect(e.requestId).toBeTruthy();
});

it("an unknown access key is InvalidAccessKeyId.NotFound (404)", async () => {
  const c = await clientFor(emu, { config: { "quickbi:accessKeyId": "LTAInobody" } });
  const e = await errorOf(ops.listUserGroupsByUserId(c, { userId: "x" }));
  expect(e).toMatchObject({ code: "InvalidAccessKeyId.NotFound", httpStatus: 404, retryable: false });
});

it("a 200 with Success:false on a non-batch action is an error, not a result", async () => {
  const c = await clientFor(emu);
  const e = await errorOf(ops.listOrganizationRoles(c));
  expect(e).toMatchObject({ code: "Unsuccessful", httpStatus: 200, retryable: false });
  expect(e.requestId).toBeTruthy();
});

it("a Result that does not match the documented shape is UnexpectedResult naming the field", async () => {
  const c = await clientFor(emu);
  const e = await errorOf(ops.listWorkspaceRoles(c, { workspaceId: "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01" }));
  expect(e.code).toBe("UnexpectedResult");
  expect(e.message).toContain("0.RoleId");
});

it("the emulator's seed and default key are what the tests assume", () => {
  expect(defaultSeed().accessKeys?.[0]?.accessKeyId).toBe(DEMO_ACCESS_KEY.accessKeyId);
});

describe("answers that are not Quick BI JSON", () => {
  let server: http.Server;
  let url: string;
  let hits = 0;
  let mode: "html502" | "html200" | "noSuccess" = "html502";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      req.resume();
      if (mode === "html502") {
        res.writeHead(502, { "content-type": "text/html" }).end("<html><body>Bad Gateway</body></html>");
      } else if (mode === "html200") {
        res.writeHead(200, { "content-type": "text/html" }).end("<html>portal login</html>");
      } else {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ RequestId: "R-1", Result: true }));
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  async function proxyClient(): Promise<QuickBIClient> {
    const cfg: Record<string, string> = {
      "quickbi:endpoint": url,
      "quickbi:accessKeyId": "id",
      "quickbi:accessKeySecret": "secret",
      "quickbi:maxRetries": "2",
    };
    return new QuickBIClient(await resolveSettings({ get: (k) => cfg[k] }, {}), {
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
  }

  it("an HTML error page is MalformedResponse, retried for reads", async () => {
    mode = "html502";
    hits = 0;
    const e = await errorOf(ops.listOrganizationRoles(await proxyClient()));
    expect(e).toMatchObject({ code: "MalformedResponse", retryable: true, attempts: 3 });
    expect(hits).toBe(3);
  });

  it("an HTML error page on a write without verify is outcomeUnknown and not resent", async () => {
    mode = "html200";
    hits = 0;
    const c = await proxyClient();
    const e = await errorOf(c.call("DeleteUser", { UserId: "u" }, { idempotent: false }));
    expect(e).toMatchObject({ code: "MalformedResponse", outcomeUnknown: true });
    expect(hits).toBe(1);
  });

  it("a JSON 200 without Success is MalformedResponse (never taken as success)", async () => {
    mode = "noSuccess";
    const e = await errorOf(
      ops.deleteUserGroup(await proxyClient(), { userGroupId: "g" }, { verify: async () => "not-applied" }),
    );
    expect(e).toMatchObject({ code: "MalformedResponse", requestId: "R-1", httpStatus: 200, retryable: false });
  });

  it("a closed port is ConnectionRefused; a write is safe to resend (never reached the server)", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const cfg: Record<string, string> = {
      "quickbi:endpoint": `http://127.0.0.1:${port}`,
      "quickbi:accessKeyId": "id",
      "quickbi:accessKeySecret": "secret",
      "quickbi:maxRetries": "1",
    };
    let verified = 0;
    const c = new QuickBIClient(await resolveSettings({ get: (k) => cfg[k] }, {}), {
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    const e = await errorOf(
      c.call("DeleteUser", { UserId: "u" }, { idempotent: false, verify: async () => (verified++, "not-applied") }),
    );
    expect(e).toMatchObject({ code: "ConnectionRefused", outcomeUnknown: false, attempts: 2 });
    expect(verified).toBe(0);
  });
});

describe("wire shape (what the client puts on the wire)", () => {
  interface Seen {
    method: string;
    url: URL;
    body: string;
    headers: http.IncomingHttpHeaders;
  }
  let server: http.Server;
  let client: QuickBIClient;
  const seen: Seen[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({
          method: req.method ?? "",
          url: new URL(req.url ?? "/", "http://x"),
          body: Buffer.concat(chunks).toString(),
          headers: req.headers,
        });
        const result =
          req.headers["x-acs-action"] === "AddUser"
            ? { UserId: "u1" }
            : { Data: [], PageNum: 1, PageSize: 10, TotalNum: 0, TotalPages: 0 };
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ RequestId: "R", Success: true, Result: result }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const cfg: Record<string, string> = {
      "quickbi:endpoint": `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      "quickbi:accessKeyId": "id",
      "quickbi:accessKeySecret": "secret",
    };
    client = new QuickBIClient(await resolveSettings({ get: (k) => cfg[k] }, {}));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("AddUser: POST, ACS3 signature, business params in the query, RoleIds in the form body", async () => {
    await ops.addUser(client, { accountName: "a:b", nickName: "N", userType: 1, roleIds: [111111113, 456] });
    const s = seen.at(-1)!;
    expect(s.method).toBe("POST");
    expect(s.url.pathname).toBe("/");
    expect(s.headers["x-acs-action"]).toBe("AddUser");
    expect(s.headers["x-acs-version"]).toBe("2022-01-01");
    expect(String(s.headers.authorization)).toMatch(
      /^ACS3-HMAC-SHA256 Credential=id,SignedHeaders=.+,Signature=[0-9a-f]{64}$/,
    );
    expect(s.url.searchParams.get("NickName")).toBe("N");
    expect(s.url.searchParams.get("UserType")).toBe("1");
    expect(s.url.searchParams.has("RoleIds")).toBe(false);
    expect(new URLSearchParams(s.body).get("RoleIds")).toBe("111111113,456");
    expect(s.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it("QueryUserList: GET with everything in the query; undefined params are not sent", async () => {
    await ops.queryUserList(client, { keyword: "ann", pageNum: 2, pageSize: 1000 });
    const s = seen.at(-1)!;
    expect(s.method).toBe("GET");
    expect(Object.fromEntries(s.url.searchParams)).toEqual({ Keyword: "ann", PageNum: "2", PageSize: "1000" });
    expect(s.body).toBe("");
  });
});

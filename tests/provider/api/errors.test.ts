import * as fc from "fast-check";
import {
  QuickBIApiError,
  isMembershipNotFound,
  isRetryable,
  isUserGroupNotFound,
  isUserNotFound,
  isWorkspaceNotFound,
} from "../../../provider/api/errors";
import { mapThrown } from "../../../provider/api/errorMapping";

describe("QuickBIApiError", () => {
  it("formats `QuickBI <Action> failed: <Code>: <Message> (RequestId <id>)`", () => {
    const e = new QuickBIApiError({
      action: "AddUserToWorkspace",
      code: "User.AlreadyIn.Workspace",
      detail: "This user already exists.",
      requestId: "D787E1A3-0000-0000-0000-000000000000",
      httpStatus: 400,
    });
    expect(e.message).toBe(
      "QuickBI AddUserToWorkspace failed: User.AlreadyIn.Workspace: This user already exists. (RequestId D787E1A3-0000-0000-0000-000000000000)",
    );
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("QuickBIApiError");
    expect(e.retryable).toBe(false);
    expect(e.outcomeUnknown).toBe(false);
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({
      code: "User.AlreadyIn.Workspace",
      action: "AddUserToWorkspace",
      httpStatus: 400,
    });
  });

  it("`with` keeps the class and rebuilds the message", () => {
    const e = new QuickBIApiError({ action: "DeleteUser", code: "RequestTimeout", detail: "no response" });
    const u = e.with({ outcomeUnknown: true, retryable: false });
    expect(u).toBeInstanceOf(QuickBIApiError);
    expect(u.outcomeUnknown).toBe(true);
    expect(u.retryable).toBe(false);
    expect(u.message).toContain("may or may not have been applied");
    expect(e.retryable).toBe(true);
  });
});

describe("isRetryable", () => {
  it.each([
    ["Throttling.User", 400, true],
    ["Throttling", 400, true],
    ["Throttling.Api", 503, true],
    ["ServiceUnavailable", 503, true],
    ["InternalError", 500, true],
    ["Internal.System.Error", 400, true],
    ["RequestTimeout", undefined, true],
    ["ConnectionReset", undefined, true],
    ["ConnectionRefused", undefined, true],
    ["HTTP502", 502, true],
    ["User.NotIn.Workspace", 400, false],
    ["Workspace.Not.Exist", 500, false], // business codes documented as 500 stay non-retryable
    ["Viewer.AddInTo.Workspace", 500, false],
    ["SignatureDoesNotMatch", 400, false],
    ["InvalidAccessKeyId.NotFound", 404, false],
    ["System.Param.Empty", 400, false],
  ] as const)("%s / %s -> %s", (code, status, want) => {
    expect(isRetryable(code, status)).toBe(want);
  });

  it("any 4xx dotted business code is not retryable", () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Z][a-zA-Z]{1,8}$/), { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 400, max: 499 }),
        (parts, status) => {
          const code = parts.join(".");
          fc.pre(!code.startsWith("Throttling") && !code.startsWith("Internal"));
          return !isRetryable(code, status);
        },
      ),
    );
  });
});

describe("not-found helpers", () => {
  const err = (code: string) => new QuickBIApiError({ action: "X", code, detail: "d" });
  it("classify by code", () => {
    expect(isUserNotFound(err("User.Not.In.Organization"))).toBe(true);
    expect(isUserNotFound(err("User.NotIn.Workspace"))).toBe(false);
    expect(isMembershipNotFound(err("User.NotIn.Workspace"))).toBe(true);
    expect(isMembershipNotFound(err("User.Not.In.Organization"))).toBe(false);
    expect(isUserGroupNotFound(err("Usergroup.Not.Exist"))).toBe(true);
    expect(isWorkspaceNotFound(err("Workspace.Not.Exist"))).toBe(true);
    expect(isWorkspaceNotFound(new Error("Workspace.Not.Exist"))).toBe(false);
    expect(isUserNotFound(undefined)).toBe(false);
  });
});

describe("mapThrown (shapes the SDK throws)", () => {
  const secrets = ["CANARY-SECRET", "LTAIcanaryKey"];
  it("a ResponseError with data -> Quick BI code, message, RequestId, status, Recommend", () => {
    const thrown = Object.assign(new Error("User.NotIn.Workspace: code: 400, ... request id: R1"), {
      code: "User.NotIn.Workspace",
      statusCode: 400,
      data: {
        Code: "User.NotIn.Workspace",
        Message: "The user is not a member of the group workspace.",
        RequestId: "R1",
        Recommend: "https://r",
        statusCode: 400,
      },
    });
    const { error, delivery } = mapThrown("QueryUserRoleInfoInWorkspace", thrown, secrets);
    expect(error).toMatchObject({
      code: "User.NotIn.Workspace",
      requestId: "R1",
      httpStatus: 400,
      recommend: "https://r",
      retryable: false,
      detail: "The user is not a member of the group workspace.",
    });
    expect(delivery).toBe("rejected");
  });

  it("server text echoing a secret is scrubbed", () => {
    const thrown = Object.assign(new Error("x"), {
      code: "InvalidAccessKeyId.NotFound",
      statusCode: 404,
      data: {
        Code: "InvalidAccessKeyId.NotFound",
        Message: "key LTAIcanaryKey / CANARY-SECRET not found",
        RequestId: "R2",
      },
    });
    const { error } = mapThrown("AddUser", thrown, secrets);
    expect(JSON.stringify(error)).not.toMatch(/CANARY-SECRET|LTAIcanaryKey/);
  });

  it("throttling is a rejection (safe to resend a write); 503 is unknown", () => {
    const t = mapThrown(
      "AddUser",
      Object.assign(new Error(), { code: "Throttling.User", data: { Code: "Throttling.User", statusCode: 400 } }),
      [],
    );
    expect(t.error.retryable).toBe(true);
    expect(t.delivery).toBe("rejected");
    const s = mapThrown(
      "AddUser",
      Object.assign(new Error(), { code: "ServiceUnavailable", statusCode: 503, data: { Code: "ServiceUnavailable" } }),
      [],
    );
    expect(s.delivery).toBe("unknown");
  });

  it("transport failures", () => {
    const syntax = mapThrown("A", new SyntaxError("Unexpected token <"), []);
    expect(syntax.error.code).toBe("MalformedResponse");
    const read = Object.assign(new Error("ReadTimeout(10). POST http://h/?a=b failed."), {
      name: "RequestTimeoutError",
    });
    expect(mapThrown("A", read, []).error.code).toBe("RequestTimeout");
    expect(mapThrown("A", read, []).error.message).not.toContain("http://h");
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(mapThrown("A", reset, [])).toMatchObject({
      error: { code: "ConnectionReset", retryable: true },
      delivery: "unknown",
    });
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(mapThrown("A", refused, [])).toMatchObject({
      error: { code: "ConnectionRefused", retryable: true },
      delivery: "not-sent",
    });
  });

  it("an unknown SDK error keeps only its name, never its message (which may embed the request)", () => {
    const weird = Object.assign(new Error("Authorization: ACS3-HMAC-SHA256 Credential=LTAIcanaryKey,Signature=abc"), {
      name: "UnretryableError",
      data: { headers: { authorization: "x" } },
    });
    const { error } = mapThrown("A", weird, secrets);
    expect(error.code).toBe("ClientError");
    expect(JSON.stringify(error) + error.message + error.stack).not.toMatch(/LTAIcanaryKey|Signature=|Authorization/);
  });
});

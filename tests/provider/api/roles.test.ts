import * as fc from "fast-check";
import {
  ORGANIZATION_ROLES,
  USER_TYPES,
  WORKSPACE_ROLES,
  organizationRoleFromId,
  organizationRoleToId,
  userTypeFromCode,
  userTypeToCode,
  workspaceRoleFromId,
  workspaceRoleToId,
} from "../../../provider/api/roles";
import { BatchResultSchema } from "../../../provider/api/ops/workspaces";
import { UserInfoSchema } from "../../../provider/api/ops/users";

describe("role and user-type mapping", () => {
  it("matches the documented codes", () => {
    expect(USER_TYPES).toEqual({ developer: 1, visitor: 2, analyst: 3 });
    expect(WORKSPACE_ROLES).toEqual({ admin: 25, developer: 26, analyst: 27, viewer: 30 });
    expect(ORGANIZATION_ROLES.orgAdmin).toBe(111111111);
  });

  it("round-trips names and passes custom ids through", () => {
    for (const n of Object.keys(USER_TYPES) as (keyof typeof USER_TYPES)[])
      expect(userTypeFromCode(userTypeToCode(n))).toBe(n);
    expect(userTypeFromCode(7)).toBeUndefined();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (id) => {
        const ws = workspaceRoleFromId(id);
        const org = organizationRoleFromId(id);
        return workspaceRoleToId(ws) === id && organizationRoleToId(org) === id;
      }),
    );
    expect(workspaceRoleFromId(25)).toBe("admin");
    expect(workspaceRoleFromId(1234)).toBe(1234);
    expect(workspaceRoleToId("viewer")).toBe(30);
  });
});

describe("Result schemas tolerate old doc shapes", () => {
  it("numbers and booleans as strings", () => {
    const r = UserInfoSchema.parse({ UserId: "u1", UserType: "3", AdminUser: "false", RoleIdList: ["111111113"] });
    expect(r).toMatchObject({ UserType: 3, AdminUser: false, RoleIdList: [111111113] });
  });

  it("FailureDetail as an object or a JSON string", () => {
    const obj = BatchResultSchema.parse({
      Total: 3,
      Success: 1,
      Failure: 2,
      FailureDetail: { a: "AE0150010001: This user already exists." },
    });
    const str = BatchResultSchema.parse({
      Total: "3",
      Success: "1",
      Failure: "2",
      FailureDetail: '{"a" : "AE0150010001: This user already exists."}',
    });
    expect(obj).toEqual(str);
    expect(obj).toEqual({
      total: 3,
      success: 1,
      failure: 2,
      failureDetail: { a: "AE0150010001: This user already exists." },
    });
    expect(BatchResultSchema.parse({ Total: 1, Success: 1, Failure: 0 }).failureDetail).toEqual({});
    expect(BatchResultSchema.safeParse({ Total: 1, Success: 1, Failure: 0, FailureDetail: "not json" }).success).toBe(
      false,
    );
  });
});

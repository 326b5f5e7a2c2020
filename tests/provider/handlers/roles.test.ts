import { workspaceRoleField, workspaceRoleId } from "../../../provider/handlers/membershipSchema";
import { ORG_ROLE_NAMES, orgRoleRef, userTypeField } from "../../../provider/handlers/userSchema";

test.each<[unknown, number]>([
  ["admin", 25],
  ["Developer", 26],
  [" analyst ", 27],
  ["VIEWER", 30],
  [25, 25],
  ["1001", 1001],
  [1001, 1001],
])("workspace role %j → id %d", (input, id) => {
  const parsed = workspaceRoleField.parse(input);
  expect(workspaceRoleId(parsed)).toBe(id);
});

test.each([["owner"], [0], [-3], [1.5], ["12a"], [""], [true], [null]])("workspace role %j is refused", (input) => {
  expect(workspaceRoleField.safeParse(input).success).toBe(false);
});

test.each<[unknown, number]>([
  ["orgAdmin", 111111111],
  ["orgadmin", 111111111],
  ["permissionAdmin", 111111112],
  ["member", 111111113],
  [111111113, 111111113],
  ["456", 456],
  [456, 456],
])("organization role %j → id %d", (input, id) => {
  expect(orgRoleRef.parse(input)).toBe(id);
});

test.each([["admin"], ["regularUser"], [0], [2.5], [""], [{}]])("organization role %j is refused", (input) => {
  expect(orgRoleRef.safeParse(input).success).toBe(false);
});

test("preset organization role names map to Quick BI's preset ids", () => {
  expect(ORG_ROLE_NAMES).toEqual({ orgAdmin: 111111111, permissionAdmin: 111111112, member: 111111113 });
});

test.each([
  ["developer", "developer"],
  ["Visitor", "visitor"],
  [" ANALYST", "analyst"],
])("user type %j → %j", (input, out) => {
  expect(userTypeField.parse(input)).toBe(out);
});

test.each([["viewer"], ["1"], [1]])("user type %j is refused", (input) => {
  expect(userTypeField.safeParse(input).success).toBe(false);
});

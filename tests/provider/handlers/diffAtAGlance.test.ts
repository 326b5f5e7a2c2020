/**
 * The diff's shortcut (`unchangedAtAGlance`: a single-user membership whose inputs are exactly what its state
 * records) may only ever say "no change" where the full diff says it too. Every pair of bags drawn here goes through
 * both: the handler with the shortcut and one built from the same kind without it. Likewise a state recognised
 * without parsing (`stateAtAGlance`) must be what the state's schema makes of the same bag.
 */
import fc from "fast-check";
import { groupMembershipKind } from "../../../provider/handlers/groupMembership";
import { membershipHandler } from "../../../provider/handlers/membership";
import { workspaceMembershipKind } from "../../../provider/handlers/workspaceMembership";
import { ctx, groupHandler, UNKNOWN, workspaceHandler } from "./helpers";

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const users = fc.constantFrom("a", "b");
const userIds = fc.constantFrom(["a"], ["b"], ["a", "b"], [], [UNKNOWN]);
const adopt = fc.constantFrom(true, false, null, "yes");

const wsBag = fc.record(
  {
    workspaceId: fc.constantFrom("ws", "ws2", UNKNOWN, 7),
    userId: maybe(fc.constantFrom("a", "b", UNKNOWN, "")),
    userIds: maybe(userIds),
    role: fc.constantFrom("admin", "viewer", "Viewer", 25, 30, "30", 1234, UNKNOWN, null),
    roleId: fc.constantFrom(25, 30, 1234, "30", null),
    userRoles: fc.constantFrom(undefined, null, { a: 25 }, { a: 30 }),
    adopt,
  },
  { requiredKeys: ["workspaceId"] },
);
const groupBag = fc.record(
  {
    userGroupId: fc.constantFrom("g", "h", UNKNOWN, 7),
    userId: maybe(users),
    userIds: maybe(userIds),
    adopt,
  },
  { requiredKeys: ["userGroupId"] },
);

/** A one-user state as the provider writes it, with one field then maybe changed to anything `wsBag` may hold. */
const wsState = fc
  .tuple(
    fc.constantFrom("ws", "ws2"),
    users,
    fc.constantFrom<[string | number, number]>(["admin", 25], ["viewer", 30], [1234, 1234]),
    wsBag,
    fc.constantFrom(undefined, "workspaceId", "userId", "userIds", "role", "roleId", "userRoles", "adopt"),
  )
  .map(([workspaceId, userId, [role, roleId], other, field]) => {
    const state: Record<string, unknown> = { workspaceId, userId, userIds: [userId], role, roleId };
    if (field !== undefined) state[field] = (other as Record<string, unknown>)[field];
    return state;
  });
const groupState = fc
  .tuple(
    fc.constantFrom("g", "h"),
    users,
    groupBag,
    fc.constantFrom(undefined, "userGroupId", "userId", "userIds", "adopt"),
  )
  .map(([userGroupId, userId, other, field]) => {
    const state: Record<string, unknown> = { userGroupId, userId, userIds: [userId] };
    if (field !== undefined) state[field] = (other as Record<string, unknown>)[field];
    return state;
  });

const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

describe("diff shortcut agrees with the full diff", () => {
  const full = { unchangedAtAGlance: undefined, stateAtAGlance: undefined };
  const fullWorkspace = membershipHandler({ ...workspaceMembershipKind, ...full }, ctx());
  const fullGroup = membershipHandler({ ...groupMembershipKind, ...full }, ctx());

  /**
   * For random states and inputs (half of them the inputs a state records, so the shortcut is taken often): where
   * the shortcut says "no change" the full diff says so too, and the handler answers as the full path does.
   */
  async function agrees(
    kind: typeof workspaceMembershipKind | typeof groupMembershipKind,
    handler: typeof workspaceHandler,
    fullPath: typeof workspaceHandler,
    states: fc.Arbitrary<Record<string, unknown>>,
    inputs: fc.Arbitrary<Record<string, unknown>>,
    recordedInputs: (state: Record<string, unknown>) => Record<string, unknown>,
    id: string,
  ): Promise<void> {
    let shortcuts = 0;
    await fc.assert(
      fc.asyncProperty(states, inputs, fc.boolean(), async (olds, news, recorded) => {
        const n = plain(recorded ? recordedInputs(olds) : news);
        const o = plain(olds);
        if (kind.unchangedAtAGlance!(o, n)) {
          shortcuts++;
          expect(await fullPath.diff(id, o, n)).toEqual({ changes: false });
        }
        expect(await handler.diff(id, o, n)).toEqual(await fullPath.diff(id, o, n));
      }),
      { numRuns: 3000 },
    );
    expect(shortcuts).toBeGreaterThan(20);
  }

  test("WorkspaceMembership", () =>
    agrees(
      workspaceMembershipKind,
      workspaceHandler,
      fullWorkspace,
      fc.oneof(wsBag, wsState),
      wsBag,
      (o) => ({
        workspaceId: o.workspaceId,
        userId: o.userId,
        role: o.role,
      }),
      "ws:a",
    ));

  test("GroupMembership", () =>
    agrees(
      groupMembershipKind,
      groupHandler,
      fullGroup,
      fc.oneof(groupBag, groupState),
      groupBag,
      (o) => ({
        userGroupId: o.userGroupId,
        userId: o.userId,
      }),
      "g:a",
    ));

  const withoutNulls = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

  test("a state told at a glance is the state its schema parses", () => {
    let told = 0;
    fc.assert(
      fc.property(fc.oneof(wsBag, wsState), fc.oneof(groupBag, groupState), (ws, group) => {
        for (const [kind, bag] of [
          [workspaceMembershipKind, plain(ws)],
          [groupMembershipKind, plain(group)],
        ] as const) {
          const quick = (kind.stateAtAGlance as (b: Record<string, unknown>) => unknown)(bag);
          if (quick === undefined) continue;
          told++;
          const parsed = kind.state.safeParse(withoutNulls(bag));
          expect(parsed.success).toBe(true);
          expect(quick).toEqual(parsed.data);
        }
      }),
      { numRuns: 3000 },
    );
    expect(told).toBeGreaterThan(100);
  });

  test("the one-user state the provider writes takes the shortcut", () => {
    const state = { workspaceId: "ws", userId: "a", userIds: ["a"], role: "viewer", roleId: 30 };
    expect(workspaceMembershipKind.unchangedAtAGlance!(state, { workspaceId: "ws", userId: "a", role: "viewer" })).toBe(
      true,
    );
    expect(workspaceMembershipKind.unchangedAtAGlance!(state, { workspaceId: "ws", userId: "a", role: 30 })).toBe(
      false,
    );
    expect(
      groupMembershipKind.unchangedAtAGlance!(
        { userGroupId: "g", userId: "a", userIds: ["a"] },
        { userGroupId: "g", userId: "a" },
      ),
    ).toBe(true);
  });
});

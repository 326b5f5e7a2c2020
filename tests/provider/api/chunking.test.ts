/** Request shaping that needs more ids than the emulator's seed has users: checked on the wire params directly. */
import type { CallOptions, Envelope, QueryParams, QuickBICaller } from "../../../provider/api/call";
import { QuickBIApiError } from "../../../provider/api/errors";
import { addUserGroupMember, addWorkspaceUsers, MAX_GROUP_MEMBERS_PER_CALL } from "../../../provider/api/operations";

class RecordingCaller implements QuickBICaller {
  readonly sent: { action: string; params: QueryParams; options: CallOptions }[] = [];
  constructor(private readonly answer: (action: string) => Envelope) {}
  async call(action: string, params: QueryParams, options: CallOptions): Promise<unknown> {
    return (await this.callEnvelope(action, params, options)).result;
  }
  async callEnvelope(action: string, params: QueryParams, options: CallOptions): Promise<Envelope> {
    this.sent.push({ action, params, options });
    return this.answer(action);
  }
}

it("addUserGroupMember splits UserIdList into chunks of at most 1000, in order", async () => {
  const rec = new RecordingCaller(() => ({ requestId: "R", success: true, result: true }));
  const ids = Array.from({ length: 2 * MAX_GROUP_MEMBERS_PER_CALL + 1 }, (_, i) => `u${i}`);
  await expect(addUserGroupMember(rec, { userGroupId: "g", userIds: ids })).resolves.toBe(true);
  const lists = rec.sent.map((s) => String(s.params.UserIdList).split(","));
  expect(lists.map((l) => l.length)).toEqual([1000, 1000, 1]);
  expect(lists.flat()).toEqual(ids);
  expect(rec.sent.every((s) => s.options.idempotent === false && typeof s.options.verify === "function")).toBe(true);
});

it("ids containing a comma are refused before sending", async () => {
  const rec = new RecordingCaller(() => ({ requestId: "R", success: true, result: true }));
  await expect(addWorkspaceUsers(rec, { workspaceId: "w", userIds: ["a,b"], roleId: 25 })).rejects.toBeInstanceOf(
    QuickBIApiError,
  );
  expect(rec.sent).toHaveLength(0);
});

it("a Success:false batch answer without Result counts every user as failed", async () => {
  const rec = new RecordingCaller(() => ({ requestId: "R9", success: false, result: undefined, code: "Some.Code" }));
  const r = await addWorkspaceUsers(rec, { workspaceId: "w", userIds: ["a", "b", "c"], roleId: 25 });
  expect(r).toEqual({
    total: 3,
    success: 0,
    failure: 3,
    failureDetail: {},
    requestSucceeded: false,
    requestId: "R9",
    code: "Some.Code",
    message: undefined,
  });
});

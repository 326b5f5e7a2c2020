/**
 * The organization listing behind the report's nicknames is started by the first report that misses one, not by
 * `configure`: a refresh (reads only, nothing reported) makes no listing of the organization, while a preview's report
 * still learns the names.
 */
import { DEMO_ACCESS_KEY, startEmulator, type CallRecord, type RunningEmulator } from "../../../emulator";
import { benchSeed, userId, workspaceId } from "../../../bench/scenario";
import { URN_KEY } from "../../../provider/contract/hiddenInputs";
import { configure, handler } from "../../../provider/runtime";

let emu: RunningEmulator;
const calls: CallRecord[] = [];
const actions = (): string[] => calls.map((c) => c.action ?? "(none)");

beforeAll(async () => {
  const seed = benchSeed(20);
  seed.workspaceMembers = [
    ...(seed.workspaceMembers ?? []),
    { workspaceId: workspaceId(0), userId: userId(0), roleId: 30 },
  ];
  emu = await startEmulator({ seed, randomSeed: 3, onCall: (r) => calls.push(r) });
  const values: Record<string, string> = {
    "quickbi:endpoint": emu.url,
    "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
    "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
  };
  configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } });
});
afterAll(() => emu.stop());

const urn = (name: string): string =>
  `urn:pulumi:dev::names::pulumi-nodejs:dynamic/quickbi:WorkspaceMembership::${name}`;

test("configure and a refresh's reads list no organization users; the first report missing a nickname does", async () => {
  const state = {
    [URN_KEY]: urn("m-0"),
    workspaceId: workspaceId(0),
    userId: userId(0),
    userIds: [userId(0)],
    role: "viewer",
    roleId: 30,
  };
  const read = await handler("workspaceMembership").read(`${workspaceId(0)}:${userId(0)}`, state);
  expect(read.props).toMatchObject({ userIds: [userId(0)], roleId: 30 });
  expect(actions()).toEqual(["QueryWorkspaceUserList"]);

  // A new membership's check reports the planned access, naming the user: that starts the one listing.
  await handler("workspaceMembership").check(
    {},
    { [URN_KEY]: urn("m-1"), workspaceId: workspaceId(1), userId: userId(1), role: "viewer" },
  );
  for (let i = 0; i < 50 && !actions().includes("QueryUserList"); i++) await new Promise((r) => setTimeout(r, 20));
  expect(actions().filter((a) => a === "QueryUserList").length).toBeGreaterThan(0);
});

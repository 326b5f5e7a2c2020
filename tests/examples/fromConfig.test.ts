/**
 * examples/from-config: the package composed into an existing stack, users created from a list in config, one
 * membership per role, all under one component.
 */
import * as pulumi from "@pulumi/pulumi";

const PROJECT = "my-existing-stack";
const WORKSPACE = "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01";
const TEAM = [
  {
    account: "demo-corp@aliyun.com:nora.new",
    accountId: "2000000000000001",
    nickName: "Nora New",
    type: "analyst",
    role: "viewer",
  },
  {
    account: "demo-corp@aliyun.com:omar.ops",
    accountId: "2000000000000002",
    nickName: "Omar Ops",
    type: "developer",
    role: "developer",
  },
  {
    account: "demo-corp@aliyun.com:dev.two",
    accountId: "2000000000000006",
    nickName: "Dev Two",
    type: "developer",
    role: "developer",
  },
  {
    account: "demo-corp@aliyun.com:vic.visitor",
    accountId: "2000000000000005",
    nickName: "Vic Visitor",
    type: "visitor",
  },
];

interface Recorded {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
}
let recorded: Recorded[] = [];

pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({
        type: args.type,
        name: args.name,
        custom: args.custom ?? true,
        inputs: args.inputs as Record<string, unknown>,
      });
      return {
        id: `${args.name}-id`,
        state: args.type.endsWith("QuickBIUser") ? { ...args.inputs, userId: `uid-${args.name}` } : args.inputs,
      };
    },
    call: () => ({}),
  },
  PROJECT,
  "dev",
  false,
);

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));

async function load(team: unknown): Promise<Record<string, pulumi.Output<unknown>>> {
  recorded = [];
  pulumi.runtime.setAllConfig(
    { [`${PROJECT}:quickbiWorkspaceId`]: WORKSPACE, [`${PROJECT}:quickbiTeam`]: JSON.stringify(team) },
    [],
  );
  let mod: Record<string, pulumi.Output<unknown>> = {};
  jest.isolateModules(() => {
    mod = require("../../examples/from-config/index");
  });
  // The exports reach every resource: once they resolve, every registration has reached the mocks.
  await value(mod.quickbiUserIds);
  await value(mod.quickbiMemberships);
  return mod;
}

test("one user per list entry and one membership per role, parented to the team component", async () => {
  const mod = await load(TEAM);
  const custom = recorded
    .filter((r) => r.custom)
    .map((r) => `${r.type.replace("pulumi-nodejs:dynamic/", "")} ${r.name}`)
    .sort();
  expect(custom).toEqual(
    [
      "quickbi:QuickBIUser analytics-nora-new",
      "quickbi:QuickBIUser analytics-omar-ops",
      "quickbi:QuickBIUser analytics-dev-two",
      "quickbi:QuickBIUser analytics-vic-visitor",
      "quickbi:WorkspaceMembership analytics-developers",
      "quickbi:WorkspaceMembership analytics-viewers",
    ].sort(),
  );
  expect(recorded.find((r) => !r.custom)).toMatchObject({ type: "examples:quickbi:Team", name: "analytics" });
  const devs = recorded.find((r) => r.name === "analytics-developers")?.inputs;
  expect(devs).toMatchObject({
    workspaceId: WORKSPACE,
    role: "developer",
    userIds: ["uid-analytics-omar-ops", "uid-analytics-dev-two"],
  });
  expect(recorded.find((r) => r.name === "analytics-vic-visitor")?.inputs).toMatchObject({
    accountId: "2000000000000005",
    userType: "visitor",
    nickName: "Vic Visitor",
  });
  expect(await value(mod.quickbiUserIds)).toMatchObject({ "demo-corp@aliyun.com:nora.new": "uid-analytics-nora-new" });
  expect(await value(mod.quickbiMemberships)).toEqual({
    developer: ["uid-analytics-omar-ops", "uid-analytics-dev-two"],
    viewer: ["uid-analytics-nora-new"],
  });
});

test("a malformed list entry fails with the config key and the entry's position", async () => {
  await expect(load([{ ...TEAM[0], type: "boss" }])).rejects.toThrow(/my-existing-stack:quickbiTeam: \[0\.type\]/);
});

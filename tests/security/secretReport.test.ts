/**
 * Values the program passes as secrets (`config.requireSecret`) never appear in clear in what the provider writes:
 * the access report (its words under the resource, its JSON lines, the report file) in preview, up and destroy, and
 * the "already exists … set adopt" error. Through the real dynamic-provider host and the offline engine.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { GroupMembership, QuickBIUser, WorkspaceMembership } from "pulumi-quickbi";
import { Engine } from "../../engine/engine";
import { SEED, startHarness, stopHarness, type Harness } from "../e2e/harness";

const SECRET_NICK = "Zara Secretive";
const SECRET_ACCOUNT = "demo-corp@aliyun.com:zara.hidden";
const ACCOUNT_ID = "2000000000000091";

let h: Harness;
let dir: string;
let reportFile: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "qbi-secret-report-"));
  reportFile = path.join(dir, "access.jsonl");
  // The report file is written by the provider host: it reads QUICKBI_ACCESS_REPORT_FILE from its environment.
  process.env.QUICKBI_ACCESS_REPORT_FILE = reportFile;
  h = await startHarness();
});
afterAll(async () => {
  delete process.env.QUICKBI_ACCESS_REPORT_FILE;
  await stopHarness(h);
  fs.rmSync(dir, { recursive: true, force: true });
});

function engine(name: string): Engine {
  return new Engine({
    projectDir: h.workspace.dir,
    statePath: path.join(dir, `${name}.json`),
    stack: name,
    config: { ...h.config, "app:nick": SECRET_NICK, "app:account": SECRET_ACCOUNT },
    secretKeys: ["quickbi:accessKeySecret", "app:nick", "app:account"],
    hostEnv: { QUICKBI_ACCESS_REPORT_FILE: reportFile },
  });
}

function program(adopt = false) {
  return () => {
    const cfg = new pulumi.Config("app");
    const zara = new QuickBIUser("zara", {
      accountId: ACCOUNT_ID,
      accountName: cfg.requireSecret("account"),
      nickName: cfg.requireSecret("nick"),
      userType: "analyst",
      adopt,
    });
    new WorkspaceMembership("zara-sales", { workspaceId: SEED.sales, userId: zara.userId, role: "viewer" });
    new GroupMembership("zara-business", { userGroupId: SEED.business, userIds: [zara.userId, SEED.pavel] });
  };
}

function leaks(text: string): string[] {
  return [SECRET_NICK, SECRET_ACCOUNT, "zara.hidden"].filter((s) => text.includes(s));
}

test("preview, up, refresh and destroy: the report names nobody by a secret nickname", async () => {
  const e = engine("secret-report");
  const runs = [await e.preview(program()), await e.up(program())];
  runs.push(await e.preview(program()), await e.refresh(), await e.up(program()));
  runs.push(await e.destroy());
  for (const r of runs) expect(r.errors).toEqual([]);
  // The report did speak about zara (by id): the test is not vacuous.
  const all = runs.flatMap((r) => r.logs.map((l) => l.message)).join("\n");
  expect(all).toMatch(/access removed by WorkspaceMembership zara-sales/);
  expect(leaks(all)).toEqual([]);
  expect(leaks(fs.readFileSync(reportFile, "utf8"))).toEqual([]);
});

test("the adopt error for an existing user does not quote its secret account or nickname", async () => {
  // zara exists already (made out of band), and the program does not say adopt.
  await h.outOfBand.call(
    "AddUser",
    { AccountId: ACCOUNT_ID, AccountName: SECRET_ACCOUNT, NickName: SECRET_NICK, UserType: 3 },
    { idempotent: false },
  );
  const e = engine("secret-adopt");
  const up = await e.up(program());
  const text = up.errors.join("\n");
  expect(text).toMatch(/already exists in Quick BI: user [0-9a-f]{32} \(account \[secret\], nickName \[secret\]\)/);
  expect(leaks(text)).toEqual([]);
  expect(leaks(up.logs.map((l) => l.message).join("\n"))).toEqual([]);
  const adopted = await e.up(program(true));
  expect(adopted.errors).toEqual([]);
  expect((await e.destroy()).errors).toEqual([]);
});

/**
 * The real @alicloud/credentials default chain, fed from a credentials file (the chain's "profile" step), signing a
 * real request to the emulator. Only process.env variables the chain reads are touched, and restored afterwards.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import { QuickBIClient } from "../../../provider/api/client";
import * as ops from "../../../provider/api/operations";
import { resolveSettings } from "../../../provider/api/settings";
import { DEMO_ACCESS_KEY, startApiEmulator } from "./helpers";

const CHAIN_ENV = [
  "ALIBABA_CLOUD_CREDENTIALS_FILE",
  "ALIBABA_CLOUD_PROFILE",
  "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALIBABA_CLOUD_SECURITY_TOKEN",
  "ALIBABA_CLOUD_ROLE_ARN",
  "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
  "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
] as const;

let emu: RunningEmulator;
let dir: string;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  emu = await startApiEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "qbi-chain-"));
  for (const k of CHAIN_ENV) saved[k] = process.env[k];
  for (const k of CHAIN_ENV) delete process.env[k];
  process.env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED = "true";
});
afterAll(async () => {
  for (const k of CHAIN_ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  fs.rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});

it("credentials from the chain sign real requests", async () => {
  const file = path.join(dir, "credentials");
  fs.writeFileSync(
    file,
    `[default]\ntype = access_key\naccess_key_id = ${DEMO_ACCESS_KEY.accessKeyId}\naccess_key_secret = ${DEMO_ACCESS_KEY.accessKeySecret}\n`,
  );
  process.env.ALIBABA_CLOUD_CREDENTIALS_FILE = file;
  const settings = await resolveSettings({ get: (k) => (k === "quickbi:endpoint" ? emu.url : undefined) }, {});
  expect(settings.credentials.kind).toBe("provider");
  expect(settings.sources.credentials).toBe("@alicloud/credentials default chain");
  const c = new QuickBIClient(settings);
  const roles = await ops.listOrganizationRoles(c);
  expect(roles.length).toBeGreaterThan(0);
  expect(emu.calls({ action: "ListOrganizationRoles" }).at(-1)?.accessKeyId).toBe(DEMO_ACCESS_KEY.accessKeyId);
});
